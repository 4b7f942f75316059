/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The semantic pass. Probes resolve through their providers; names and
 * types are checked in two walks: the first (silent) learns every map's
 * type from wherever it is assigned, the second checks and reports.
 * This file holds the driver, probes and statements; expressions are in
 * sema_expr.c, maps in sema_maps.c, fields and indexing in
 * sema_fields.c, variables in scope.c. */
#include <errno.h>
#include <string.h>
#include "providers/provider.h"
#include "sema_internal.h"
#include "stdlib/builtins.h"

static void check_stmt(struct sema *s, struct ast_node *n);

unsigned sema_probe_name(struct sema *s, const char *name)
{
	for (size_t i = 0; i < s->probe_names.n; i++)
		if (!strcmp(s->probe_names.v[i], name))
			return i;
	ptrvec_push(&s->probe_names, (void *)arena_strdup(s->arena, name));
	return s->probe_names.n - 1;
}

bool sema_named_param(struct sema *s, const char *name, const char **val)
{
	size_t n = strlen(name);

	for (int i = 0; i < s->nnamed; i++) {
		const char *a = s->named[i] + 2;	/* after "--" */
		if (strncmp(a, name, n) || (a[n] && a[n] != '='))
			continue;
		s->named_used[i] = true;
		*val = a[n] == '=' ? a + n + 1 : NULL;
		return true;
	}
	return false;
}

struct sema_event *sema_event_new(struct sema *s, enum rt_event_kind kind,
				  struct ast_node *n)
{
	struct sema_event *ev;

	if (s->pass != 1)
		return NULL;
	ev = arena_alloc(s->arena, sizeof(*ev));
	ev->kind = kind;
	ev->call = n;
	ev->index = s->events.n;
	ptrvec_push(&s->events, ev);
	n->aux = ev->index;
	return ev;
}

/* ---- probes ---------------------------------------------------------- */

static int resolve_probe(struct sema *s, struct ast_node *pn)
{
	struct sema_probe *p = arena_alloc(s->arena, sizeof(*p));

	p->node = pn;
	p->index = s->probes.n;
	ptrvec_push(&s->probes, p);
	for (struct ast_node *at = pn->list; at; at = at->next) {
		const char *spec;
		const struct provider *prov = provider_find(at->name, &spec);

		if (!prov) {
			size_t n = strcspn(at->name, ":/");
			if (at->name[n])
				diag_error(s->diag, at->loc,
					   "unknown probe type '%.*s'",
					   (int)n, at->name);
			else
				diag_error(s->diag, at->loc,
					   "unknown probe '%s'", at->name);
			if (at->name[n])
				provider_suggest(s->diag, at->name, n);
			continue;
		}
		if (p->prov && p->prov != prov) {
			diag_error(s->diag, at->loc,
				   "'%s' cannot share a block with %s %s probe",
				   at->name,
				   strchr("aeiou", p->prov->name[0]) ? "an" : "a",
				   p->prov->name);
			diag_plain_note(s->diag, "give each probe type its "
					"own block");
			continue;
		}
		p->prov = prov;
		if (prov->resolve(s, p, at, spec) == 0 &&
		    prov->prog_kind == RT_PROG_TRACEPOINT)
			s->has_tracepoints = true;
	}
	return 0;
}

/* ---- statements ------------------------------------------------------ */

static void check_assign(struct sema *s, struct ast_node *n)
{
	struct ast_node *t = n->a, *v = n->b;
	enum rt_agg agg = RT_AGG_NONE;

	if (t->kind == AST_FIELD) {
		diag_error(s->diag, n->loc, "tuples are immutable: an element "
			   "cannot be assigned");
		diag_plain_note(s->diag, "assign a whole new tuple instead");
		return;
	}
	if (v->kind == AST_CALL && t->kind == AST_MAP && !n->op) {
		sema_check_call(s, v, true);
		const struct builtin *b = v->sym;
		if (b && b->kind == BI_AGG)
			agg = RT_AGG_COUNT + (b->id - BI_COUNT);
	} else {
		sema_expr(s, v);
	}
	if (n->op) {	/* x op= v works on integers */
		if (t->kind == AST_MAP) {
			if (!sema_int_map_update(s, n, t))
				return;
		} else if (t->kind == AST_VAR && is_positional(t->name)) {
			diag_error(s->diag, t->loc, "'%s' is a positional "
				   "parameter; it cannot be assigned", t->name);
			return;
		} else {
			sema_expr(s, t);
		}
		if (t->type.kind && t->type.kind != TY_INT)
			diag_error(s->diag, n->loc, "'%s=' needs an integer "
				   "target, found %s", ast_op_name(n->op),
				   tstr(&t->type));
		if (v->type.kind && v->type.kind != TY_INT)
			diag_error(s->diag, v->loc, "'%s=' needs an integer "
				   "value, found %s", ast_op_name(n->op),
				   tstr(&v->type));
		return;
	}
	if (t->kind == AST_MAP)
		sema_map_store(s, t, v, agg);
	else
		sema_var_store(s, t, v);
}

