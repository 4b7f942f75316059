/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The grammar: bpftrace's syntax. The parser only builds the AST; every
 * decision about meaning is left to sema. */
%define api.pure full
%define parse.error custom
%define parse.lac full
%locations
%define api.location.type {struct loc}
%parse-param {struct lex_ctx *ctx}
%lex-param {void *scanner}

%code requires {
#include "lexer.h"
}

%code provides {
int yylex(YYSTYPE *lval, YYLTYPE *lloc, void *scanner);
}

%code {
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#define scanner ctx->scanner
#define YYLLOC_DEFAULT(cur, rhs, n)                                     \
	do {                                                            \
		if (n) {                                                \
			(cur).begin = YYRHSLOC(rhs, 1).begin;           \
			(cur).end = YYRHSLOC(rhs, n).end;               \
		} else {                                                \
			(cur).begin = (cur).end = YYRHSLOC(rhs, 0).end; \
		}                                                       \
	} while (0)
/* The most states the parser's stack holds. Each level of nesting takes
 * one to four: an open '(' or '{', a prefix operator, a '?' waiting for
 * its ':', an 'if' or 'else' waiting for its block. Bison's own limit is
 * the same, but it says only "memory exhausted" (see yyerror). */
#define PARSE_MAX_DEPTH 10000
#define YYMAXDEPTH PARSE_MAX_DEPTH
static void yyerror(YYLTYPE *loc, struct lex_ctx *ctx, const char *msg);
static struct ast_node *node(struct lex_ctx *ctx, enum ast_kind k,
			     struct loc l)
{
	return ast_new(ctx->arena, k, l);
}
/* Append to a list the parser is building, in constant time: the head
 * remembers its last node (long programs would be quadratic). */
static struct ast_node *list_append(struct ast_node *head,
				    struct ast_node *n)
{
	struct ast_node *last;

	if (!n)
		return head;
	last = n;
	while (last->next)
		last = last->next;
	if (!head) {
		n->tail = last;
		return n;
	}
	(head->tail ? head->tail : head)->next = n;
	head->tail = last;
	return head;
}

static struct ast_node *binary(struct lex_ctx *ctx, enum ast_op op,
			       struct ast_node *a, struct ast_node *b,
			       struct loc l)
{
	struct ast_node *n = node(ctx, AST_BINARY, l);
	n->op = op;
	n->a = a;
	n->b = b;
	return n;
}
/* $t.N: a FIELD whose name is the index, written out */
static struct ast_node *tuple_elem(struct lex_ctx *ctx, struct ast_node *t,
				   uint64_t idx, struct loc l)
{
	struct ast_node *n = node(ctx, AST_FIELD, l);
	n->a = t;
	n->ival = idx;
	n->name = arena_printf(ctx->arena, "%llu", (unsigned long long)idx);
	return n;
}
static struct ast_node *unary(struct lex_ctx *ctx, enum ast_op op,
			      struct ast_node *a, struct loc l)
{
	struct ast_node *n = node(ctx, AST_UNARY, l);
	n->op = op;
	n->a = a;
	return n;
}
}

%union {
	struct ast_node *node;
	const char *str;
	uint64_t ival;
	enum ast_op op;
	struct { const char *str; size_t slen; } s;
}

%token YYEOF 0 "end of input"
%token <str> ATTACH "attach point"
%token <str> IDENT "identifier"
%token <str> VAR "variable"
%token <str> MAP "map"
%token <ival> INT "integer"
%token <s> STRING "string"
%token ENDPRED "'/' ending the predicate"
%token IF "if" ELSE "else" WHILE "while" UNROLL "unroll" FOR "for"
%token RETURN "return" BREAK "break" CONTINUE "continue" LET "let"
%token DOTDOT ".."
%token MACRO "macro" CONFIG "config" IMPORT "import"
%token <str> TYPENAME "type name"
%token EQ "==" NE "!=" LE "<=" GE ">=" LAND "&&" LOR "||" SHL "<<" SHR ">>"
%token INC "++" DEC "--" ARROW "->"
%token <op> OPASSIGN "compound assignment"

