/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The semantic pass. Probes resolve through their providers; names and
 * types are checked in two walks: the first (silent) learns every map's
 * type from wherever it is assigned, the second checks and reports. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "providers/provider.h"
#include "sema.h"
#include "stdlib/builtins.h"

static void check_stmt(struct sema *s, struct ast_node *n);

static bool is_positional(const char *name)
{
	return name[0] == '$' &&
	       (name[1] == '#' || (name[1] >= '0' && name[1] <= '9'));
}
static void sema_expr_inner(struct sema *s, struct ast_node *n);

/* Deeper expressions are refused, so that no pass (including codegen and
 * LLVM) recurses without bound. */
#define SEMA_MAX_DEPTH 500

static const char *tstr(const struct type *t)
{
	return type_words(t);
}

unsigned sema_probe_name(struct sema *s, const char *name)
{
	for (size_t i = 0; i < s->probe_names.n; i++)
		if (!strcmp(s->probe_names.v[i], name))
			return i;
	ptrvec_push(&s->probe_names, (void *)arena_strdup(s->arena, name));
	return s->probe_names.n - 1;
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

/* ---- maps and variables ---------------------------------------------- */

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
static void map_store(struct sema *s, struct ast_node *target,
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

/* $1, $2 ... become the command line's arguments: an integer when the
 * argument is one, else a string; one not given is 0. $# is their
 * count. The node turns into that literal. */
static bool positional(struct sema *s, struct ast_node *n)
{
	const char *name = n->name + 1, *arg;
	char *end;
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
	errno = 0;	/* decimal, or hexadecimal with 0x: "010" is ten */
	long long v = strtoll(arg, &end,
			      arg[0] == '0' && (arg[1] == 'x' || arg[1] == 'X')
				      ? 16 : 10);
	if (*arg && !*end && !errno) {
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

static void check_call(struct sema *s, struct ast_node *n, bool as_value)
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

/* Syscall records widen every argument to 8 bytes and mark it unsigned
 * ("int dfd ... size:8 signed:0"), and the upper bytes are whatever the
 * register held: the declared C type says how much of the field is the
 * value and whether it is signed. */
static const struct {
	const char *name;
	unsigned char size;
	bool is_signed;
} c_types[] = {
	{ "char", 1, true }, { "signed char", 1, true },
	{ "unsigned char", 1, false }, { "u8", 1, false }, { "__u8", 1, false },
	{ "s8", 1, true }, { "__s8", 1, true }, { "bool", 1, false },
	{ "short", 2, true }, { "unsigned short", 2, false },
	{ "u16", 2, false }, { "__u16", 2, false }, { "s16", 2, true },
	{ "__s16", 2, true }, { "umode_t", 2, false },
	{ "int", 4, true }, { "unsigned int", 4, false }, { "unsigned", 4, false },
	{ "u32", 4, false }, { "__u32", 4, false }, { "s32", 4, true },
	{ "__s32", 4, true }, { "pid_t", 4, true }, { "uid_t", 4, false },
	{ "gid_t", 4, false }, { "key_serial_t", 4, true },
	{ "clockid_t", 4, true }, { "timer_t", 4, true }, { "mqd_t", 4, true },
	{ "int32_t", 4, true }, { "uint32_t", 4, false }, { "qid_t", 4, false },
	{ "rwf_t", 4, false },
	{ "long", 8, true }, { "long int", 8, true }, { "long long", 8, true },
	{ "unsigned long", 8, false }, { "unsigned long long", 8, false },
	{ "u64", 8, false }, { "__u64", 8, false }, { "s64", 8, true },
	{ "__s64", 8, true }, { "size_t", 8, false }, { "ssize_t", 8, true },
	{ "off_t", 8, true }, { "loff_t", 8, true }, { "int64_t", 8, true },
	{ "uint64_t", 8, false },
};

struct type sema_field_type(const struct tpf_field *f)
{
	const char *t = f->type;

	if (!strncmp(t, "const ", 6))
		t += 6;
	for (size_t i = 0; i < sizeof(c_types) / sizeof(*c_types); i++)
		if (!strcmp(t, c_types[i].name) && c_types[i].size <= f->size)
			return type_int(c_types[i].size, c_types[i].is_signed);
	return type_int(f->size, f->is_signed);
}

/* $t.N: element N of a tuple */
static void check_tuple_elem(struct sema *s, struct ast_node *n)
{
	const struct type_tuple *t = n->a->type.tuple;

	if (n->name[0] < '0' || n->name[0] > '9') {
		diag_error(s->diag, n->loc, "a tuple has no field '%s'; its "
			   "elements are .0 to .%u", n->name, t->n - 1);
		return;
	}
	if (n->ival >= t->n) {
		diag_error(s->diag, n->loc, "index %llu is out of range for a "
			   "tuple of %u elements", (unsigned long long)n->ival,
			   t->n);
		return;
	}
	n->aux = SEMA_FIELD_TUPLE;
	n->type = t->elem[n->ival];
}

static void check_field(struct sema *s, struct ast_node *n)
{
	struct sema_probe *p = s->cur;
	const struct tpf_field *first = NULL;

	sema_expr(s, n->a);
	if (n->a->type.kind == TY_NONE)
		return;
	if (n->a->type.kind == TY_TUPLE && n->a->type.tuple) {
		check_tuple_elem(s, n);
		return;
	}
	/* 1.5 parses as element 5 of 1 */
	if (n->a->kind == AST_INT && n->name[0] >= '0' && n->name[0] <= '9') {
		diag_error(s->diag, n->a->loc, "'%llu.%s' is not an integer: "
			   "scry has no floating-point numbers",
			   (unsigned long long)n->a->ival, n->name);
		return;
	}
	if (n->a->type.kind != TY_ARGS) {
		diag_error(s->diag, n->loc, "cannot access field '%s' of %s",
			   n->name, tstr(&n->a->type));
		return;
	}
	for (size_t i = 0; i < p->targets.n; i++) {
		struct sema_target *t = p->targets.v[i];
		const struct tpf_field *f;

		if (!t->fmt)
			return;	/* the format could not be read: reported */
		f = tpf_field(t->fmt, n->name);
		if (!f) {
			diag_error(s->diag, n->loc, "tracepoint '%s:%s' has no "
				   "field '%s'", t->category, t->event,
				   n->name);
			char *list = NULL;
			size_t len = 0;
			FILE *m = open_memstream(&list, &len);
			const char *fcands[256];
			unsigned nf = 0;
			for (size_t j = 0; j < t->fmt->nfields; j++) {
				const struct tpf_field *g = &t->fmt->fields[j];
				if (g->common)
					continue;
				fprintf(m, "%s%s", nf ? ", " : "", g->name);
				if (nf < 256)
					fcands[nf++] = g->name;
			}
			fclose(m);
			const char *best = diag_closest(n->name, fcands, nf);
			if (best)
				diag_plain_note(s->diag, "did you mean '%s'?",
						best);
			diag_plain_note(s->diag, "its fields are: %s", list);
			free(list);
			return;
		}
		/* the kernel hides the record's first 8 bytes from tracepoint
		 * programs (they hold a pointer to the registers) */
		if (f->common) {
			diag_error(s->diag, n->loc, "'%s' is one of the fields "
				   "every tracepoint record starts with, which "
				   "BPF programs cannot read", n->name);
			if (!strcmp(n->name, "common_pid"))
				diag_plain_note(s->diag, "'tid' is the same "
						"value");
			return;
		}
		if (!first) {
			first = f;
		} else if (first->kind != f->kind || first->size != f->size ||
			   first->is_signed != f->is_signed) {
			diag_error(s->diag, n->loc, "field '%s' has different "
				   "types in the tracepoints this probe "
				   "matches", n->name);
			diag_plain_note(s->diag, "split the probe so that each "
					"block sees one type");
			return;
		}
	}
	if (!first)
		return;
	n->sym = (void *)first;
	switch (first->kind) {
	case TPF_INT:
		n->type = sema_field_type(first);
		break;
	case TPF_PTR:
		n->type = type_int(8, false);
		n->aux = 1;	/* a pointer: str() reads what it points to */
		break;
	case TPF_CHAR_ARRAY:
		n->type = type_string(first->count ? first->count : first->size);
		break;
	case TPF_DATA_LOC_STR:
		n->type = type_string(s->strlen_default);
		break;
	case TPF_INT_ARRAY:
		n->type = type_simple(TY_NONE);
		n->aux = 2;	/* an array: must be indexed */
		if (!s->array_ok)
			diag_error(s->diag, n->loc, "field '%s' is an array of "
				   "%u: index it, as args.%s[0]", n->name,
				   first->count, n->name);
		break;
	default:
		diag_error(s->diag, n->loc, "field '%s' has type '%s', which "
			   "scry cannot read yet", n->name, first->type);
		break;
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

/* $t[N]: the same as $t.N; N must be a constant (as in bpftrace). The
 * node becomes that element access. */
static void check_tuple_index(struct sema *s, struct ast_node *n)
{
	if (n->b->kind != AST_INT) {
		diag_error(s->diag, n->b->loc, "the index of a tuple must be "
			   "a constant integer");
		return;
	}
	n->kind = AST_FIELD;
	n->ival = n->b->ival;
	n->name = arena_printf(s->arena, "%llu", (unsigned long long)n->ival);
	n->loc = n->b->loc;
	n->b = NULL;
	check_tuple_elem(s, n);
}

static void check_index(struct sema *s, struct ast_node *n)
{
	const struct tpf_field *f;
	bool ok = s->array_ok;

	s->array_ok = true;	/* args.x[N]: an array is what is indexed */
	sema_expr(s, n->a);
	s->array_ok = ok;
	sema_expr(s, n->b);
	if (n->a->type.kind == TY_TUPLE && n->a->type.tuple) {
		check_tuple_index(s, n);
		return;
	}
	if (n->a->kind != AST_FIELD || n->a->aux != 2) {
		if (n->a->type.kind != TY_NONE)
			diag_error(s->diag, n->loc, "%s cannot be indexed",
				   tstr(&n->a->type));
		return;
	}
	f = n->a->sym;
	if (n->b->kind != AST_INT) {
		diag_error(s->diag, n->b->loc, "the index of '%s' must be a "
			   "constant integer", f->name);
		return;
	}
	if (n->b->ival >= f->count) {
		diag_error(s->diag, n->b->loc, "index %llu is out of range for "
			   "'%s', which has %u elements",
			   (unsigned long long)n->b->ival, f->name, f->count);
		return;
	}
	n->type = type_int(f->elem_size, f->is_signed);
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

/* @x++ and @x += v: the map holds a plain integer (this may be what
 * types it). Returns false after reporting when it cannot. */
static bool int_map_update(struct sema *s, struct ast_node *op,
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
	map_store(s, t, &one, RT_AGG_NONE);
	t->type = m->value;
	return true;
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
		if (!int_map_update(s, n, t))
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

/* the type of (int8) ... (uint64), (bool) */
static struct type cast_type(const char *name)
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
	n->type = cast_type(n->name);
}

static void check_map_read(struct sema *s, struct ast_node *n)
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
		check_map_read(s, n);
		break;
	case AST_CALL:
		check_call(s, n, false);
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
		check_field(s, n);
		break;
	case AST_INDEX:
		check_index(s, n);
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
		check_call(s, v, true);
		const struct builtin *b = v->sym;
		if (b && b->kind == BI_AGG)
			agg = RT_AGG_COUNT + (b->id - BI_COUNT);
	} else {
		sema_expr(s, v);
	}
	if (n->op) {	/* x op= v works on integers */
		if (t->kind == AST_MAP) {
			if (!int_map_update(s, n, t))
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
		map_store(s, t, v, agg);
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

/* The entry of a for loop over map m: (key, value), or ((k1, k2, ...),
 * value). Values of count() ... avg() are their total over the CPUs, as
 * a read of @m[k] is; the other aggregations cannot be iterated. */
static struct type loop_entry_type(struct sema *s, struct ast_node *mn,
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
	struct type t = m ? loop_entry_type(s, n->a, m) : type_simple(TY_NONE);
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
		t = type_int(8, cast_type(n->str).is_signed);
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
			check_call(s, n->a, false);
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