static void check_cond(struct sema *s, struct ast_node *c)
{
	sema_expr(s, c);
	if (c->type.kind != TY_INT && c->type.kind != TY_NONE)
		diag_error(s->diag, c->loc, "a condition must be an integer, "
			   "found %s", tstr(&c->type));
}

static void check_block(struct sema *s, struct ast_node *b);

/* The variable of a for loop: a new one, visible in the loop alone */
static struct sema_var *loop_var(struct sema *s, struct ast_node *n,
				 struct type t)
{
	if (is_positional(n->name)) {
		diag_error(s->diag, n->loc, "'%s' is a positional "
			   "parameter; it cannot be assigned", n->name);
		return NULL;
	}
	return sema_var_declare(s, n->name, n->loc, t, SEMA_VAR_LOOP);
}

/* for ($kv : @m) { }: codegen makes the body a function of its own,
 * called for each entry; $kv and the body's variables are its own */
static void check_for_map(struct sema *s, struct ast_node *n)
{
	struct sema_map *m = sema_map_whole(s, n->a);
	struct type t = m ? sema_loop_entry_type(s, n->a, m)
			  : type_simple(TY_NONE);
	struct sema_var *v;

	s->for_depth++;
	v = loop_var(s, n, t);
	if (v)
		v->loop_entry = true;
	n->sym = v;
	s->loops++;
	check_block(s, n->b);
	s->loops--;
	s->for_depth--;
}

/* for ($i : A..B) { }: A and B are read before $i exists */
static void check_for_range(struct sema *s, struct ast_node *n)
{
	sema_expr(s, n->a);
	sema_expr(s, n->c);
	if ((n->a->type.kind && n->a->type.kind != TY_INT) ||
	    (n->c->type.kind && n->c->type.kind != TY_INT)) {
		struct ast_node *bad = n->a->type.kind != TY_INT ? n->a : n->c;
		diag_error(s->diag, bad->loc, "a range needs integer bounds");
		return;
	}
	n->sym = loop_var(s, n, type_int(8, true));
	s->loops++;
	check_block(s, n->b);
	s->loops--;
}

/* A for loop is a scope of its own, around its body's: its variable */
static void check_for(struct sema *s, struct ast_node *n)
{
	struct sema_scope sc;

	sema_scope_open(s, &sc, n->loc);
	if (n->c)
		check_for_range(s, n);
	else
		check_for_map(s, n);
	sema_scope_close(s, &sc);
}

/* The type a bare 'let $x;' starts with: the one the first walk found
 * for it (n->sym is still that walk's variable), else none yet in the
 * first walk and an integer in the second. */
static struct type let_type(struct sema *s, struct ast_node *n, bool *untyped)
{
	struct sema_var *prev = s->pass == 1 ? n->sym : NULL;

	*untyped = false;
	if (prev && !prev->untyped && prev->type.kind != TY_NONE)
		return prev->type;
	*untyped = s->pass == 0;
	return type_int(8, true);
}

/* let $x [: TYPE] [= v]: a new variable of the block. With a TYPE it is
 * an integer of that sign; without one it takes its first value's type
 * (which may come later) and reads 0 (or "") until then. */
static void check_let(struct sema *s, struct ast_node *n)
{
	struct ast_node var = { .kind = AST_VAR, .name = n->name,
				.loc = n->loc };
	struct sema_var *v;
	struct type t;
	bool untyped = !n->str;

	if (n->b)	/* the value cannot name the new variable */
		sema_expr(s, n->b);
	if (n->str)
		t = type_int(8, sema_cast_type(n->str).is_signed);
	else if (n->b)
		t = type_simple(TY_NONE);
	else
		t = let_type(s, n, &untyped);
	v = sema_var_declare(s, n->name, n->loc, t, SEMA_VAR_LET);
	n->sym = v;
	if (!v)
		return;
	v->untyped = untyped;
	if (n->b)
		sema_var_store(s, &var, n->b);
	if (v->untyped && s->pass == 1) {	/* its value had an error */
		v->untyped = false;
		v->type = type_int(8, true);
	}
}

/* Each block is a scope: what it declares is not seen after it */
static void check_block(struct sema *s, struct ast_node *b)
{
	struct sema_scope sc;

	sema_scope_open(s, &sc, b->loc);
	for (struct ast_node *n = b->list; n; n = n->next)
		check_stmt(s, n);
	sema_scope_close(s, &sc);
}

