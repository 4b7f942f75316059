/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tests for the semantic pass (src/sema.c, the tracepoint provider and
 * the builtins' checks), against the captured tracefs in tests/fixtures:
 * the exact messages of semantic errors, and the types sema gives to
 * expressions (what -d types prints). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "arena.h"
#include "ast.h"
#include "lexer.h"
#include "runtime/tracefs.h"
#include "sema.h"
#include "unit.h"

/* ---- helpers --------------------------------------------------------- */

/* Parse and check text. Returns 0 when both stages pass; *msgs gets the
 * message lines of the diagnostics (the excerpt and caret lines left
 * out), malloc'd, "" when there were none. */
static int check_text(const char *text, char **msgs)
{
	struct source src = { "<stdin>", text, strlen(text) };
	struct arena arena;
	struct diag diag;
	struct sema s = { 0 };
	struct ast_node *prog = NULL;
	char *buf = NULL, *out, *o;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	arena_init(&arena);
	diag_init(&diag, &src, f);
	diag.color = false;
	rc = parse_program(&arena, &diag, &src, &prog);
	if (!rc && prog) {
		s.arena = &arena;
		s.diag = &diag;
		rc = sema_run(&s, prog);
		sema_fini(&s);
	}
	fclose(f);
	arena_fini(&arena);
	/* keep the lines that do not start with four spaces */
	out = o = xmalloc(len + 1);
	for (char *line = buf; line && *line;) {
		char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line + 1) : strlen(line);

		if (strncmp(line, "    ", 4)) {
			memcpy(o, line, n);
			o += n;
		}
		line += n;
	}
	*o = 0;
	if (o > out && o[-1] == '\n')
		o[-1] = 0;
	free(buf);
	*msgs = out;
	return rc ? rc : (int)diag.errors;
}

static void report(int line, const char *text, const char *got,
		   const char *want)
{
	unit_failures++;
	fprintf(stderr, "%s:%d: program: %s\n  got:  %s\n  want: %s\n",
		__FILE__, line, text, got, want);
}

/* The first message line of a program that must be rejected. */
static void err_at(int line, const char *text, const char *want)
{
	char *msgs, *nl;
	int rc = check_text(text, &msgs);

	unit_checks++;
	nl = strchr(msgs, '\n');
	if (nl)
		*nl = 0;
	if (!rc)
		report(line, text, "(accepted)", want);
	else if (strcmp(msgs, want))
		report(line, text, msgs, want);
	free(msgs);
}
#define ERR(text, want) err_at(__LINE__, text, want)

/* Every message line (errors and notes, '\n'-separated). */
static void errs_at(int line, const char *text, const char *want)
{
	char *msgs;
	int rc = check_text(text, &msgs);

	unit_checks++;
	if (!rc)
		report(line, text, "(accepted)", want);
	else if (strcmp(msgs, want))
		report(line, text, msgs, want);
	free(msgs);
}
#define ERRS(text, want) errs_at(__LINE__, text, want)

static void ok_at(int line, const char *text)
{
	char *msgs;
	int rc = check_text(text, &msgs);

	unit_checks++;
	if (rc)
		report(line, text, msgs, "(accepted)");
	free(msgs);
}
#define OK(text) ok_at(__LINE__, text)

/* The type sema gives expr in "PROBE { $v = EXPR; }" (the value of the
 * assignment), and its aux annotation; or the first error. */
static char *expr_type(const char *probe, const char *expr, int *aux)
{
	char *text = xasprintf("%s { $v = %s; }", probe, expr);
	struct source src = { "<stdin>", text, strlen(text) };
	struct arena arena;
	struct diag diag;
	struct sema s = { 0 };
	struct ast_node *prog = NULL, *val;
	char *buf = NULL, *res, tb[64];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	arena_init(&arena);
	diag_init(&diag, &src, f);
	diag.color = false;
	if (!parse_program(&arena, &diag, &src, &prog) && prog) {
		s.arena = &arena;
		s.diag = &diag;
		sema_run(&s, prog);
	}
	fclose(f);
	if (diag.errors || !prog) {
		char *nl = strchr(buf, '\n');
		if (nl)
			*nl = 0;
		res = xasprintf("error: %s", buf);
	} else {
		val = prog->list->body->list->b;
		res = xstrdup(type_name(&val->type, tb, sizeof(tb)));
		*aux = val->aux;
	}
	sema_fini(&s);
	arena_fini(&arena);
	free(buf);
	free(text);
	return res;
}

