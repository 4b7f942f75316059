/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scratch variables ($x): block scopes, declaration, lookup and
 * assignment. A variable belongs to the block where it is declared or
 * first assigned, and is visible there and in the blocks inside it, as
 * in the newest bpftrace; the same name may be used again after that
 * block ends, as a new variable. */
#include <string.h>
#include "sema.h"

const char *sema_plural(const struct type *t)
{
	switch (t->kind) {
	case TY_INT: return "integers";
	case TY_STR: return "strings";
	case TY_PROBE: return "probe names";
	case TY_TUPLE: return "tuples";
	default: return type_words(t);
	}
}

/* A block starts a scope: the variables it declares are forgotten when
 * it ends (they stay in the probe's list, for codegen and messages). */
void sema_scope_open(struct sema *s, struct sema_scope *sc, struct loc loc)
{
	sc->nvars = s->scope_vars.n;
	sc->loc = s->scope_loc;
	s->scope_loc = loc;
}

void sema_scope_close(struct sema *s, const struct sema_scope *sc)
{
	s->scope_vars.n = sc->nvars;
	s->scope_loc = sc->loc;
}

/* The variable named so in the scopes around the statement */
struct sema_var *sema_var_find(struct sema *s, const char *name)
{
	for (size_t i = s->scope_vars.n; i-- > 0;) {
		struct sema_var *x = s->scope_vars.v[i];
		if (!strcmp(x->name, name))
			return x;
	}
	return NULL;
}

/* The last variable of the probe named so whose block has ended */
static struct sema_var *var_gone(struct sema *s, const char *name)
{
	struct ptrvec *v = &s->cur->vars;

	for (size_t i = v->n; i-- > 0;) {
		struct sema_var *x = v->v[i];
		if (!strcmp(x->name, name))
			return x;
	}
	return NULL;
}

static unsigned line_of(struct sema *s, struct loc loc)
{
	unsigned line, col;

	diag_linecol(s->diag->src, loc.begin, &line, &col);
	return line;
}

/* Where v comes from, as a note at its declaration */
static void origin_note(struct sema *s, const struct sema_var *v)
{
	switch (v->origin) {
	case SEMA_VAR_LET:
		diag_note(s->diag, v->loc, "'%s' was declared here", v->name);
		break;
	case SEMA_VAR_LOOP:
		diag_note(s->diag, v->loc, "'%s' is the variable of this "
			  "for loop", v->name);
		break;
	default:
		diag_note(s->diag, v->loc, "'%s' was first assigned here",
			  v->name);
		break;
	}
}

static void out_of_scope(struct sema *s, struct ast_node *n,
			 const struct sema_var *v)
{
	if (v->origin == SEMA_VAR_LOOP)
		diag_error(s->diag, n->loc, "'%s' is not in scope here: it is "
			   "the variable of the for loop at line %u", n->name,
			   line_of(s, v->scope));
	else
		diag_error(s->diag, n->loc, "'%s' is not in scope here: it was "
			   "declared in the block at line %u", n->name,
			   line_of(s, v->scope));
	origin_note(s, v);
	if (v->origin != SEMA_VAR_LOOP)
		diag_plain_note(s->diag, "a variable is visible only in the "
				"block that declares it; to use it after the "
				"block, assign or declare it before");
}

static void undefined_var(struct sema *s, struct ast_node *n)
{
	const char *cands[64];
	struct sema_var *gone = var_gone(s, n->name);
	size_t nc = 0;

	if (gone) {
		out_of_scope(s, n, gone);
		return;
	}
	diag_error(s->diag, n->loc, "'%s' is used before it is assigned",
		   n->name);
	for (size_t i = 0; i < s->scope_vars.n && nc < 64; i++)
		cands[nc++] = ((struct sema_var *)s->scope_vars.v[i])->name;
	const char *best = diag_closest(n->name, cands, nc);
	if (best)
		diag_plain_note(s->diag, "did you mean '%s'?", best);
}

/* $x in an expression. A variable declared by a bare 'let' has no type
 * until it is assigned: in the first (silent) walk it reads as nothing
 * yet, so that no map learns a type from it. */
struct sema_var *sema_var_read(struct sema *s, struct ast_node *n)
{
	struct sema_var *v = sema_var_find(s, n->name);

	n->sym = v;
	if (!v) {
		if (s->pass == 1)
			undefined_var(s, n);
		return NULL;
	}
	n->type = v->untyped ? type_simple(TY_NONE) : v->type;
	return v;
}