static void check_stmt(struct sema *s, struct ast_node *n)
{
	switch (n->kind) {
	case AST_EXPR_STMT:
		if (n->a->kind == AST_CALL)
			sema_check_call(s, n->a, false);
		else
			sema_expr(s, n->a);
		break;
	case AST_ASSIGN:
		check_assign(s, n);
		break;
	case AST_IF:
		sema_expr(s, n->a);
		if (n->a->type.kind != TY_INT && n->a->type.kind != TY_NONE)
			diag_error(s->diag, n->a->loc, "a condition must be "
				   "an integer, found %s", tstr(&n->a->type));
		check_block(s, n->b);
		if (n->c && n->c->kind == AST_IF)
			check_stmt(s, n->c);
		else if (n->c)
			check_block(s, n->c);
		break;
	case AST_BLOCK:
		check_block(s, n);
		break;
	case AST_WHILE:
		check_cond(s, n->a);
		s->loops++;
		check_block(s, n->b);
		s->loops--;
		break;
	case AST_UNROLL: {
		unsigned outer = s->unroll_copies ? s->unroll_copies : 1;
		sema_expr(s, n->a);
		if (n->a->kind != AST_INT || n->a->ival < 1 || n->a->ival > 100) {
			diag_error(s->diag, n->a->loc, "unroll needs a constant "
				   "count from 1 to 100");
			break;
		}
		/* nested unrolls multiply: keep the program compilable */
		if (outer * n->a->ival > 10000) {
			diag_error(s->diag, n->loc, "nested unrolls would copy "
				   "this block %llu times; the limit is 10000",
				   (unsigned long long)(outer * n->a->ival));
			break;
		}
		s->unroll_copies = outer * n->a->ival;
		check_block(s, n->b);
		s->unroll_copies = outer == 1 ? 0 : outer;
		break;
	}
	case AST_FOR:
		check_for(s, n);
		break;
	case AST_LET:
		check_let(s, n);
		break;
	case AST_RETURN:
		break;
	case AST_BREAK:
	case AST_CONTINUE:
		if (!s->loops)
			diag_error(s->diag, n->loc, "'%s' outside a loop",
				   n->kind == AST_BREAK ? "break" : "continue");
		break;
	default:
		diag_error(s->diag, n->loc, "unexpected %s",
			   ast_kind_name(n->kind));
	}
}

static void check_probe(struct sema *s, struct sema_probe *p)
{
	struct ast_node *pn = p->node;

	s->cur = p;
	p->vars.n = 0;
	s->scope_vars.n = 0;
	s->for_depth = 0;
	if (pn->a) {
		sema_expr(s, pn->a);
		if (pn->a->type.kind != TY_INT && pn->a->type.kind != TY_NONE)
			diag_error(s->diag, pn->a->loc, "a predicate must be "
				   "an integer, found %s", tstr(&pn->a->type));
	}
	check_block(s, pn->body);
	s->cur = NULL;
}

int sema_run(struct sema *s, struct ast_node *program)
{
	struct diag *real = s->diag, quiet = *real;

	s->program = program;
	if (sema_preprocess(s, program))
		return -EINVAL;
	if (!s->strlen_default)
		s->strlen_default = SCRY_DEFAULT_STRLEN;
	if (!s->map_keys)
		s->map_keys = 4096;
	if (!s->ringbuf_size)
		s->ringbuf_size = 1 << 20;
	if (!s->max_bpf_progs)
		s->max_bpf_progs = SCRY_DEFAULT_BPF_PROGS;
	if (!s->max_probes)
		s->max_probes = SCRY_DEFAULT_PROBES;
	for (struct ast_node *pn = program->list; pn; pn = pn->next)
		resolve_probe(s, pn);
	if (real->errors)
		return -EINVAL;

	/* pass 0: learn map types from every assignment, reporting nothing */
	quiet.out = NULL;
	s->diag = &quiet;
	s->pass = 0;
	for (size_t i = 0; i < s->probes.n; i++)
		check_probe(s, s->probes.v[i]);
	s->diag = real;
	s->pass = 1;
	for (size_t i = 0; i < s->probes.n; i++)
		check_probe(s, s->probes.v[i]);
	return real->errors ? -EINVAL : 0;
}

void sema_fini(struct sema *s)
{
	for (size_t i = 0; i < s->events.n; i++)
		fmt_free(&((struct sema_event *)s->events.v[i])->fmt);
	for (size_t i = 0; i < s->probes.n; i++) {
		struct sema_probe *p = s->probes.v[i];
		for (size_t j = 0; j < p->targets.n; j++) {
			struct sema_target *t = p->targets.v[j];
			if (t->fmt)
				tpf_free(t->fmt);
		}
		ptrvec_free(&p->targets);
		ptrvec_free(&p->vars);
	}
	ptrvec_free(&s->probes);
	ptrvec_free(&s->scope_vars);
	ptrvec_free(&s->time_formats);
	ptrvec_free(&s->macros);
	ptrvec_free(&s->map_decls);
	ptrvec_free(&s->maps);
	ptrvec_free(&s->events);
	ptrvec_free(&s->probe_names);
}