static void type_at(int line, const char *probe, const char *expr,
		    const char *want)
{
	int aux = 0;
	char *got = expr_type(probe, expr, &aux);

	unit_checks++;
	if (strcmp(got, want)) {
		unit_failures++;
		fprintf(stderr, "%s:%d: %s { $v = %s; }\n  type: %s\n"
			"  want: %s\n", __FILE__, line, probe, expr, got, want);
	}
	free(got);
}
#define TYPE(probe, expr, want) type_at(__LINE__, probe, expr, want)

#define OPENAT "tracepoint:syscalls:sys_enter_openat"
#define EXEC "tracepoint:sched:sched_process_exec"
#define SWITCH "tracepoint:sched:sched_switch"
#define RAW "tracepoint:raw_syscalls:sys_enter"

/* ---- types ----------------------------------------------------------- */

static void test_builtin_types(void)
{
	TYPE("BEGIN", "pid", "uint32");
	TYPE("BEGIN", "tid", "uint32");
	TYPE("BEGIN", "uid", "uint32");
	TYPE("BEGIN", "gid", "uint32");
	TYPE("BEGIN", "cpu", "uint32");
	TYPE("BEGIN", "nsecs", "uint64");
	TYPE("BEGIN", "elapsed", "uint64");
	TYPE("BEGIN", "comm", "string[16]");
	TYPE("BEGIN", "probe", "probe");
	TYPE(OPENAT, "probe", "probe");
}

static void test_expression_types(void)
{
	TYPE("BEGIN", "1", "int64");
	TYPE("BEGIN", "1 + 2", "int64");
	TYPE("BEGIN", "9223372036854775807", "int64");
	TYPE("BEGIN", "9223372036854775808", "uint64");
	TYPE("BEGIN", "pid + 1", "uint64");
	TYPE("BEGIN", "pid * tid", "uint64");
	TYPE("BEGIN", "1 < 2", "int64");
	TYPE("BEGIN", "pid == 1", "int64");
	TYPE("BEGIN", "pid >= tid", "int64");
	TYPE("BEGIN", "comm == \"bash\"", "int64");
	TYPE("BEGIN", "comm != comm", "int64");
	TYPE("BEGIN", "pid && tid", "int64");
	TYPE("BEGIN", "!pid", "int64");
	TYPE("BEGIN", "-pid", "int64");
	TYPE("BEGIN", "~pid", "uint64");
	TYPE("BEGIN", "~1", "int64");
	TYPE("BEGIN", "\"abc\"", "string[4]");
	TYPE("BEGIN", "\"\"", "string[1]");
	TYPE("BEGIN", "1 ? 2 : 3", "int64");
	TYPE("BEGIN", "1 ? pid : 3", "uint64");
	TYPE("BEGIN", "1 ? \"ab\" : \"abcd\"", "string[5]");
	TYPE("BEGIN", "str(comm)", "string[16]");
	TYPE("BEGIN", "str(comm, 4)", "string[4]");
	TYPE("BEGIN", "str(pid)", "string[256]");
}

static void test_field_types(void)
{
	int aux = -1;
	char *t;

	/* "int dfd; size:8; signed:0": the C type says a signed 32-bit
	 * value in the low bytes; umode_t is an unsigned short */
	TYPE(OPENAT, "args.dfd", "int32");
	TYPE(OPENAT, "args->dfd", "int32");
	TYPE(OPENAT, "args.flags", "int32");
	TYPE(OPENAT, "args.mode", "uint16");
	TYPE(OPENAT, "args.__syscall_nr", "int32");
	/* a pointer: an address, which str() reads */
	TYPE(OPENAT, "args.filename", "uint64");
	t = expr_type(OPENAT, "args.filename", &aux);
	CHECK_INT(aux, 1);
	free(t);
	TYPE(OPENAT, "str(args.filename)", "string[256]");
	TYPE(OPENAT, "str(args.filename, 8)", "string[8]");
	/* __data_loc char[]: already a string */
	TYPE(EXEC, "args.filename", "string[256]");
	TYPE(EXEC, "args.pid", "int32");
	TYPE(SWITCH, "args.prev_comm", "string[16]");
	TYPE(SWITCH, "args.prev_pid", "int32");
	TYPE(SWITCH, "args.prev_state", "int64");
	TYPE(RAW, "args.id", "int64");
	TYPE(RAW, "args.args[0]", "uint64");
	TYPE(RAW, "args.args[5] + 1", "uint64");
	/* the same field with the same type in every target */
	TYPE("t:syscalls:sys_enter_openat, t:syscalls:sys_exit_openat",
	     "args.__syscall_nr", "int32");
	TYPE("t:sched:sched_wakeup, t:sched:sched_process_exec", "args.pid",
	     "int32");
}

