/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tests for the lexer and the parser (src/lexer.l, src/parser.y): each
 * program is parsed and its AST rendered as a compact S-expression that
 * shows the tree's shape (precedence, associativity, lists); each bad
 * program must give one exact first diagnostic line. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "ast.h"
#include "lexer.h"
#include "unit.h"

/* ---- rendering ------------------------------------------------------- */

static void render(FILE *out, const struct ast_node *n);

static void render_list(FILE *out, const struct ast_node *l)
{
	for (; l; l = l->next) {
		fputc(' ', out);
		render(out, l);
	}
}

static void render_string(FILE *out, const struct ast_node *n)
{
	fputc('"', out);
	for (size_t i = 0; i < n->slen; i++) {
		unsigned char c = n->str[i];

		if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static const char *incdec_name(enum ast_op op)
{
	switch (op) {
	case OP_PRE_INC: return "pre++";
	case OP_PRE_DEC: return "pre--";
	case OP_POST_INC: return "post++";
	case OP_POST_DEC: return "post--";
	default: return "?";
	}
}

static void render_block(FILE *out, const struct ast_node *b)
{
	fputc('{', out);
	for (const struct ast_node *s = b->list; s; s = s->next) {
		render(out, s);
		if (s->next)
			fputc(' ', out);
	}
	fputc('}', out);
}

/* program: its probes, space separated;
 * probe: (probe ATTACH... [(pred EXPR)] {STMT...});
 * statements: expressions as they are, (= L R), (+= L R), (if C {} {});
 * expressions: 42 "str" name $var @map (@map K...) (call f A...)
 * (OP A B) (neg A) (! A) (~ A) (? C A B) (. A f) (-> A f) ([] A I)
 * (pre++ A) (post-- A) */
static void render(FILE *out, const struct ast_node *n)
{
	if (!n) {
		fputs("NULL", out);
		return;
	}
	switch (n->kind) {
	case AST_PROGRAM:
		for (const struct ast_node *p = n->list; p; p = p->next) {
			render(out, p);
			if (p->next)
				fputc(' ', out);
		}
		break;
	case AST_PROBE:
		fputs("(probe", out);
		render_list(out, n->list);
		if (n->a) {
			fputs(" (pred ", out);
			render(out, n->a);
			fputc(')', out);
		}
		fputc(' ', out);
		render(out, n->body);
		fputc(')', out);
		break;
	case AST_ATTACH:
		fputs(n->name, out);
		break;
	case AST_BLOCK:
		render_block(out, n);
		break;
	case AST_EXPR_STMT:
		render(out, n->a);
		break;
	case AST_ASSIGN:
		fprintf(out, "(%s= ", n->op ? ast_op_name(n->op) : "");
		render(out, n->a);
		fputc(' ', out);
		render(out, n->b);
		fputc(')', out);
		break;
	case AST_IF:
		fputs("(if ", out);
		render(out, n->a);
		fputc(' ', out);
		render(out, n->b);
		if (n->c) {
			fputc(' ', out);
			render(out, n->c);
		}
		fputc(')', out);
		break;
	case AST_INT:
		fprintf(out, "%" PRIu64, n->ival);
		break;
	case AST_STRING:
		render_string(out, n);
		break;
	case AST_IDENT:
	case AST_VAR:
		fputs(n->name, out);
		break;
	case AST_MAP:
		if (!n->list) {
			fputs(n->name, out);
			break;
		}
		fprintf(out, "(%s", n->name);
		render_list(out, n->list);
		fputc(')', out);
		break;
	case AST_CALL:
		fprintf(out, "(call %s", n->name);
		render_list(out, n->list);
		fputc(')', out);
		break;
	case AST_BINARY:
		fprintf(out, "(%s ", ast_op_name(n->op));
		render(out, n->a);
		fputc(' ', out);
		render(out, n->b);
		fputc(')', out);
		break;
	case AST_UNARY:
		fprintf(out, "(%s ",
			n->op == OP_NEG ? "neg" : ast_op_name(n->op));
		render(out, n->a);
		fputc(')', out);
		break;
	case AST_TERNARY:
		fputs("(? ", out);
		render(out, n->a);
		fputc(' ', out);
		render(out, n->b);
		fputc(' ', out);
		render(out, n->c);
		fputc(')', out);
		break;
	case AST_FIELD:
		fprintf(out, "(%s ", n->arrow ? "->" : ".");
		render(out, n->a);
		fprintf(out, " %s)", n->name);
		break;
	case AST_INDEX:
		fputs("([] ", out);
		render(out, n->a);
		fputc(' ', out);
		render(out, n->b);
		fputc(')', out);
		break;
	case AST_INCDEC:
		fprintf(out, "(%s ", incdec_name(n->op));
		render(out, n->a);
		fputc(')', out);
		break;
	case AST_TUPLE:
		fputs("(tuple", out);
		render_list(out, n->list);
		fputc(')', out);
		break;
	default:
		fprintf(out, "<%s>", ast_kind_name(n->kind));
		break;
	}
}

/* ---- helpers --------------------------------------------------------- */

/* Parse len bytes of text. On success returns the rendering (malloc'd)
 * and leaves *diag_out NULL; on failure returns NULL and the diagnostic
 * output in *diag_out (malloc'd). */
static char *parse_len(const char *text, size_t len, char **diag_out)
{
	struct source src = { "<stdin>", text, len };
	struct arena arena;
	struct diag diag;
	struct ast_node *prog = NULL;
	char *dbuf = NULL, *rbuf = NULL;
	size_t dlen = 0, rlen = 0;
	FILE *dout = open_memstream(&dbuf, &dlen);
	int rc;

	arena_init(&arena);
	diag_init(&diag, &src, dout);
	diag.color = false;
	rc = parse_program(&arena, &diag, &src, &prog);
	fclose(dout);
	if (rc || !prog || diag.errors) {
		*diag_out = dbuf;
		arena_fini(&arena);
		return NULL;
	}
	free(dbuf);
	*diag_out = NULL;
	FILE *rout = open_memstream(&rbuf, &rlen);
	render(rout, prog);
	fclose(rout);
	arena_fini(&arena);
	return rbuf;
}

/* Parse a program that must be accepted; compare its rendering. */
static void ok_at(int line, const char *text, const char *want)
{
	char *diag, *got = parse_len(text, strlen(text), &diag);

	unit_checks++;
	if (!got || strcmp(got, want)) {
		unit_failures++;
		fprintf(stderr, "%s:%d: program: %s\n", __FILE__, line, text);
		if (got)
			fprintf(stderr, "  got:  %s\n  want: %s\n", got, want);
		else
			fprintf(stderr, "  rejected:\n%s  want: %s\n", diag,
				want);
	}
	free(got);
	free(diag);
}
#define OK(text, want) ok_at(__LINE__, text, want)

/* The first line of the diagnostics for a program that must fail. */
static void err_at(int line, const char *text, size_t len, const char *want)
{
	char *diag = NULL, *got = parse_len(text, len, &diag);
	char *nl;

	unit_checks++;
	if (got) {
		unit_failures++;
		fprintf(stderr, "%s:%d: program: %.*s\n  accepted as %s\n"
			"  want error: %s\n", __FILE__, line, (int)len, text,
			got, want);
		free(got);
		return;
	}
	nl = diag ? strchr(diag, '\n') : NULL;
	if (nl)
		*nl = 0;
	if (!diag || strcmp(diag, want)) {
		unit_failures++;
		fprintf(stderr, "%s:%d: program: %.*s\n  got:  %s\n"
			"  want: %s\n", __FILE__, line, (int)len, text,
			diag ? diag : "(no message)", want);
	}
	free(diag);
}
#define ERR(text, want) err_at(__LINE__, text, strlen(text), want)
/* for texts holding NUL bytes */
#define ERRN(text, want) err_at(__LINE__, text, sizeof(text) - 1, want)

/* The parse of "BEGIN { STMT }", rendered: only the statement. */
static void stmt_at(int line, const char *stmt, const char *want)
{
	char *text = xasprintf("BEGIN { %s }", stmt);
	char *full = xasprintf("(probe BEGIN {%s})", want);

	ok_at(line, text, full);
	free(text);
	free(full);
}
#define STMT(stmt, want) stmt_at(__LINE__, stmt, want)

/* ---- accepted programs ----------------------------------------------- */

static void test_precedence(void)
{
	STMT("1 + 2 * 3", "(+ 1 (* 2 3))");
	STMT("(1 + 2) * 3", "(* (+ 1 2) 3)");
	STMT("1 - 2 - 3", "(- (- 1 2) 3)");
	STMT("8 / 4 % 3 * 2", "(* (% (/ 8 4) 3) 2)");
	STMT("a || b && c", "(|| a (&& b c))");
	STMT("a && b || c && d", "(|| (&& a b) (&& c d))");
	STMT("!a == b", "(== (! a) b)");
	STMT("!!a", "(! (! a))");
	STMT("~a & b", "(& (~ a) b)");
	STMT("-1", "(neg 1)");
	STMT("- -1", "(neg (neg 1))");
	STMT("a - -1", "(- a (neg 1))");
	STMT("-a * b", "(* (neg a) b)");
	STMT("-a.b", "(neg (. a b))");
	STMT("a ? b : c", "(? a b c)");
	STMT("a ? b : c ? d : e", "(? a b (? c d e))");
	STMT("a ? b ? c : d : e", "(? a (? b c d) e)");
	STMT("a || b ? c + 1 : d", "(? (|| a b) (+ c 1) d)");
	STMT("1 << 2 < 3", "(< (<< 1 2) 3)");
	STMT("a >> 1 >= b << 2", "(>= (>> a 1) (<< b 2))");
	STMT("1 + 2 << 3", "(<< (+ 1 2) 3)");
	STMT("a < b == c > d", "(== (< a b) (> c d))");
	STMT("a != b <= c", "(!= a (<= b c))");
	STMT("a & b == c", "(& a (== b c))");
	STMT("a | b ^ c & d", "(| a (^ b (& c d)))");
	STMT("a | b || c", "(|| (| a b) c)");
	STMT("a ^ b ^ c", "(^ (^ a b) c)");
	STMT("((a))", "a");
}

static void test_postfix(void)
{
	STMT("args.x", "(. args x)");
	STMT("args->x", "(-> args x)");
	STMT("args.a.b", "(. (. args a) b)");
	STMT("args->a[2]", "([] (-> args a) 2)");
	STMT("args.a[1 + 1] * 2", "(* ([] (. args a) (+ 1 1)) 2)");
	STMT("@m[a, b]", "(@m a b)");
	STMT("@m[a][0]", "([] (@m a) 0)");
	STMT("@", "@");
	STMT("@[comm]", "(@ comm)");
	STMT("@m[@n[1]]", "(@m (@n 1))");
	STMT("f()", "(call f)");
	STMT("f(1, \"a\", g(x))", "(call f 1 \"a\" (call g x))");
	STMT("str(args.filename, 8)", "(call str (. args filename) 8)");
	STMT("$x++", "(post++ $x)");
	STMT("$x--", "(post-- $x)");
	STMT("++$x", "(pre++ $x)");
	STMT("--$x", "(pre-- $x)");
	STMT("@x++", "(post++ @x)");
	STMT("@x[1]--", "(post-- (@x 1))");
	STMT("-$x++", "(neg (post++ $x))");
}

/* (a, b), (a,), (); .N after any postfix; $t.0 = 1 parses (sema
 * refuses it: tuples are immutable) */
static void test_tuples(void)
{
	STMT("(1, \"a\")", "(tuple 1 \"a\")");
	STMT("(1, (2, 3), $x)", "(tuple 1 (tuple 2 3) $x)");
	STMT("(1,)", "(tuple 1)");
	STMT("()", "(tuple)");
	STMT("(1)", "1");
	STMT("$t.0.1", "(. (. $t 0) 1)");
	STMT("@t.2", "(. @t 2)");
	STMT("(1, 2).1", "(. (tuple 1 2) 1)");
	STMT("$t[1]", "([] $t 1)");
	STMT("@m[(1, \"a\")]", "(@m (tuple 1 \"a\"))");
	STMT("$t.0 = 1", "(= (. $t 0) 1)");
	STMT("print((a, b))", "(call print (tuple a b))");
}

static void test_statements(void)
{
	STMT("$x = 1", "(= $x 1)");
	STMT("$x += 1", "(+= $x 1)");
	STMT("$x -= 1; $x *= 2; $x /= 3; $x %= 4",
	     "(-= $x 1) (*= $x 2) (/= $x 3) (%= $x 4)");
	STMT("$x &= 1; $x |= 2; $x ^= 3; $x <<= 4; $x >>= 5",
	     "(&= $x 1) (|= $x 2) (^= $x 3) (<<= $x 4) (>>= $x 5)");
	STMT("@m[a, b] = count()", "(= (@m a b) (call count))");
	STMT("@ = sum(1)", "(= @ (call sum 1))");
	STMT("if (a) { b }", "(if a {b})");
	STMT("if (a) { } else { c }", "(if a {} {c})");
	STMT("if (a) { b } else if (c) { d } else { e }",
	     "(if a {b} (if c {d} {e}))");
	STMT("if (a) { if (b) { c } } else { }", "(if a {(if b {c})} {})");
	STMT("{ a } { }", "{a} {}");
}

static void test_semicolons(void)
{
	STMT("a; b", "a b");
	STMT("a; b;", "a b");
	STMT("if (x) { } a", "(if x {}) a");
	STMT("if (x) { }; a", "(if x {}) a");
	STMT(";;", "");
	STMT("", "");
	STMT("; a;; b ;", "a b");
	OK("BEGIN{exit()}END{}", "(probe BEGIN {(call exit)}) (probe END {})");
}

static void test_probes(void)
{
	OK("BEGIN { }", "(probe BEGIN {})");
	OK("END { }", "(probe END {})");
	OK("tracepoint:syscalls:sys_enter_openat { }",
	   "(probe tracepoint:syscalls:sys_enter_openat {})");
	OK("t:sched:sched_switch { }", "(probe t:sched:sched_switch {})");
	OK("tp/sched/sched_switch { }", "(probe tp/sched/sched_switch {})");
	OK("tracepoint/syscalls/sys_enter_openat { }",
	   "(probe tracepoint/syscalls/sys_enter_openat {})");
	OK("t:syscalls:sys_enter_open* { }",
	   "(probe t:syscalls:sys_enter_open* {})");
	OK("t:sys?alls:sys_[ex]*_open { }",
	   "(probe t:sys?alls:sys_[ex]*_open {})");
	OK("t:a:b, t:c:d,t:e:f { }", "(probe t:a:b t:c:d t:e:f {})");
	OK("BEGIN { a } END { b }", "(probe BEGIN {a}) (probe END {b})");
	OK("t:a:b /pid == 1/ { }", "(probe t:a:b (pred (== pid 1)) {})");
	OK("t:a:b/pid/{}", "(probe t:a:b (pred pid) {})");
	OK("t:a:b / 4 / 2 == 2 / { }",
	   "(probe t:a:b (pred (== (/ 4 2) 2)) {})");
	OK("t:a:b /pid/\n\t{ }", "(probe t:a:b (pred pid) {})");
	OK("t:a:b, t:c:d /a && (b || c)/ { x }",
	   "(probe t:a:b t:c:d (pred (&& a (|| b c))) {x})");
	OK("#!/usr/bin/env scry\nBEGIN { }", "(probe BEGIN {})");
	OK("#!\nBEGIN { }", "(probe BEGIN {})");
}

static void test_comments(void)
{
	OK("// first\nBEGIN { }", "(probe BEGIN {})");
	OK("/* first */ BEGIN { }", "(probe BEGIN {})");
	OK("BEGIN // here\n{ }", "(probe BEGIN {})");
	OK("BEGIN /* here */ { }", "(probe BEGIN {})");
	OK("t:a:b, /* c */ t:c:d // e\n, t:e:f { }",
	   "(probe t:a:b t:c:d t:e:f {})");
	OK("BEGIN { /* a */ $x /* b */ = /* c */ 1 /* d */ ; /* e */ }",
	   "(probe BEGIN {(= $x 1)})");
	OK("BEGIN { a; // one\n b // two\n }", "(probe BEGIN {a b})");
	OK("BEGIN { $x = 1 /* mul */ * 2; }", "(probe BEGIN {(= $x (* 1 2))})");
	OK("BEGIN { $x = 4 / /* d */ 2; }", "(probe BEGIN {(= $x (/ 4 2))})");
	OK("BEGIN { } /* between */ END { } // last",
	   "(probe BEGIN {}) (probe END {})");
	OK("BEGIN { }\n// no newline at the end",
	   "(probe BEGIN {})");
	OK("/* multi\n * line\n */ BEGIN { /* { } */ }", "(probe BEGIN {})");
	OK("/***/ BEGIN { /* ** / */ }", "(probe BEGIN {})");
	OK("BEGIN { $s = \"/* not a comment */ // nor this\"; }",
	   "(probe BEGIN {(= $s \"/* not a comment */ // nor this\")})");
	/* inside predicates */
	OK("t:a:b / /* c */ pid /* d */ == 1 /* e */ / { }",
	   "(probe t:a:b (pred (== pid 1)) {})");
	OK("t:a:b /pid // why\n == 1/ { }",
	   "(probe t:a:b (pred (== pid 1)) {})");
	/* between the predicate and its block */
	OK("t:a:b /pid == 1/ /* c */ { }",
	   "(probe t:a:b (pred (== pid 1)) {})");
	OK("t:a:b /pid == 1/ // c\n{ }",
	   "(probe t:a:b (pred (== pid 1)) {})");
}

static void test_literals(void)
{
	STMT("\"a\\nb\\tc\\\\d\\\"e\"", "\"a\\nb\\tc\\\\d\\\"e\"");
	STMT("\"\\x41\\101\\x4a\\x4A\"", "\"AAJJ\"");
	STMT("\"\\x414\"", "\"A4\"");
	STMT("\"\\0\\1234\"", "\"\\x00S4\"");
	STMT("\"\\r\\a\\e\\'\"", "\"\\x0d\\x07\\x1b'\"");
	STMT("\"\"", "\"\"");
	STMT("\"caf\xc3\xa9\"", "\"caf\\xc3\\xa9\"");
	STMT("0", "0");
	STMT("42", "42");
	STMT("0x1f", "31");
	STMT("0X1F", "31");
	STMT("0b101", "5");
	STMT("0B11", "3");
	STMT("1_000_000", "1000000");
	STMT("0xffff_ffff", "4294967295");
	STMT("18446744073709551615", "18446744073709551615");
	STMT("0xffffffffffffffff", "18446744073709551615");
	STMT("9223372036854775808", "9223372036854775808");
	STMT("$x_1 + @y_2 + _z", "(+ (+ $x_1 @y_2) _z)");
	STMT("@123", "@123");
	STMT("ifx + elsey", "(+ ifx elsey)");
}

/* Locations: a node spans its text. */
static void test_locations(void)
{
	const char *text = "BEGIN { $x = a + b * c; }";
	struct source src = { "<stdin>", text, strlen(text) };
	struct arena arena;
	struct diag diag;
	struct ast_node *prog = NULL, *probe, *stmt, *sum;

	arena_init(&arena);
	diag_init(&diag, &src, stderr);
	CHECK_INT(parse_program(&arena, &diag, &src, &prog), 0);
	if (!prog) {
		arena_fini(&arena);
		return;
	}
	probe = prog->list;
	CHECK_INT(probe->list->loc.begin, 0);
	CHECK_INT(probe->list->loc.end, 5);
	stmt = probe->body->list;
	CHECK_INT(stmt->kind, AST_ASSIGN);
	CHECK_INT(stmt->loc.begin, 8);
	CHECK_INT(stmt->loc.end, 22);
	sum = stmt->b;
	CHECK_INT(sum->loc.begin, 13);
	CHECK_INT(sum->loc.end, 22);
	CHECK_INT(sum->b->loc.begin, 17);
	CHECK_INT(sum->b->loc.end, 22);
	CHECK_INT(probe->body->loc.begin, 6);
	CHECK_INT(probe->body->loc.end, 25);
	arena_fini(&arena);
}

/* ---- errors ---------------------------------------------------------- */

static void test_lexical_errors(void)
{
	ERR("BEGIN { printf(\"hello); exit(); }",
	    "<stdin>:1:16: error: unterminated string literal");
	ERR("BEGIN { $x = \"abc\n\"; }",
	    "<stdin>:1:14: error: unterminated string literal");
	ERR("BEGIN { $x = \"abc\\",
	    "<stdin>:1:14: error: unterminated string literal");
	/* located at the comment opener */
	ERR("BEGIN { exit(); } /* never closed",
	    "<stdin>:1:19: error: unterminated comment");
	ERR("BEGIN { exit(); /* never\n closed }",
	    "<stdin>:1:17: error: unterminated comment");
	ERR("BEGIN { $x = 1 ` 2; }",
	    "<stdin>:1:16: error: unexpected character '`'");
	ERR("BEGIN { $x = 'a'; }",
	    "<stdin>:1:14: error: unexpected character '''");
	ERR("BEGIN { $ = 1; }", "<stdin>:1:9: error: unexpected character '$'");
	ERR("BEGIN { exit(); } #",
	    "<stdin>:1:19: error: unexpected character '#'");
	ERR("BEGIN { }\n#!/bin/scry\n",
	    "<stdin>:2:1: error: unexpected character '#'");
	ERR(" #!/bin/scry\nBEGIN { }",
	    "<stdin>:1:2: error: unexpected character '#'");
	ERRN("BEGIN { $x = 1 \0 2; }",
	     "<stdin>:1:16: error: unexpected byte 0x00");
	ERRN("BEGIN\0 { }", "<stdin>:1:6: error: unexpected byte 0x00");
	ERR("BEGIN { $x = 1 \xff 2; }",
	    "<stdin>:1:16: error: unexpected byte 0xff");
	ERR("\x80 BEGIN { }", "<stdin>:1:1: error: unexpected byte 0x80");
	/* a valid UTF-8 character is reported whole */
	ERR("BEGIN { $x = caf\xc3\xa9; }",
	    "<stdin>:1:17: error: unexpected character '\xc3\xa9'");
	ERR("BEGIN { $x = 99999999999999999999; }",
	    "<stdin>:1:14: error: integer literal is too large for 64 bits");
	ERR("BEGIN { $x = 18446744073709551616; }",
	    "<stdin>:1:14: error: integer literal is too large for 64 bits");
	ERR("BEGIN { $x = 0x1_0000_0000_0000_0000; }",
	    "<stdin>:1:14: error: integer literal is too large for 64 bits");
	ERR("BEGIN { $x = 12abc; }",
	    "<stdin>:1:14: error: invalid integer literal '12abc'");
	ERR("BEGIN { $x = 0x; }",
	    "<stdin>:1:14: error: invalid integer literal '0x'");
	ERR("BEGIN { $x = 0b102; }",
	    "<stdin>:1:14: error: invalid integer literal '0b102'");
	/* a prefix with no digits */
	ERR("BEGIN { $x = 0x_; }",
	    "<stdin>:1:14: error: invalid integer literal '0x_'");
	ERR("BEGIN { printf(\"\\q\"); }",
	    "<stdin>:1:17: error: unknown escape sequence '\\q'");
	ERR("BEGIN { printf(\"ab\\x\"); }",
	    "<stdin>:1:19: error: \\x used with no following hex digits");
	ERR("BEGIN { printf(\"\\777\"); }",
	    "<stdin>:1:17: error: octal escape is out of range");
}

static void test_syntax_errors(void)
{
	ERR("BEGIN { exit() exit(); }",
	    "<stdin>:1:16: error: unexpected identifier 'exit', expected "
	    "';' or '}'");
	ERR("BEGIN { $x = 1 $y = 2; }",
	    "<stdin>:1:16: error: unexpected variable '$y', expected ';' "
	    "or '}'");
	ERR("BEGIN { $x = 1 @y = 2; }",
	    "<stdin>:1:16: error: unexpected map '@y', expected ';' or '}'");
	ERR("BEGIN { $x = 1 \"s\"; }",
	    "<stdin>:1:16: error: unexpected string '\"s\"', expected ';' "
	    "or '}'");
	ERR("BEGIN { $x = ; }",
	    "<stdin>:1:14: error: unexpected ';', expected an expression");
	ERR("BEGIN { $x = 1 +; }",
	    "<stdin>:1:17: error: unexpected ';', expected an expression");
	ERR("BEGIN { f(1,); }",
	    "<stdin>:1:13: error: unexpected ')', expected an expression");
	ERR("BEGIN { @m[] = 1; }",
	    "<stdin>:1:12: error: unexpected ']', expected an expression");
	ERR("BEGIN { else { } }",
	    "<stdin>:1:9: error: unexpected 'else', expected ';', '}' or '{'");
	ERR("BEGIN { if (1) }",
	    "<stdin>:1:16: error: unexpected '}', expected '{'");
	ERR("BEGIN { if (1) x; }",
	    "<stdin>:1:16: error: unexpected identifier 'x', expected '{'");
	ERR("BEGIN { if (1) { } else }",
	    "<stdin>:1:25: error: unexpected '}', expected 'if' or '{'");
	ERR("BEGIN { $x = $y = 1; }",
	    "<stdin>:1:17: error: unexpected '=', expected ';' or '}'");
	ERR("BEGIN { 1 = 2; }",
	    "<stdin>:1:11: error: unexpected '=', expected ';' or '}'");
	ERR("BEGIN { args. = 1; }",
	    "<stdin>:1:15: error: unexpected '=', expected identifier or "
	    "integer");
	ERR("BEGIN { $x = 1 + 2); }",
	    "<stdin>:1:19: error: unexpected ')', expected ';' or '}'");
	ERR("BEGIN, { }",
	    "<stdin>:1:8: error: unexpected '{', expected a probe");
	ERR(", BEGIN { }",
	    "<stdin>:1:1: error: unexpected ',', expected a probe");
	ERR("{ }", "<stdin>:1:1: error: unexpected '{', expected a probe");
	ERR("}", "<stdin>:1:1: error: unexpected '}', expected a probe");
	ERR("BEGIN / { }",
	    "<stdin>:1:9: error: unexpected '{', expected an expression");
	/* unclosed predicate */
	ERR("t:a:b /pid == 1 { exit(); }",
	    "<stdin>:1:17: error: unexpected '{', expected '/' ending the "
	    "predicate");
	ERR("t:a:b /pid == / { }",
	    "<stdin>:1:15: error: unexpected '/' ending the predicate, "
	    "expected an expression");
	/* the expected closer is named */
	ERR("BEGIN { $x = (1 + 2; }",
	    "<stdin>:1:20: error: unexpected ';', expected ',' or ')'");
	ERR("BEGIN { $x = (1, 2; }",
	    "<stdin>:1:19: error: unexpected ';', expected ',' or ')'");
	ERR("BEGIN { @m[1 = 2; }",
	    "<stdin>:1:14: error: unexpected '=', expected ',' or ']'");
	ERR("BEGIN { $x = 1 ? 2; }",
	    "<stdin>:1:19: error: unexpected ';', expected ':'");
	/* a stray '}' */
	ERR("BEGIN { exit(); } }",
	    "<stdin>:1:19: error: unexpected '}', expected end of input "
	    "or a probe");
	/* the newest bpftrace takes a unary condition without parentheses */
	ERR("BEGIN { if 1 > 0 { exit(); } }",
	    "<stdin>:1:14: error: unexpected '>', expected '{'");
}

/* The end of the input is located just past its last byte. */
static void test_end_of_input(void)
{
	ERR("BEGIN { printf(\"hi\\n\");",
	    "<stdin>:1:24: error: unexpected end of input, expected '}'");
	ERR("BEGIN {", "<stdin>:1:8: error: unexpected end of input, expected '}'");
	ERR("BEGIN { $x = 1 +",
	    "<stdin>:1:17: error: unexpected end of input, expected an "
	    "expression");
	ERR("BEGIN", "<stdin>:1:6: error: unexpected end of input, expected '/', "
	    "'{' or ','");
	ERR("t:a:b /pid == 1",
	    "<stdin>:1:16: error: unexpected end of input, expected '/' "
	    "ending the predicate");
	ERR("BEGIN { if (x) { }\n",
	    "<stdin>:2:1: error: unexpected end of input, expected '}'");
	ERR("", "<stdin>:1:1: error: unexpected end of input, expected a "
	    "probe");
	ERR("// only a comment\n",
	    "<stdin>:2:1: error: unexpected end of input, expected a "
	    "probe");
}

int main(void)
{
	test_precedence();
	test_postfix();
	test_tuples();
	test_statements();
	test_semicolons();
	test_probes();
	test_comments();
	test_literals();
	test_locations();
	test_lexical_errors();
	test_syntax_errors();
	test_end_of_input();
	return unit_done("test-parse");
}