%type <node> probe attach_list pred block stmts stmt_seq
%type <node> simple_stmt compound_stmt if_stmt lvalue map expr expr_list
%type <node> opt_args primary postfix unary_expr loop_stmt let_stmt
%type <node> preamble item macro_def macro_params macro_param config_items
%type <node> config_item tuple_access tuple

%right '?' ':'
%left LOR
%left LAND
%left '|'
%left '^'
%left '&'
%left EQ NE
%left '<' '>' LE GE
%left SHL SHR
%left '+' '-'
%left '*' '/' '%'
%precedence MAPNOKEY
%precedence '['
%precedence VARNODOT
%precedence '.'

%%

/* a config block and imports first, then probes and macros in any
 * order; the PROGRAM's list holds them all in source order */
program: preamble		{ ctx->program = node(ctx, AST_PROGRAM, @$);
				  ctx->program->list = $1; }
	;

preamble: item			{ $$ = $1; }
	| preamble item		{ $$ = list_append($1, $2); }
	;

item: probe			{ $$ = $1; }
	| macro_def		{ $$ = $1; }
	| CONFIG '=' '{' config_items '}' { $$ = node(ctx, AST_CONFIG, @1);
				  $$->list = $4; }
	| IMPORT STRING ';'	{ $$ = node(ctx, AST_IMPORT, @1); $$->str = $2.str;
				  $$->slen = $2.slen; }
	/* let @m = lruhash(N);: the kind and size of a map */
	| LET MAP '=' IDENT '(' expr ')' ';' {
				  $$ = node(ctx, AST_MAPDECL, @2); $$->name = $2;
				  $$->b = node(ctx, AST_IDENT, @4); $$->b->name = $4;
				  $$->a = $6; }
	;

/* macro NAME(params) { body }: the body is statements, or one
 * expression whose value the macro has */
macro_def: MACRO IDENT '(' macro_params ')' block {
				  $$ = node(ctx, AST_MACRO, @2); $$->name = $2;
				  $$->list = $4; $$->body = $6; }
	;

macro_params: %empty		{ $$ = NULL; }
	| macro_param		{ $$ = $1; }
	| macro_params ',' macro_param { $$ = list_append($1, $3); }
	;

macro_param: IDENT		{ $$ = node(ctx, AST_IDENT, @1); $$->name = $1; }
	| VAR			{ $$ = node(ctx, AST_VAR, @1); $$->name = $1; }
	| MAP			{ $$ = node(ctx, AST_MAP, @1); $$->name = $1; }
	;

config_items: %empty		{ $$ = NULL; }
	| config_item		{ $$ = $1; }
	| config_items ';'	{ $$ = $1; }
	| config_items ';' config_item { $$ = list_append($1, $3); }
	;

config_item: IDENT '=' expr	{ $$ = node(ctx, AST_ASSIGN, @$);
				  $$->name = $1; $$->b = $3; }
	;

probe: attach_list pred block	{ $$ = node(ctx, AST_PROBE, @1);
				  $$->list = $1; $$->a = $2; $$->body = $3; }
	;

attach_list: ATTACH		{ $$ = node(ctx, AST_ATTACH, @1); $$->name = $1; }
	| attach_list ',' ATTACH {
				  struct ast_node *n = node(ctx, AST_ATTACH, @3);
				  n->name = $3;
				  $$ = list_append($1, n); }
	;

pred: %empty			{ $$ = NULL; }
	| '/' expr ENDPRED	{ $$ = $2; }
	;

block: '{' stmts '}'		{ $$ = node(ctx, AST_BLOCK, @$); $$->list = $2; }
	;

stmts: stmt_seq			{ $$ = $1; }
	| stmt_seq simple_stmt	{ $$ = list_append($1, $2); }
	;