/* ---- accepted programs ----------------------------------------------- */

static void test_accepted(void)
{
	OK("BEGIN { @x = count(); }");
	OK("BEGIN { @x[pid, comm] = count(); }");
	OK("BEGIN { printf(\"%d %s %x\\n\", pid, comm, 1); }");
	OK("BEGIN { printf(\"%s\\n\", probe); }");
	OK("BEGIN { printf(\"done\\n\"); exit(); }");
	OK("BEGIN { $x = 1; $x++; ++$x; $x--; $x += 2; }");
	OK("BEGIN { @c++; @c += 2; }");
	OK("BEGIN { $s = \"a\"; $s = \"longer\"; @m[$s] = 1; }");
	OK("BEGIN { printf(\"%d\\n\", @x); } END { @x = 1; }");
	OK("BEGIN { @x = 1; } END { @x = -1; }");
	OK(OPENAT " /args.dfd < 0/ { @[str(args.filename)] = count(); }");
	OK("t:sched:sched_* { @[probe] = count(); }");
	OK("t:syscalls:sys_*_openat { @[probe, pid] = count(); }");
	/* every aggregation can be stored */
	OK("BEGIN { @x = sum(1); }");
	OK("BEGIN { @a = min(-1); @b = max(pid); @c = avg(2); }");
	OK(OPENAT " { @[comm] = sum(args.dfd); }");
	/* "@c += 2" types @c, as "@c++" does */
	OK("BEGIN { @c += 2; }");
}

/* ---- errors ---------------------------------------------------------- */

static void test_probe_errors(void)
{
	ERRS("tracepoint:syscalls:sys_enter_opnat { }",
	     "<stdin>:1:1: error: tracepoint 'syscalls:sys_enter_opnat' "
	     "does not exist\n"
	     "note: did you mean 'syscalls:sys_enter_openat'?");
	ERRS("t:sched:sched_swich { }",
	     "<stdin>:1:1: error: tracepoint 'sched:sched_swich' does not "
	     "exist\n"
	     "note: did you mean 'sched:sched_switch'?");
	ERRS("t:nosuch:thing { }",
	     "<stdin>:1:1: error: tracepoint 'nosuch:thing' does not exist\n"
	     "note: there is no tracepoint category 'nosuch' (scry -l lists "
	     "them)");
	ERR("tracepoint:syscalls:sys_enter_nosuch* { }",
	    "<stdin>:1:1: error: no tracepoint matches "
	    "'syscalls:sys_enter_nosuch*'");
	ERR("BEGIN { } tracepoint:syscalls { }",
	    "<stdin>:1:11: error: 'tracepoint:syscalls' is not a tracepoint: "
	    "expected tracepoint:CATEGORY:NAME");
	ERRS("kprobe:do_nanosleep { }",
	     "<stdin>:1:1: error: unknown probe type 'kprobe'\n"
	     "note: supported probe types: tracepoint (t, tp), interval (i), "
	     "BEGIN, END");
	ERR("foo { }", "<stdin>:1:1: error: unknown probe 'foo'");
	ERRS("BEGIN, t:syscalls:sys_enter_openat { }",
	     "<stdin>:1:8: error: 't:syscalls:sys_enter_openat' cannot share "
	     "a block with a BEGIN probe\n"
	     "note: give each probe type its own block");
}