/* A new variable of the innermost scope. Its slot is its own: codegen
 * gives each sema_var one (see cg_var_slot). */
static struct sema_var *var_new(struct sema *s, const char *name,
				struct loc loc, struct type t,
				enum sema_var_origin origin)
{
	struct sema_var *v = arena_alloc(s->arena, sizeof(*v));

	v->name = name;
	v->type = t;
	v->loc = loc;
	v->scope = s->scope_loc;
	v->origin = origin;
	v->for_depth = s->for_depth;
	v->index = s->cur->vars.n;
	ptrvec_push(&s->cur->vars, v);
	ptrvec_push(&s->scope_vars, v);
	return v;
}

/* let $x and for ($x : ...): a new variable, which may not have the name
 * of one in scope (no redeclaration, no shadowing). NULL after an error. */
struct sema_var *sema_var_declare(struct sema *s, const char *name,
				  struct loc loc, struct type t,
				  enum sema_var_origin origin)
{
	struct sema_var *old = sema_var_find(s, name);

	if (!old)
		return var_new(s, name, loc, t, origin);
	if (origin == SEMA_VAR_LOOP)
		diag_error(s->diag, loc, "'%s' is already declared; a for "
			   "loop needs a new variable", name);
	else if (old->scope.begin == s->scope_loc.begin &&
		 old->scope.end == s->scope_loc.end)
		diag_error(s->diag, loc, "'%s' is already declared in this "
			   "block", name);
	else
		diag_error(s->diag, loc, "'%s' is already declared in an "
			   "enclosing block; a variable cannot be shadowed",
			   name);
	origin_note(s, old);
	return NULL;
}

/* The error of assigning value type vt to v, if any */
static void store_check(struct sema *s, struct ast_node *target,
			struct ast_node *value, struct sema_var *v,
			struct type vt)
{
	if (v->type.kind != vt.kind) {
		diag_error(s->diag, value->loc, "'%s' holds %s, cannot assign "
			   "%s", target->name, sema_plural(&v->type),
			   type_words(&vt));
		origin_note(s, v);
	} else if (vt.kind == TY_STR && vt.size > v->type.size) {
		v->type.size = vt.size;
	} else if (vt.kind == TY_TUPLE &&
		   !type_unify(s->arena, &v->type, &vt, &v->type)) {
		/* ints and strings widen element by element */
		sema_tuple_mismatch(s, value->loc, target->name, 0, &v->type,
				    &vt);
		origin_note(s, v);
	}
}

/* Whether a value of type vt can be stored in a variable at all */
static bool storable(struct sema *s, struct ast_node *target,
		     struct ast_node *value, const struct type *vt)
{
	if (vt->kind != TY_VOID && vt->kind != TY_AGG && vt->kind != TY_ARGS)
		return true;
	diag_error(s->diag, value->loc, "cannot assign %s to '%s'",
		   vt->kind == TY_VOID ? "a call that returns nothing"
		   : vt->kind == TY_AGG ? "an aggregation (it can only be "
					  "stored in a map)"
					: type_words(vt), target->name);
	return false;
}

/* $x = value: the variable in scope, or a new one of this block */
void sema_var_store(struct sema *s, struct ast_node *target,
		    struct ast_node *value)
{
	struct sema_var *v = sema_var_find(s, target->name);
	struct type vt = value->type;

	if (target->name[1] == '#' ||
	    (target->name[1] >= '0' && target->name[1] <= '9')) {
		diag_error(s->diag, target->loc, "'%s' is a positional "
			   "parameter; it cannot be assigned", target->name);
		return;
	}
	if (vt.kind == TY_NONE || !storable(s, target, value, &vt))
		return;
	if (v && v->loop_entry) {
		diag_error(s->diag, target->loc, "'%s' is the entry of a for "
			   "loop over a map; it cannot be assigned",
			   target->name);
		return;
	}
	if (vt.kind == TY_INT)
		vt = type_int(8, vt.is_signed);
	if (!v) {
		v = var_new(s, target->name, target->loc, vt,
			    SEMA_VAR_ASSIGNED);
	} else if (v->untyped) {	/* let $x; then its first value */
		v->type = vt;
		v->untyped = false;
	} else {
		store_check(s, target, value, v, vt);
	}
	target->sym = v;
	target->type = v->type;
}