stmt_seq: %empty		{ $$ = NULL; }
	| stmt_seq simple_stmt ';' { $$ = list_append($1, $2); }
	| stmt_seq compound_stmt { $$ = list_append($1, $2); }
	| stmt_seq ';'		{ $$ = $1; }
	;

compound_stmt: if_stmt		{ $$ = $1; }
	| loop_stmt		{ $$ = $1; }
	| block			{ $$ = $1; }
	;

/* as in bpftrace: the condition is parenthesised, or a unary expression
 * (if $ok { }, if !$x { }) so that its '{' starts the block */
if_stmt: IF unary_expr block	{ $$ = node(ctx, AST_IF, @1); $$->a = $2; $$->b = $3; }
	| IF unary_expr block ELSE block { $$ = node(ctx, AST_IF, @1);
				  $$->a = $2; $$->b = $3; $$->c = $5; }
	| IF unary_expr block ELSE if_stmt { $$ = node(ctx, AST_IF, @1);
				  $$->a = $2; $$->b = $3; $$->c = $5; }
	;

/* while (c) { }, unroll (N) { }, for ($i : A..B) { }, for ($kv : @m) { } */
loop_stmt: WHILE unary_expr block { $$ = node(ctx, AST_WHILE, @1);
				  $$->a = $2; $$->b = $3; }
	| UNROLL '(' expr ')' block { $$ = node(ctx, AST_UNROLL, @1);
				  $$->a = $3; $$->b = $5; }
	| FOR '(' VAR ':' expr DOTDOT expr ')' block {
				  $$ = node(ctx, AST_FOR, @1);
				  $$->name = $3; $$->a = $5; $$->c = $7;
				  $$->b = $9; }
	| FOR '(' VAR ':' map ')' block {
				  $$ = node(ctx, AST_FOR, @1);
				  $$->name = $3; $$->a = $5; $$->b = $7; }
	;

/* let $x; let $x = v; let $x: TYPE = v */
let_stmt: LET VAR		{ $$ = node(ctx, AST_LET, @$); $$->name = $2; }
	| LET VAR '=' expr	{ $$ = node(ctx, AST_LET, @$); $$->name = $2;
				  $$->b = $4; }
	| LET VAR ':' TYPENAME	{ $$ = node(ctx, AST_LET, @$); $$->name = $2;
				  $$->str = $4; }
	| LET VAR ':' TYPENAME '=' expr { $$ = node(ctx, AST_LET, @$);
				  $$->name = $2; $$->str = $4; $$->b = $6; }
	;

simple_stmt: expr		{ $$ = node(ctx, AST_EXPR_STMT, @1); $$->a = $1; }
	| let_stmt		{ $$ = $1; }
	| RETURN		{ $$ = node(ctx, AST_RETURN, @1); }
	| BREAK			{ $$ = node(ctx, AST_BREAK, @1); }
	| CONTINUE		{ $$ = node(ctx, AST_CONTINUE, @1); }
	| lvalue '=' expr	{ $$ = node(ctx, AST_ASSIGN, @$); $$->a = $1; $$->b = $3; }
	| lvalue OPASSIGN expr	{ $$ = node(ctx, AST_ASSIGN, @$); $$->op = $2;
				  $$->a = $1; $$->b = $3; }
	;

/* a tuple element, so that sema can say tuples are immutable */
lvalue: map			{ $$ = $1; }
	| VAR			{ $$ = node(ctx, AST_VAR, @1); $$->name = $1; }
	| tuple_access		{ $$ = $1; }
	;

map: MAP %prec MAPNOKEY		{ $$ = node(ctx, AST_MAP, @1); $$->name = $1; }
	| MAP '[' expr_list ']'	{ $$ = node(ctx, AST_MAP, @$); $$->name = $1;
				  $$->list = $3; }
	;