static void test_field_errors(void)
{
	ERRS(OPENAT " { @ = args.filname; }",
	     "<stdin>:1:49: error: tracepoint 'syscalls:sys_enter_openat' "
	     "has no field 'filname'\n"
	     "note: did you mean 'filename'?\n"
	     "note: its fields are: __syscall_nr, dfd, filename, flags, mode");
	ERRS(EXEC " { @ = args->xyzzy; }",
	     "<stdin>:1:49: error: tracepoint 'sched:sched_process_exec' has "
	     "no field 'xyzzy'\n"
	     "note: its fields are: filename, pid, old_pid");
	ERR("t:syscalls:sys_*_openat { @ = args.filename; }",
	    "<stdin>:1:36: error: tracepoint 'syscalls:sys_exit_openat' has "
	    "no field 'filename'");
	ERRS("t:syscalls:sys_enter_openat, " EXEC " { @ = args.filename; }",
	     "<stdin>:1:77: error: field 'filename' has different types in "
	     "the tracepoints this probe matches\n"
	     "note: split the probe so that each block sees one type");
	ERR("BEGIN { @ = args.dfd; }",
	    "<stdin>:1:13: error: 'args' can only be used in tracepoint "
	    "probes");
	ERR("END { printf(\"%d\\n\", args->dfd); }",
	    "<stdin>:1:22: error: 'args' can only be used in tracepoint "
	    "probes");
	ERR(RAW " { @ = args.args[6]; }",
	    "<stdin>:1:51: error: index 6 is out of range for 'args', which "
	    "has 6 elements");
	ERR(RAW " { @ = args.args[pid]; }",
	    "<stdin>:1:51: error: the index of 'args' must be a constant "
	    "integer");
	ERR(SWITCH " { @ = args.prev_comm[0]; }",
	    "<stdin>:1:37: error: a string cannot be indexed");
	ERR(OPENAT " { @ = args.dfd.x; }",
	    "<stdin>:1:53: error: cannot access field 'x' of an integer");
	ERR(OPENAT " { @ = args; }",
	    "<stdin>:1:44: error: cannot store args in map '@'");
	/* args is a record, not a key */
	ERR(OPENAT " { @[args] = 1; }",
	    "<stdin>:1:42: error: cannot use args as a map key");
}

/* strftime() formats travel as an index in 6 bits: 64 formats fit, the
 * 65th is refused where it is written. */
static void test_strftime_formats(void)
{
	char prog[8192], want[256];
	size_t at = 0;

	at += snprintf(prog + at, sizeof(prog) - at, "BEGIN {");
	for (int i = 0; i < 64; i++)
		at += snprintf(prog + at, sizeof(prog) - at,
			       " @t%d = strftime(\"%d\", 1);", i, i);
	snprintf(prog + at, sizeof(prog) - at, " }");
	ok_at(__LINE__, prog);
	snprintf(prog + at, sizeof(prog) - at,
		 " @t64 = strftime(\"64\", 1); }");
	snprintf(want, sizeof(want), "<stdin>:1:%zu: error: a program may "
		 "use at most 64 different strftime() formats",
		 (size_t)(strstr(prog, "\"64\"") - prog) + 1);
	err_at(__LINE__, prog, want);
}

static void test_call_errors(void)
{
	ERRS("BEGIN { @x = cont(); }",
	     "<stdin>:1:14: error: unknown function 'cont'\n"
	     "note: did you mean 'count'?");
	ERRS("BEGIN { prinf(\"x\"); }",
	     "<stdin>:1:9: error: unknown function 'prinf'\n"
	     "note: did you mean 'printf'?");
	ERRS("BEGIN { frobnicate(); }",
	     "<stdin>:1:9: error: unknown function 'frobnicate'");
	ERR("BEGIN { @x = printf; }",
	    "<stdin>:1:14: error: 'printf' is a function: call it as "
	    "printf()");
	ERR("BEGIN { @x = pdi; }",
	    "<stdin>:1:14: error: unknown identifier 'pdi'");
	ERR("BEGIN { printf(); }",
	    "<stdin>:1:9: error: printf() takes 1 to 33 arguments, 0 given");
	ERR("BEGIN { @s = str(); }",
	    "<stdin>:1:14: error: str() takes 1 or 2 arguments, 0 given");
	ERR("BEGIN { @s = str(comm, 2, 3); }",
	    "<stdin>:1:14: error: str() takes 1 or 2 arguments, 3 given");
	ERR("BEGIN { @c = count(1); }",
	    "<stdin>:1:14: error: count() takes no arguments, 1 given");
	ERR("BEGIN { @c = sum(); }",
	    "<stdin>:1:14: error: sum() takes 1 argument, 0 given");
	ERR("BEGIN { @c = sum(1, 2); }",
	    "<stdin>:1:14: error: sum() takes 1 argument, 2 given");
	ERR("BEGIN { exit(1, 2); }",
	    "<stdin>:1:9: error: exit() takes 0 or 1 arguments, 2 given");
	ERR("BEGIN { exit(\"a\"); }",
	    "<stdin>:1:14: error: exit() takes an integer exit status, found "
	    "a string");
	ERR("BEGIN { @x = exit(); }",
	    "<stdin>:1:14: error: cannot store a call that returns nothing "
	    "in map '@x'");
	ERR(OPENAT " { $n = 8; @ = str(args.filename, $n); }",
	    "<stdin>:1:71: error: the length given to str() must be a "
	    "constant integer");
	ERR("BEGIN { @x = str(comm, 0); }",
	    "<stdin>:1:24: error: str() length must be from 1 to 1024, "
	    "found 0");
	ERR("BEGIN { @x = str(comm, 1025); }",
	    "<stdin>:1:24: error: str() length must be from 1 to 1024, "
	    "found 1025");
	ERR("BEGIN { @x = str(probe); }",
	    "<stdin>:1:18: error: str() needs a pointer or a string, "
	    "found a probe name");
	ERR("BEGIN { printf(\"%s\", usym(comm)); }",
	    "<stdin>:1:27: error: usym() needs an address, found a string");
	ERR("BEGIN { @x = usym(); }",
	    "<stdin>:1:14: error: usym() takes 1 argument, 0 given");
	test_strftime_formats();
}

