/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Expressions: literals, positional parameters, identifiers, calls,
 * operators, casts and tuples. Maps are typed in sema_maps.c, fields in
 * sema_fields.c, variables in scope.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "providers/provider.h"
#include "sema_internal.h"
#include "stdlib/builtins.h"

static void sema_expr_inner(struct sema *s, struct ast_node *n);

/* Deeper expressions are refused, so that no pass (including codegen and
 * LLVM) recurses without bound. */
#define SEMA_MAX_DEPTH 500

/* $1, $2 ... become the command line's arguments: an integer when the
 * argument is one, else a string; one not given is 0. $# is their
 * count. The node turns into that literal. */
static bool positional(struct sema *s, struct ast_node *n)
{
	const char *name = n->name + 1, *arg;
	long idx;

	if (*name == '#') {
		n->kind = AST_INT;
		n->ival = s->nparams;
		n->type = type_int(8, true);
		return true;
	}
	if (*name < '0' || *name > '9')
		return false;
	idx = strtol(name, NULL, 10);
	if (idx < 1) {
		diag_error(s->diag, n->loc, "positional parameters start at "
			   "$1");
		return true;
	}
	/* a parameter not given is 0, or "" in str() */
	arg = idx <= s->nparams ? s->params[idx - 1] : NULL;
	if (!arg) {
		n->kind = AST_INT;
		n->ival = 0;
		n->type = type_int(8, true);
		n->str = "";
		n->slen = 0;
		return true;
	}
	long long v;
	if (sema_cli_number(arg, &v)) {
		n->kind = AST_INT;
		n->ival = v;
		n->type = type_int(8, true);
		n->str = arena_strdup(s->arena, arg);	/* for str($1) */
		n->slen = strlen(arg);
		return true;
	}
	n->kind = AST_STRING;
	n->str = arena_strdup(s->arena, arg);
	n->slen = strlen(arg);
	n->type = type_string(n->slen + 1);
	return true;
}

/* A number given on the command line ($1, --name=N): decimal, or
 * hexadecimal with 0x; "010" is ten, as people type it. */
bool sema_cli_number(const char *arg, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(arg, &end, arg[0] == '0' && (arg[1] == 'x' ||
						  arg[1] == 'X') ? 16 : 10);
	return *arg && !*end && !errno;
}

/* ---- expressions ----------------------------------------------------- */

static void check_ident(struct sema *s, struct ast_node *n)
{
	const struct builtin *b;

	if (s->cur->prov && s->cur->prov->builtin &&
	    s->cur->prov->builtin(s, s->cur, n)) {
		if (s->cur->uses_args && s->cur->prov->prepare)
			s->cur->prov->prepare(s, s->cur);
		return;
	}
	b = builtin_find(n->name, BI_VAR);
	if (b) {
		n->sym = (void *)b;
		if (b->check)
			b->check(s, n, b);
		else
			n->type = b->ret;
		return;
	}
	if (!strcmp(n->name, "args")) {
		diag_error(s->diag, n->loc, "'args' can only be used in "
			   "tracepoint probes");
		return;
	}
	b = builtin_find(n->name, BI_FUNC);
	if (!b)
		b = builtin_find(n->name, BI_AGG);
	if (b) {
		diag_error(s->diag, n->loc, "'%s' is a function: call it as "
			   "%s()", n->name, n->name);
		return;
	}
	diag_error(s->diag, n->loc, "unknown identifier '%s'", n->name);
	const char *cands[64];
	unsigned nc = 0;
	for (unsigned i = 0; i < builtin_count && nc < 63; i++)
		if (builtin_table[i].kind == BI_VAR)
			cands[nc++] = builtin_table[i].name;
	if (s->cur->prov && s->cur->prov->builtin)
		cands[nc++] = "args";
	const char *best = diag_closest(n->name, cands, nc);
	if (best)
		diag_plain_note(s->diag, "did you mean '%s'?", best);
}