expr_list: expr			{ $$ = $1; }
	| expr_list ',' expr	{ $$ = list_append($1, $3); }
	;

opt_args: %empty		{ $$ = NULL; }
	| expr_list		{ $$ = $1; }
	;

expr: unary_expr		{ $$ = $1; }
	| expr '?' expr ':' expr { $$ = node(ctx, AST_TERNARY, @$);
				  $$->a = $1; $$->b = $3; $$->c = $5; }
	| expr LOR expr		{ $$ = binary(ctx, OP_LOR, $1, $3, @$); }
	| expr LAND expr	{ $$ = binary(ctx, OP_LAND, $1, $3, @$); }
	| expr '|' expr		{ $$ = binary(ctx, OP_BOR, $1, $3, @$); }
	| expr '^' expr		{ $$ = binary(ctx, OP_BXOR, $1, $3, @$); }
	| expr '&' expr		{ $$ = binary(ctx, OP_BAND, $1, $3, @$); }
	| expr EQ expr		{ $$ = binary(ctx, OP_EQ, $1, $3, @$); }
	| expr NE expr		{ $$ = binary(ctx, OP_NE, $1, $3, @$); }
	| expr '<' expr		{ $$ = binary(ctx, OP_LT, $1, $3, @$); }
	| expr '>' expr		{ $$ = binary(ctx, OP_GT, $1, $3, @$); }
	| expr LE expr		{ $$ = binary(ctx, OP_LE, $1, $3, @$); }
	| expr GE expr		{ $$ = binary(ctx, OP_GE, $1, $3, @$); }
	| expr SHL expr		{ $$ = binary(ctx, OP_SHL, $1, $3, @$); }
	| expr SHR expr		{ $$ = binary(ctx, OP_SHR, $1, $3, @$); }
	| expr '+' expr		{ $$ = binary(ctx, OP_ADD, $1, $3, @$); }
	| expr '-' expr		{ $$ = binary(ctx, OP_SUB, $1, $3, @$); }
	| expr '*' expr		{ $$ = binary(ctx, OP_MUL, $1, $3, @$); }
	| expr '/' expr		{ $$ = binary(ctx, OP_DIV, $1, $3, @$); }
	| expr '%' expr		{ $$ = binary(ctx, OP_MOD, $1, $3, @$); }
	;

unary_expr: postfix		{ $$ = $1; }
	| '(' TYPENAME ')' unary_expr { $$ = node(ctx, AST_CAST, @$);
				  $$->name = $2; $$->a = $4; }
	| '!' unary_expr	{ $$ = unary(ctx, OP_NOT, $2, @$); }
	| '~' unary_expr	{ $$ = unary(ctx, OP_BNOT, $2, @$); }
	| '-' unary_expr	{ $$ = unary(ctx, OP_NEG, $2, @$); }
	| INC unary_expr	{ $$ = node(ctx, AST_INCDEC, @$);
					  $$->op = OP_PRE_INC; $$->a = $2; }
	| DEC unary_expr	{ $$ = node(ctx, AST_INCDEC, @$);
					  $$->op = OP_PRE_DEC; $$->a = $2; }
	;

postfix: primary		{ $$ = $1; }
	| tuple_access %prec VARNODOT { $$ = $1; }
	| VAR '.' IDENT		{ $$ = node(ctx, AST_FIELD, @3);
				  $$->a = node(ctx, AST_VAR, @1);
				  $$->a->name = $1; $$->name = $3; }
	| postfix '.' IDENT	{ $$ = node(ctx, AST_FIELD, @3); $$->a = $1; $$->name = $3; }
	| postfix ARROW IDENT	{ $$ = node(ctx, AST_FIELD, @3); $$->a = $1;
				  $$->name = $3; $$->arrow = true; }
	| postfix '.' INT	{ $$ = tuple_elem(ctx, $1, $3, @3); }
	| postfix '[' expr ']'	{ $$ = node(ctx, AST_INDEX, @$); $$->a = $1; $$->b = $3; }
	| postfix INC		{ $$ = node(ctx, AST_INCDEC, @$);
				  $$->op = OP_POST_INC; $$->a = $1; }
	| postfix DEC		{ $$ = node(ctx, AST_INCDEC, @$);
				  $$->op = OP_POST_DEC; $$->a = $1; }
	;