static void test_printf_errors(void)
{
	ERR("BEGIN { printf(\"%d\\n\", comm); }",
	    "<stdin>:1:24: error: '%d' expects an integer, got a string");
	ERR("BEGIN { printf(\"%s\\n\", pid); }",
	    "<stdin>:1:24: error: '%s' expects a string, got an integer");
	ERR("BEGIN { printf(\"%x %s\\n\", 1, 2); }",
	    "<stdin>:1:30: error: '%s' expects a string, got an integer");
	ERR("BEGIN { printf(\"%s %d\\n\", probe, probe); }",
	    "<stdin>:1:34: error: '%d' expects an integer, got a probe "
	    "name");
	ERR("BEGIN { printf(\"%d %d\\n\", 1); }",
	    "<stdin>:1:16: error: the format has 2 conversions but 1 "
	    "argument is given");
	ERR("BEGIN { printf(\"%d\\n\", 1, 2); }",
	    "<stdin>:1:27: error: the format has 1 conversion but 2 "
	    "arguments are given");
	ERR("BEGIN { printf(\"%q\\n\", 1); }",
	    "<stdin>:1:17: error: invalid conversion '%q'");
	/* escapes before the conversion do not shift the column */
	ERR("BEGIN { printf(\"\\t\\t%q\\n\", 1); }",
	    "<stdin>:1:21: error: invalid conversion '%q'");
	ERR("BEGIN { printf(\"100%\"); }",
	    "<stdin>:1:20: error: incomplete conversion '%' at end of format");
	ERR("BEGIN { printf(1); }",
	    "<stdin>:1:16: error: the format of printf() must be a string "
	    "literal");
	ERR("BEGIN { $f = \"x\"; printf($f); }",
	    "<stdin>:1:26: error: the format of printf() must be a string "
	    "literal");
}

static void test_map_errors(void)
{
	ERR("BEGIN { @m[1] = 1; @m[1, 2] = 2; }",
	    "<stdin>:1:20: error: map '@m' is used with 2 keys here but with "
	    "1 elsewhere");
	ERR("BEGIN { @m[1] = 1; } END { @m = 2; }",
	    "<stdin>:1:28: error: map '@m' is used with 0 keys here but with "
	    "1 elsewhere");
	ERR("BEGIN { @m[1] = 1; @m[\"a\"] = 2; }",
	    "<stdin>:1:23: error: map '@m' key 1 is a string here but an "
	    "integer elsewhere");
	ERR("BEGIN { @m[1, comm] = 1; @m[2, 3] = 2; }",
	    "<stdin>:1:32: error: map '@m' key 2 is an integer here but "
	    "a string elsewhere");
	ERR("BEGIN { @[1,2,3,4,5,6,7,8,9] = 1; }",
	    "<stdin>:1:9: error: map '@' has 9 keys; at most 8 are supported");
	ERR("BEGIN { @m = 1; @m = count(); }",
	    "<stdin>:1:17: error: map '@m' holds a value elsewhere; it cannot "
	    "also hold count()");
	ERR("BEGIN { @m = count(); @m = 1; }",
	    "<stdin>:1:23: error: map '@m' holds count() elsewhere; it cannot "
	    "also hold a value");
	/* two aggregations in one map */
	ERR("BEGIN { @m = count(); @m = sum(1); }",
	    "<stdin>:1:23: error: map '@m' holds count() elsewhere; it cannot "
	    "also hold sum()");
	ERR("BEGIN { @x = 1; } END { @x = \"a\"; }",
	    "<stdin>:1:30: error: map '@x' holds integers, cannot assign "
	    "a string");
	ERR("BEGIN { @x = @y; }",
	    "<stdin>:1:14: error: map '@y' is read but never assigned");
	/* count() ... avg() read as one merged value; stats() cannot */
	OK("BEGIN { @c = count(); printf(\"%d\\n\", @c); }");
	OK("BEGIN { @c = avg(1); @m = min(2); @x[1] = max(3); "
	   "$v = @c + @m; if (@x[1] > $v) { exit(); } }");
	ERR("BEGIN { @c = stats(1); printf(\"%d\\n\", @c); }",
	    "<stdin>:1:39: error: map '@c' holds stats(), which can only be "
	    "printed, not read in a probe");
	ERR("BEGIN { @c = count(); @c += 1; }",
	    "<stdin>:1:23: error: '+=' cannot update map '@c', which holds "
	    "count()");
}

