/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Map typing: keys, values and aggregations are learnt from wherever a
 * map is assigned and checked wherever it is used; tuples unify. */
#include <stdio.h>
#include <string.h>
#include "sema_internal.h"

static struct sema_map *map_get(struct sema *s, struct ast_node *n)
{
	for (size_t i = 0; i < s->maps.n; i++) {
		struct sema_map *m = s->maps.v[i];
		if (!strcmp(m->name, n->name))
			return m;
	}
	struct sema_map *m = arena_alloc(s->arena, sizeof(*m));
	m->name = n->name;
	m->loc = n->loc;
	m->index = s->maps.n;
	ptrvec_push(&s->maps, m);
	return m;
}

/* The type a value has as a map key. */
static struct type key_type(const struct type *t)
{
	if (t->kind == TY_INT)
		return type_int(8, t->is_signed);
	return *t;
}

/* map key k (or, with k 0, the value) of name holds tuples of another
 * shape than t */
void sema_tuple_mismatch(struct sema *s, struct loc l, const char *name,
			 unsigned k, const struct type *held,
			 const struct type *t)
{
	char a[256], b[256];

	type_name(held, a, sizeof(a));
	type_name(t, b, sizeof(b));
	if (k)
		diag_error(s->diag, l, "map '%s' key %u is a tuple %s here "
			   "but %s elsewhere", name, k, b, a);
	else
		diag_error(s->diag, l, "'%s' holds tuples %s, cannot assign "
			   "%s", name, a, b);
}

static void check_map_keys(struct sema *s, struct ast_node *n,
			   struct sema_map *m)
{
	unsigned nk = ast_count(n->list), i = 0;
	struct type kt[SCRY_MAX_KEYS];
	struct loc kl[SCRY_MAX_KEYS];

	if (nk > SCRY_MAX_KEYS) {
		diag_error(s->diag, n->loc, "map '%s' has %u keys; at most %d "
			   "are supported", n->name, nk, SCRY_MAX_KEYS);
		return;
	}
	for (struct ast_node *k = n->list; k; k = k->next, i++) {
		sema_expr(s, k);
		if (k->type.kind == TY_ARGS || k->type.kind == TY_VOID ||
		    k->type.kind == TY_AGG) {
			diag_error(s->diag, k->loc, "cannot use %s as a map key",
				   k->type.kind == TY_ARGS ? "args"
				   : k->type.kind == TY_VOID
					   ? "a call that returns nothing"
					   : "an aggregation");
			k->type = type_simple(TY_NONE);
		}
		kt[i] = key_type(&k->type);
		kl[i] = k->loc;
	}
	/* @m[(1, "a")] is @m[1, "a"], as in bpftrace: a tuple's elements
	 * are the keys (and lie as the keys do); nested tuples stay so */
	if (nk == 1 && kt[0].kind == TY_TUPLE && kt[0].tuple) {
		const struct type_tuple *t = kt[0].tuple;
		struct loc tl = n->list->loc;

		if (t->n > SCRY_MAX_KEYS || !t->n) {
			diag_error(s->diag, tl, "this tuple has %u elements; "
				   "a map key has 1 to %d", t->n,
				   SCRY_MAX_KEYS);
			return;
		}
		nk = t->n;
		for (i = 0; i < nk; i++) {
			kt[i] = key_type(&t->elem[i]);
			kl[i] = tl;
		}
	}
	if (!m->keyed_known) {
		m->keyed_known = true;
		m->nkeys = nk;
		for (i = 0; i < nk; i++)
			m->keys[i] = kt[i];
		return;
	}
	if (nk != m->nkeys) {
		diag_error(s->diag, n->loc, "map '%s' is used with %u key%s "
			   "here but with %u elsewhere", n->name, nk,
			   nk == 1 ? "" : "s", m->nkeys);
		return;
	}
	for (i = 0; i < nk; i++) {
		struct type *mt = &m->keys[i];

		if (kt[i].kind == TY_NONE || kt[i].kind == TY_VOID)
			continue;
		if (mt->kind == TY_NONE) {
			*mt = kt[i];
		} else if (mt->kind == TY_TUPLE && kt[i].kind == TY_TUPLE) {
			if (!type_unify(s->arena, mt, &kt[i], mt))
				sema_tuple_mismatch(s, kl[i], n->name, i + 1, mt,
					       &kt[i]);
		} else if (mt->kind != kt[i].kind) {
			diag_error(s->diag, kl[i], "map '%s' key %u is %s "
				   "here but %s elsewhere", n->name, i + 1,
				   tstr(&kt[i]), tstr(mt));
		} else if (kt[i].kind == TY_STR && kt[i].size > mt->size) {
			mt->size = kt[i].size;
		}
	}
}