/* $t.0, $kv.0.1: tuple elements (postfix '.' INT takes @t.0, (a, b).1);
 * the precedences shift '.' rather than reduce VAR. */
tuple_access: VAR '.' INT	{ $$ = tuple_elem(ctx, node(ctx, AST_VAR, @1),
						  $3, @3);
				  $$->a->name = $1; }
	| tuple_access '.' INT	{ $$ = tuple_elem(ctx, $1, $3, @3); }
	;

primary: INT			{ $$ = node(ctx, AST_INT, @1); $$->ival = $1; }
	| STRING		{ $$ = node(ctx, AST_STRING, @1); $$->str = $1.str;
				  $$->slen = $1.slen; }
	| IDENT			{ $$ = node(ctx, AST_IDENT, @1); $$->name = $1; }
	| VAR %prec VARNODOT	{ $$ = node(ctx, AST_VAR, @1); $$->name = $1; }
	| map			{ $$ = $1; }
	| IDENT '(' opt_args ')' { $$ = node(ctx, AST_CALL, @1); $$->name = $1;
				  $$->list = $3; }
	| '(' expr ')'		{ $$ = $2; }
	| tuple			{ $$ = $1; }
	;

/* (a, b, ...); (a,) has one element and () none, as in bpftrace */
tuple: '(' ')'			{ $$ = node(ctx, AST_TUPLE, @$); }
	| '(' expr ',' ')'	{ $$ = node(ctx, AST_TUPLE, @$); $$->list = $2; }
	| '(' expr ',' expr_list ')' { $$ = node(ctx, AST_TUPLE, @$);
				  $$->list = list_append($2, $4); }
	;

%%

/* Syntax errors go through yyreport_syntax_error; bison calls this only
 * when its stack is full, which only nesting can do: YYMAXDEPTH states
 * fit 9,990 parentheses or 2,490 nested 'if's. */
static void yyerror(YYLTYPE *loc, struct lex_ctx *ctx, const char *msg)
{
	(void)msg;	/* "memory exhausted" */
	diag_error(ctx->diag, *loc, "the program is nested too deeply");
	diag_plain_note(ctx->diag, "the parser holds at most %d unfinished "
			"brackets, operators and statements; compute parts "
			"in variables or split the block", PARSE_MAX_DEPTH);
}

/* Bison names char tokens ';' and aliases as written ("==", "if"):
 * operators print in single quotes, words and phrases as they are. */
static void expected_name(FILE *out, yysymbol_kind_t tok)
{
	const char *name = yysymbol_name(tok);

	if (tok == YYSYMBOL_IF || tok == YYSYMBOL_ELSE)
		fprintf(out, "'%s'", name);
	else if (name[0] == '\'' || strchr(name, ' ') ||
		 isalpha((unsigned char)name[0]))
		fputs(name, out);
	else
		fprintf(out, "'%s'", name);
}

/* A token as the user wrote it: 'exit', '==', or end of input. */
static void describe(FILE *out, struct lex_ctx *ctx, yysymbol_kind_t tok,
		     const YYLTYPE *loc)
{
	unsigned len;

	switch (tok) {
	case YYSYMBOL_YYEOF:
		fputs("end of input", out);
		return;
	case YYSYMBOL_IDENT: case YYSYMBOL_VAR: case YYSYMBOL_MAP:
	case YYSYMBOL_INT: case YYSYMBOL_STRING: case YYSYMBOL_ATTACH:
	case YYSYMBOL_TYPENAME:
		len = loc->end - loc->begin;
		fprintf(out, "%s '%.*s%s'", yysymbol_name(tok),
			len > 40 ? 40 : len, ctx->src->text + loc->begin,
			len > 40 ? "..." : "");
		return;
	default:
		expected_name(out, tok);
	}
}