void sema_check_call(struct sema *s, struct ast_node *n, bool as_value)
{
	const struct builtin *b = builtin_find(n->name, BI_FUNC);
	unsigned na = ast_count(n->list);

	if (!b)
		b = builtin_find(n->name, BI_AGG);
	if (!b) {
		const char *cands[64];
		unsigned nc = 0;
		for (unsigned i = 0; i < builtin_count && nc < 64; i++)
			if (builtin_table[i].kind != BI_VAR)
				cands[nc++] = builtin_table[i].name;
		diag_error(s->diag, n->loc, "unknown function '%s'", n->name);
		const char *best = diag_closest(n->name, cands, nc);
		if (best)
			diag_plain_note(s->diag, "did you mean '%s'?", best);
		return;
	}
	n->sym = (void *)b;
	if (b->kind == BI_AGG && !as_value) {
		diag_error(s->diag, n->loc, "%s() can only be assigned to a "
			   "map", b->name);
		return;
	}
	if (na < b->min_args || na > b->max_args) {
		if (b->min_args == b->max_args && !b->min_args)
			diag_error(s->diag, n->loc, "%s() takes no arguments, "
				   "%u given", b->name, na);
		else if (b->min_args == b->max_args)
			diag_error(s->diag, n->loc, "%s() takes %u argument%s, "
				   "%u given", b->name, b->min_args,
				   b->min_args == 1 ? "" : "s", na);
		else if (b->max_args == b->min_args + 1)
			diag_error(s->diag, n->loc, "%s() takes %u or %u "
				   "arguments, %u given", b->name,
				   b->min_args, b->max_args, na);
		else
			diag_error(s->diag, n->loc, "%s() takes %u to %u "
				   "arguments, %u given", b->name,
				   b->min_args, b->max_args, na);
		return;
	}
	if (b->check) {
		b->check(s, n, b);
	} else {
		for (struct ast_node *a = n->list; a; a = a->next)
			sema_expr(s, a);
		n->type = b->ret;
	}
}

/* (a, b, ...): each element keeps its type, integers as 64 bits */
static void check_tuple(struct sema *s, struct ast_node *n)
{
	unsigned cnt = ast_count(n->list), i = 0;
	struct type *e = arena_alloc(s->arena, (cnt + 1) * sizeof(*e));
	bool ok = true;

	for (struct ast_node *a = n->list; a; a = a->next, i++) {
		sema_expr(s, a);
		e[i] = a->type;
		if (a->type.kind == TY_INT)
			e[i] = type_int(8, a->type.is_signed);
		if (a->type.kind == TY_VOID || a->type.kind == TY_ARGS ||
		    a->type.kind == TY_AGG) {
			diag_error(s->diag, a->loc, "a tuple cannot hold %s",
				   a->type.kind == TY_VOID
					   ? "a call that returns nothing"
					   : tstr(&a->type));
			ok = false;
		}
		ok &= a->type.kind != TY_NONE;
	}
	if (ok)
		n->type = type_tuple(s->arena, e, cnt);
}

static const char *operand_word(const struct type *t)
{
	const char *w = tstr(t);

	if (!strncmp(w, "a ", 2))
		return w + 2;
	if (!strncmp(w, "an ", 3))
		return w + 3;
	return w;
}

static bool is_cmp(enum ast_op op)
{
	return op >= OP_EQ && op <= OP_GE;
}

static void check_binary(struct sema *s, struct ast_node *n)
{
	struct type *l = &n->a->type, *r = &n->b->type;

	sema_expr(s, n->a);
	sema_expr(s, n->b);
	if (l->kind == TY_NONE || r->kind == TY_NONE)
		return;
	if (l->kind == TY_STR && r->kind == TY_STR &&
	    (n->op == OP_EQ || n->op == OP_NE)) {
		n->type = type_int(8, true);
		return;
	}
	if (l->kind != TY_INT || r->kind != TY_INT) {
		struct ast_node *bad = l->kind != TY_INT ? n->a : n->b;
		if (l->kind == TY_STR || r->kind == TY_STR)
			diag_error(s->diag, n->loc, "invalid operands to '%s': "
				   "%s and %s", ast_op_name(n->op),
				   operand_word(l), operand_word(r));
		else
			diag_error(s->diag, bad->loc, "'%s' needs integer "
				   "operands, found %s", ast_op_name(n->op),
				   tstr(&bad->type));
		return;
	}
	if (is_cmp(n->op) || n->op == OP_LAND || n->op == OP_LOR)
		n->type = type_int(8, true);
	else if (n->op == OP_SUB)	/* as in bpftrace: a difference is
					   signed, so a - b < 0 works */
		n->type = type_int(8, true);
	else	/* 64-bit arithmetic; unsigned if either side is */
		n->type = type_int(8, l->is_signed && r->is_signed);
	/* remember whether a comparison is unsigned */
	n->aux = !(l->is_signed && r->is_signed) &&
		 !(n->a->kind == AST_INT || n->b->kind == AST_INT);
	if (n->a->kind == AST_INT && n->b->kind != AST_INT)
		n->aux = !r->is_signed;
	if (n->b->kind == AST_INT && n->a->kind != AST_INT)
		n->aux = !l->is_signed;
}

static void check_unary(struct sema *s, struct ast_node *n)
{
	sema_expr(s, n->a);
	if (n->a->type.kind == TY_NONE)
		return;
	if (n->a->type.kind != TY_INT) {
		diag_error(s->diag, n->loc, "'%s' needs an integer, found %s",
			   ast_op_name(n->op), tstr(&n->a->type));
		return;
	}
	n->type = type_int(8, n->op == OP_NOT || n->op == OP_NEG ||
				      n->a->type.is_signed);
}