/* "integers", "strings": what a map or variable holds */
static const char *agg_name(enum rt_agg a)
{
	static const char *const names[] = { "a value", "count()", "sum()",
					     "min()", "max()", "avg()",
					     "stats()", "hist()", "lhist()" };
	return names[a];
}

/* Learn (set) or compare a histogram's buckets: hist(n, k) and
 * lhist(n, min, max, step) must agree wherever the map is updated. */
static bool hist_shape(struct sema_map *m, struct ast_node *call, bool set)
{
	struct ast_node *a = call ? call->list : NULL;
	unsigned bits = 0;
	int64_t lo = 0, hi = 0, step = 0;

	if (!a || (m->agg != RT_AGG_HIST && m->agg != RT_AGG_LHIST))
		return true;
	if (m->agg == RT_AGG_HIST && a->next && a->next->kind == AST_INT)
		bits = a->next->ival;
	if (m->agg == RT_AGG_LHIST && a->next && a->next->next &&
	    a->next->next->next) {
		lo = a->next->ival;
		hi = a->next->next->ival;
		step = a->next->next->next->ival;
	}
	if (set) {
		m->hist_bits = bits;
		m->lhist_min = lo;
		m->lhist_max = hi;
		m->lhist_step = step;
		return true;
	}
	return m->hist_bits == bits && m->lhist_min == lo &&
	       m->lhist_max == hi && m->lhist_step == step;
}

/* @m[k] = value: learn or check the map's value type. */
void sema_map_store(struct sema *s, struct ast_node *target,
		    struct ast_node *value, enum rt_agg agg)
{
	struct sema_map *m = map_get(s, target);
	struct type vt = value ? value->type : type_int(8, false);

	target->sym = m;
	check_map_keys(s, target, m);
	if (vt.kind == TY_INT)
		vt = type_int(8, vt.is_signed);
	if (agg != RT_AGG_NONE)	/* the aggregated value's signedness */
		vt = type_int(8, agg != RT_AGG_COUNT && vt.is_signed);
	if (vt.kind == TY_NONE)
		return;
	if (vt.kind == TY_VOID || vt.kind == TY_ARGS || vt.kind == TY_AGG) {
		diag_error(s->diag, value->loc,
			   "cannot store %s in map '%s'",
			   vt.kind == TY_VOID ? "a call that returns nothing"
					      : tstr(&vt), m->name);
		return;
	}
	if (!m->typed) {
		m->typed = true;
		m->agg = agg;
		m->value = vt;
		hist_shape(m, value, true);
		m->assign_loc = (struct loc){ target->loc.begin,
					      value ? value->loc.end
						    : target->loc.end };
		target->type = vt;
		return;
	}
	target->type = m->value;
	if (m->agg != agg) {
		diag_error(s->diag, target->loc, "map '%s' holds %s elsewhere; "
			   "it cannot also hold %s", m->name,
			   agg_name(m->agg), agg_name(agg));
		return;
	}
	if (!hist_shape(m, value, false)) {
		diag_error(s->diag, value->loc, "map '%s' is a %s with other "
			   "buckets elsewhere", m->name, agg_name(m->agg));
		diag_note(s->diag, m->assign_loc, "'%s' was first assigned "
			  "here", m->name);
		return;
	}
	if (m->value.kind != vt.kind) {
		diag_error(s->diag, value->loc, "map '%s' holds %s, cannot "
			   "assign %s", m->name, sema_plural(&m->value), tstr(&vt));
		diag_note(s->diag, m->assign_loc, "'%s' was first assigned here",
			  m->name);
		return;
	}
	if (vt.kind == TY_TUPLE &&
	    !type_unify(s->arena, &m->value, &vt, &m->value)) {
		sema_tuple_mismatch(s, value->loc, m->name, 0, &m->value, &vt);
		diag_note(s->diag, m->assign_loc, "'%s' was first assigned here",
			  m->name);
		return;
	}
	target->type = m->value;
	if (vt.kind == TY_STR && vt.size > m->value.size)
		m->value.size = vt.size;
	if (vt.kind == TY_INT && vt.is_signed)
		m->value.is_signed = true;
}