/* "unexpected X, expected A, B or C": the expected list only when it
 * is short enough to help; after an expression most operators could
 * follow, so then only ';' and '}' are named. */
static int yyreport_syntax_error(const yypcontext_t *pc,
				 struct lex_ctx *ctx)
{
	yysymbol_kind_t tok = yypcontext_token(pc), exp[64], pick[4];
	const YYLTYPE *loc = yypcontext_location(pc);
	int n = yypcontext_expected_tokens(pc, exp, 64), np = 0;
	char *msg = NULL;
	size_t len = 0;
	FILE *out;

	/* the lexer reported the cause already (a bad character, an
	 * unterminated string or comment): a syntax error after it is noise */
	if (ctx->diag->errors)
		return 0;
	/* end of input where a block could end: say which '{' is open */
	bool close_ok = false;
	for (int i = 0; i < n && i < 64; i++)
		if (!strcmp(yysymbol_name(exp[i]), "'}'"))
			close_ok = true;
	if (tok == YYSYMBOL_YYEOF && ctx->depth > 0 && close_ok) {
		unsigned b = ctx->braces[(ctx->depth - 1) % 64];
		diag_error(ctx->diag, *loc, "unexpected end of input, "
			   "expected '}'");
		diag_note(ctx->diag, ((struct loc){ b, b + 1 }),
			  "to match this '{'");
		return 0;
	}
	/* the tokens worth naming, in this order, when many could follow */
	static const char *const closers[] = { "';'", "'}'", "'{'", "','",
					       "')'", "']'", "':'" };
	bool expr_ok = false;
	/* at the top level: a probe (or a macro, config, import) */
	bool probe_ok = false, end_ok = false;
	for (int i = 0; i < n && i < 64; i++) {
		probe_ok |= exp[i] == YYSYMBOL_ATTACH;
		end_ok |= exp[i] == YYSYMBOL_YYEOF;
	}
	if (probe_ok) {
		char *m = NULL;
		size_t ml = 0;
		FILE *o = open_memstream(&m, &ml);
		fputs("unexpected ", o);
		describe(o, ctx, tok, loc);
		fprintf(o, ", expected %sa probe", end_ok ? "end of input or " : "");
		fclose(o);
		diag_error(ctx->diag, *loc, "%s", m);
		free(m);
		return 0;
	}
	if (n > 4) {
		for (int i = 0; i < n && i < 64; i++)
			if (exp[i] == YYSYMBOL_INT)
				expr_ok = true;
		/* what ends a predicate, or the '..' of a for range */
		for (int i = 0; i < n && i < 64 && np < 3; i++)
			if (exp[i] == YYSYMBOL_ENDPRED ||
			    exp[i] == YYSYMBOL_DOTDOT)
				pick[np++] = exp[i];
		for (size_t c = 0; c < sizeof(closers) / sizeof(*closers); c++)
			for (int i = 0; i < n && i < 64 && np < 3; i++)
				if (!strcmp(yysymbol_name(exp[i]), closers[c]))
					pick[np++] = exp[i];
	} else if (n > 0) {
		for (int i = 0; i < n; i++)
			pick[np++] = exp[i];
	}
	out = open_memstream(&msg, &len);
	fputs("unexpected ", out);
	describe(out, ctx, tok, loc);
	for (int i = 0; i < np; i++) {
		fputs(i == 0 ? ", expected " : i == np - 1 ? " or " : ", ", out);
		expected_name(out, pick[i]);
	}
	if (!np && expr_ok)
		fputs(", expected an expression", out);
	fclose(out);
	diag_error(ctx->diag, *loc, "%s", msg);
	free(msg);
	return 0;
}