static void test_variable_errors(void)
{
	ERR("BEGIN { printf(\"%d\\n\", $x); }",
	    "<stdin>:1:24: error: '$x' is used before it is assigned");
	ERR("BEGIN { $x = $x + 1; }",
	    "<stdin>:1:14: error: '$x' is used before it is assigned");
	ERR("BEGIN { $x++; }",
	    "<stdin>:1:9: error: '$x' is used before it is assigned");
	/* variables belong to their probe */
	ERR("BEGIN { $x = 1; } END { printf(\"%d\", $x); }",
	    "<stdin>:1:38: error: '$x' is used before it is assigned");
	ERRS("BEGIN { $x = 1; $x = \"a\"; }",
	     "<stdin>:1:22: error: '$x' holds integers, cannot assign a "
	     "string\n"
	     "<stdin>:1:9: note: '$x' was first assigned here");
	ERR("BEGIN { $x = comm; $x = 1; }",
	    "<stdin>:1:25: error: '$x' holds strings, cannot assign an "
	    "integer");
	ERR(OPENAT " { $a = args; }",
	    "<stdin>:1:45: error: cannot assign args to '$a'");
	/* and to their block */
	OK("BEGIN { $x = 1; if ($x) { $x = 2; $y = $x; } }");
	OK("BEGIN { if (1) { $x = 1; } else { $x = \"a\"; } $x = 2; }");
	OK("BEGIN { let $s; if (1) { $s = \"a\"; } printf(\"%s\", $s); }");
	ERR("BEGIN { if (1) { $x = 1; } $y = $x; }",
	    "<stdin>:1:33: error: '$x' is not in scope here: it was declared "
	    "in the block at line 1");
	ERR("BEGIN { while (1) { $x = 1; break; } $y = $x; }",
	    "<stdin>:1:43: error: '$x' is not in scope here: it was declared "
	    "in the block at line 1");
	ERR("BEGIN { $x = 1; { let $x; } }",
	    "<stdin>:1:19: error: '$x' is already declared in an enclosing "
	    "block; a variable cannot be shadowed");
	ERR("BEGIN { let $x; let $x; }",
	    "<stdin>:1:17: error: '$x' is already declared in this block");
	ERR("BEGIN { @m[1] = 1; $kv = 1; for ($kv : @m) { } }",
	    "<stdin>:1:29: error: '$kv' is already declared; a for loop "
	    "needs a new variable");
}