/* @x++ and @x += v: the map holds a plain integer (this may be what
 * types it). Returns false after reporting when it cannot. */
bool sema_int_map_update(struct sema *s, struct ast_node *op,
			 struct ast_node *t)
{
	struct sema_map *m = map_get(s, t);
	struct ast_node one = { .kind = AST_INT, .loc = op->loc,
				.type = type_int(8, true) };

	if (m->typed && (m->agg != RT_AGG_NONE || m->value.kind != TY_INT)) {
		char opname[8];
		snprintf(opname, sizeof(opname), "%s%s", ast_op_name(op->op),
			 op->kind == AST_INCDEC ? "" : "=");
		if (m->agg != RT_AGG_NONE)
			diag_error(s->diag, op->loc, "'%s' cannot update map "
				   "'%s', which holds %s", opname, m->name,
				   agg_name(m->agg));
		else
			diag_error(s->diag, op->loc, "'%s' needs an integer, "
				   "found %s", opname, tstr(&m->value));
		return false;
	}
	sema_map_store(s, t, &one, RT_AGG_NONE);
	t->type = m->value;
	return true;
}

void sema_map_key_check(struct sema *s, struct ast_node *n)
{
	struct sema_map *m = map_get(s, n);

	n->sym = m;
	check_map_keys(s, n, m);
	if (!m->typed && s->pass == 1)
		diag_error(s->diag, n->loc, "map '%s' is never assigned",
			   n->name);
}

struct sema_map *sema_map_whole(struct sema *s, struct ast_node *n)
{
	struct sema_map *m;

	if (n->kind != AST_MAP || n->list) {
		diag_error(s->diag, n->loc, "expected a map, such as @name "
			   "(without keys)");
		return NULL;
	}
	m = map_get(s, n);
	n->sym = m;
	if (!m->typed) {
		if (s->pass == 1)
			diag_error(s->diag, n->loc, "map '%s' is never "
				   "assigned", n->name);
		return NULL;
	}
	return m;
}

void sema_check_map_read(struct sema *s, struct ast_node *n)
{
	struct sema_map *m = map_get(s, n);

	n->sym = m;
	check_map_keys(s, n, m);
	if (!m->typed) {
		if (s->pass == 1)
			diag_error(s->diag, n->loc, "map '%s' is read but never "
				   "assigned", n->name);
		return;
	}
	/* count(), sum(), min(), max() and avg() read as one integer, their
	 * per-CPU values merged (as bpftrace's castable map types do);
	 * stats() and the histograms have no single value */
	if (m->agg == RT_AGG_STATS || m->agg == RT_AGG_HIST ||
	    m->agg == RT_AGG_LHIST) {
		diag_error(s->diag, n->loc, "map '%s' holds %s, which can only "
			   "be printed, not read in a probe", n->name,
			   agg_name(m->agg));
		return;
	}
	n->type = m->value;
}

/* The entry of a for loop over map m: (key, value), or ((k1, k2, ...),
 * value). Values of count() ... avg() are their total over the CPUs, as
 * a read of @m[k] is; the other aggregations cannot be iterated. */
struct type sema_loop_entry_type(struct sema *s, struct ast_node *mn,
				 struct sema_map *m)
{
	struct type e[2];

	if (!m->nkeys) {
		diag_error(s->diag, mn->loc, "cannot iterate over map '%s', "
			   "which has no keys", m->name);
		return type_simple(TY_NONE);
	}
	if (m->agg == RT_AGG_STATS || m->agg == RT_AGG_HIST ||
	    m->agg == RT_AGG_LHIST) {
		diag_error(s->diag, mn->loc, "cannot iterate over map '%s', "
			   "which holds %s", m->name, agg_name(m->agg));
		diag_plain_note(s->diag, "for loops take maps of values, "
				"count(), sum(), min(), max() or avg()");
		return type_simple(TY_NONE);
	}
	e[0] = m->nkeys == 1 ? m->keys[0]
			     : type_tuple(s->arena, m->keys, m->nkeys);
	e[1] = m->value;
	return type_tuple(s->arena, e, 2);
}