static void check_incdec(struct sema *s, struct ast_node *n)
{
	struct ast_node *t = n->a;

	if (t->kind == AST_VAR && is_positional(t->name)) {
		diag_error(s->diag, t->loc, "'%s' is a positional parameter; "
			   "it cannot be assigned", t->name);
		return;
	}
	if (t->kind == AST_VAR) {
		if (!sema_var_read(s, t))
			return;
	} else if (t->kind == AST_MAP) {
		/* @x++ counts like @x = @x + 1 on a plain integer map */
		if (!sema_int_map_update(s, n, t))
			return;
	} else {
		diag_error(s->diag, n->loc, "'%s' needs a variable or a map",
			   ast_op_name(n->op));
		return;
	}
	if (t->type.kind != TY_INT && t->type.kind != TY_NONE)
		diag_error(s->diag, n->loc, "'%s' needs an integer, found %s",
			   ast_op_name(n->op), tstr(&t->type));
	n->type = type_int(8, true);
}

/* the type of (int8) ... (uint64), (bool) */
struct type sema_cast_type(const char *name)
{
	bool sgn = name[0] != 'u' && name[0] != 'b';
	unsigned bits = name[0] == 'b' ? 8 : atoi(name + (sgn ? 3 : 4));

	return type_int(bits / 8, sgn);
}

static void check_cast(struct sema *s, struct ast_node *n)
{
	sema_expr(s, n->a);
	if (n->a->type.kind && n->a->type.kind != TY_INT) {
		diag_error(s->diag, n->loc, "cannot cast %s to %s",
			   tstr(&n->a->type), n->name);
		return;
	}
	n->type = sema_cast_type(n->name);
}

void sema_expr(struct sema *s, struct ast_node *n)
{
	if (++s->depth > SEMA_MAX_DEPTH) {
		if (s->depth == SEMA_MAX_DEPTH + 1)
			diag_error(s->diag, n->loc, "expression is nested too "
				   "deeply (the limit is %d levels)",
				   SEMA_MAX_DEPTH);
		s->depth--;
		return;
	}
	sema_expr_inner(s, n);
	s->depth--;
}

static void sema_expr_inner(struct sema *s, struct ast_node *n)
{
	switch (n->kind) {
	case AST_INT:
		n->type = type_int(8, n->ival <= INT64_MAX);
		break;
	case AST_STRING:
		if (n->slen + 1 > SCRY_MAX_STRLEN)
			diag_error(s->diag, n->loc, "string literal is %zu "
				   "bytes long; the limit is %d", n->slen,
				   SCRY_MAX_STRLEN - 1);
		n->type = type_string(n->slen + 1);
		break;
	case AST_IDENT:
		check_ident(s, n);
		break;
	case AST_VAR: {
		if (positional(s, n))
			break;
		sema_var_read(s, n);
		break;
	}
	case AST_MAP:
		sema_check_map_read(s, n);
		break;
	case AST_CALL:
		sema_check_call(s, n, false);
		break;
	case AST_BINARY:
		check_binary(s, n);
		break;
	case AST_UNARY:
		check_unary(s, n);
		break;
	case AST_TERNARY:
		sema_expr(s, n->a);
		sema_expr(s, n->b);
		sema_expr(s, n->c);
		if (n->a->type.kind != TY_INT && n->a->type.kind != TY_NONE)
			diag_error(s->diag, n->a->loc, "a condition must be "
				   "an integer, found %s", tstr(&n->a->type));
		if (n->b->type.kind != n->c->type.kind) {
			if (n->b->type.kind && n->c->type.kind)
				diag_error(s->diag, n->loc, "the branches of "
					   "'?:' have different types: %s "
					   "and %s", tstr(&n->b->type),
					   tstr(&n->c->type));
			break;
		}
		if (n->b->type.kind == TY_TUPLE &&
		    !type_unify(s->arena, &n->b->type, &n->c->type,
				&n->type)) {
			diag_error(s->diag, n->loc, "the branches of '?:' are "
				   "tuples of different types");
			break;
		}
		if (n->b->type.kind != TY_TUPLE)
			n->type = n->b->type;
		if (n->type.kind == TY_INT)
			n->type = type_int(8, n->b->type.is_signed &&
						      n->c->type.is_signed);
		if (n->type.kind == TY_STR && n->c->type.size > n->type.size)
			n->type.size = n->c->type.size;
		break;
	case AST_FIELD:
		sema_check_field(s, n);
		break;
	case AST_INDEX:
		sema_check_index(s, n);
		break;
	case AST_INCDEC:
		check_incdec(s, n);
		break;
	case AST_CAST:
		check_cast(s, n);
		break;
	case AST_TUPLE:
		check_tuple(s, n);
		break;
	default:
		diag_error(s->diag, n->loc, "unexpected %s in an expression",
			   ast_kind_name(n->kind));
		break;
	}
}