static void test_operator_errors(void)
{
	ERR("BEGIN { $x = \"a\" + 1; }",
	    "<stdin>:1:14: error: invalid operands to '+': string and "
	    "integer");
	ERR("BEGIN { $x = comm * 2; }",
	    "<stdin>:1:14: error: invalid operands to '*': string and "
	    "integer");
	ERR("BEGIN { $x = \"a\" == 1; }",
	    "<stdin>:1:14: error: invalid operands to '==': string and "
	    "integer");
	ERR("BEGIN { $x = pid != comm; }",
	    "<stdin>:1:14: error: invalid operands to '!=': integer and "
	    "string");
	ERR("BEGIN { $x = comm < \"a\"; }",
	    "<stdin>:1:14: error: invalid operands to '<': string and "
	    "string");
	ERR("BEGIN { $x = -\"a\"; }",
	    "<stdin>:1:14: error: '-' needs an integer, found a string");
	ERR("BEGIN { $x = probe + 1; }",
	    "<stdin>:1:14: error: '+' needs integer operands, found a "
	    "probe name");
	ERR("BEGIN { if (comm) { } }",
	    "<stdin>:1:13: error: a condition must be an integer, found "
	    "a string");
	ERR("BEGIN /comm/ { }",
	    "<stdin>:1:8: error: a predicate must be an integer, found a "
	    "string");
	ERR("BEGIN { $x = 1 ? \"a\" : 2; }",
	    "<stdin>:1:14: error: the branches of '?:' have different "
	    "types: a string and an integer");
	ERR("BEGIN { $x = pid[1]; }",
	    "<stdin>:1:14: error: an integer cannot be indexed");
	ERR("BEGIN { $s = \"a\"; $s += 1; }",
	    "<stdin>:1:19: error: '+=' needs an integer target, found a "
	    "string");
	/* the operator is named as written */
	ERR("BEGIN { $s = \"a\"; $s++; }",
	    "<stdin>:1:19: error: '++' needs an integer, found a string");
	ERR("BEGIN { $s = \"a\"; --$s; }",
	    "<stdin>:1:19: error: '--' needs an integer, found a string");
	/* located at the operator */
	ERR("BEGIN { @x = \"a\"; @x++; }",
	    "<stdin>:1:19: error: '++' needs an integer, found a string");
	{	/* a literal one byte over the string limit */
		char prog[1100];
		int n = snprintf(prog, sizeof(prog), "BEGIN { $x = \"");
		memset(prog + n, 'a', 1024);
		snprintf(prog + n + 1024, sizeof(prog) - n - 1024, "\"; }");
		ERR(prog, "<stdin>:1:14: error: string literal is 1024 bytes "
		    "long; the limit is 1023");
	}
}

static void test_aggregation_errors(void)
{
	ERR("BEGIN { $x = count(); }",
	    "<stdin>:1:14: error: count() can only be assigned to a map");
	ERR("BEGIN { count(); }",
	    "<stdin>:1:9: error: count() can only be assigned to a map");
	ERR("BEGIN { printf(\"%d\\n\", sum(1)); }",
	    "<stdin>:1:24: error: sum() can only be assigned to a map");
	ERR("BEGIN { @x = count() + 1; }",
	    "<stdin>:1:14: error: count() can only be assigned to a map");
	ERR("BEGIN { @x[count()] = 1; }",
	    "<stdin>:1:12: error: count() can only be assigned to a map");
	ERR("BEGIN { @x += count(); }",
	    "<stdin>:1:15: error: count() can only be assigned to a map");
	ERR("BEGIN { @x = sum(comm); }",
	    "<stdin>:1:18: error: sum() needs an integer, found a string");
}

/* A long expression must not crash the compiler: it gets a located
 * "nested too deeply" error. */
static void test_deep_expression(void)
{
	size_t n = 100000;
	char *text = xmalloc(2 * n + 64), *p = text;
	pid_t child;
	int status = 0;

	p += sprintf(p, "BEGIN { $x = ");
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "1+");
	sprintf(p, "1; }");
	fflush(stderr);
	child = fork();
	if (child == 0) {
		char *msgs;
		check_text(text, &msgs);
		_exit(0);
	}
	CHECK(child > 0 && waitpid(child, &status, 0) == child);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (WIFSIGNALED(status))
		fprintf(stderr, "  a %zu-term sum killed sema with signal %d\n",
			n + 1, WTERMSIG(status));
	free(text);
}

int main(int argc, char **argv)
{
	const char *fixtures = getenv("FIXTURES");
	char *root;

	if (!fixtures || !*fixtures)
		fixtures = argc > 1 ? argv[1] : "tests/fixtures";
	root = xasprintf("%s/tracefs", fixtures);
	setenv("SCRY_TRACEFS", root, 1);
	CHECK_STR(tracefs_root(), root);

	test_builtin_types();
	test_expression_types();
	test_field_types();
	test_accepted();
	test_probe_errors();
	test_field_errors();
	test_call_errors();
	test_printf_errors();
	test_map_errors();
	test_variable_errors();
	test_operator_errors();
	test_aggregation_errors();
	test_deep_expression();
	free(root);
	return unit_done("test-sema");
}
