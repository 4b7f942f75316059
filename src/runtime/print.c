/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Printing what the kernel side collected, in bpftrace's text format: maps
 * (read through the bpf syscall, per-CPU values merged, sorted) and printf
 * records from the ring buffer. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "arena.h"
#include "runtime/runtime.h"

/* bpftrace marks a string that fills its whole buffer (no NUL: it was
 * cut) with this trailer. */
#define PR_TRUNC_TRAILER ".."

struct pr_entry {
	const unsigned char *key;
	const unsigned char *val;	/* CPU 0's value */
	unsigned long long shown;	/* the merged value, as printed */
	unsigned long long order;	/* what entries are sorted by */
	bool touched;			/* false: an array slot never written */
};

struct pr_map {
	const struct rt_plan *plan;
	const struct rt_map *m;
	unsigned nval;			/* values per key: possible CPUs or 1 */
	unsigned stride;		/* bytes between per-CPU values */
	size_t n;
	unsigned char *keys, *vals;
	struct pr_entry *ents;
};

/* An integer of 1, 2, 4 or 8 bytes, sign-extended when signed. */
static unsigned long long pr_int(const unsigned char *p, unsigned size,
				 bool is_signed)
{
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	switch (size) {
	case 1:
		memcpy(&u8, p, 1);
		return is_signed ? (unsigned long long)(int8_t)u8 : u8;
	case 2:
		memcpy(&u16, p, 2);
		return is_signed ? (unsigned long long)(int16_t)u16 : u16;
	case 4:
		memcpy(&u32, p, 4);
		return is_signed ? (unsigned long long)(int32_t)u32 : u32;
	default:
		memcpy(&u64, p, 8);
		return u64;
	}
}

static const char *pr_probe_name(const struct rt_plan *plan,
				 unsigned long long id)
{
	if (!plan || id >= plan->nprobe_names || !plan->probe_names[id])
		return "?";
	return plan->probe_names[id];
}

/* A string field up to its NUL; a full buffer was cut short. */
static void pr_str(FILE *out, const unsigned char *p, unsigned size)
{
	size_t n = strnlen((const char *)p, size);

	fwrite(p, 1, n, out);
	if (n == size)
		fputs(PR_TRUNC_TRAILER, out);
}

static void pr_field(FILE *out, const struct rt_plan *plan,
		     const struct rt_field *f, const unsigned char *base)
{
	const unsigned char *p = base + f->offset;

	switch (f->kind) {
	case RT_INT:
		fprintf(out, f->is_signed ? "%lld" : "%llu",
			pr_int(p, f->size, f->is_signed));
		break;
	case RT_STR:
		pr_str(out, p, f->size);
		break;
	case RT_PROBE:
		fputs(pr_probe_name(plan, pr_int(p, 8, false)), out);
		break;
	}
}

/* Walk the keys into keys[] (ks bytes each); an array map has the one
 * key u32 0. */
static int pr_keys(struct pr_map *pm, size_t ks)
{
	size_t cap = 1;
	int err;

	pm->keys = xcalloc(cap, ks);
	pm->n = 1;	/* the u32 0 that calloc left there */
	if (pm->m->array)
		return 0;
	for (pm->n = 0;; pm->n++) {
		if (pm->n == cap) {
			cap *= 2;
			pm->keys = xrealloc(pm->keys, cap * ks);
		}
		err = bpf_map_get_next_key(pm->m->fd, pm->n ?
			pm->keys + (pm->n - 1) * ks : NULL,
			pm->keys + pm->n * ks);
		if (err == -ENOENT)
			return 0;
		if (err)
			return err;
	}
}

/* All keys first, then one lookup each, like bpftrace: a key deleted
 * meanwhile is skipped rather than restarting the walk. */
static int pr_collect(struct pr_map *pm)
{
	size_t ks = pm->m->array ? sizeof(uint32_t) : pm->m->key_size;
	size_t vs = (size_t)pm->nval * pm->stride, i, kept = 0;
	int err = pr_keys(pm, ks);

	if (err)
		return err;
	pm->vals = xcalloc(pm->n ? pm->n : 1, vs);
	for (i = 0; i < pm->n; i++) {
		err = bpf_map_lookup_elem(pm->m->fd, pm->keys + i * ks,
					  pm->vals + kept * vs);
		if (err == -ENOENT)
			continue;
		if (err)
			return err;
		memmove(pm->keys + kept * ks, pm->keys + i * ks, ks);
		kept++;
	}
	pm->n = kept;
	return 0;
}

/* Whether a beats b as the new minimum (or maximum). */
static bool pr_beats(unsigned long long a, unsigned long long b, bool max,
		     bool is_signed)
{
	if (is_signed)
		return max ? (long long)a > (long long)b
			   : (long long)a < (long long)b;
	return max ? a > b : a < b;
}

/* MIN and MAX are { value, set } per CPU: a CPU that never ran the update
 * has set == 0 and takes no part. bpftrace orders these maps by the
 * minimum (maximum) taken as unsigned, even for signed values, so a
 * negative minimum sorts last; order keeps that value. */
static void pr_merge_minmax(const struct pr_map *pm, const unsigned char *v,
			    struct pr_entry *e)
{
	bool max = pm->m->agg == RT_AGG_MAX, sgn = pm->m->value.is_signed;
	unsigned c;

	e->touched = false;
	for (c = 0; c < pm->nval; c++, v += pm->stride) {
		unsigned long long val = pr_int(v, 8, false);

		if (!pr_int(v + 8, 8, false))
			continue;
		if (!e->touched || pr_beats(val, e->shown, max, sgn))
			e->shown = val;
		if (!e->touched || pr_beats(val, e->order, max, false))
			e->order = val;
		e->touched = true;
	}
}

/* AVG is { total, count } per CPU: the totals and counts are added and
 * divided once, in signed arithmetic for a signed value. */
static void pr_merge_avg(const struct pr_map *pm, const unsigned char *v,
			 struct pr_entry *e)
{
	unsigned long long total = 0, count = 0;
	unsigned c;

	for (c = 0; c < pm->nval; c++, v += pm->stride) {
		total += pr_int(v, 8, false);
		count += pr_int(v + 8, 8, false);
	}
	e->shown = 0;
	if (pm->m->value.is_signed && (long long)count > 0)
		e->shown = (long long)total / (long long)count;
	else if (!pm->m->value.is_signed && count)
		e->shown = total / count;
	e->order = e->shown;
	e->touched = count != 0;
}

/* COUNT, SUM and plain integers: the CPUs' values are added. An array
 * slot of COUNT or SUM that is zero everywhere was never touched. */
static void pr_merge_add(const struct pr_map *pm, const unsigned char *v,
			 struct pr_entry *e)
{
	const struct rt_field *f = &pm->m->value;
	bool plain = pm->m->agg == RT_AGG_NONE;
	unsigned long long sum = 0, x;
	unsigned c;

	e->touched = plain;
	for (c = 0; c < pm->nval; c++, v += pm->stride) {
		x = plain ? pr_int(v + f->offset, f->size, f->is_signed)
			  : pr_int(v, 8, false);
		sum += x;
		e->touched |= x != 0;
	}
	e->shown = e->order = sum;
}

static void pr_merge(const struct pr_map *pm, const unsigned char *v,
		     struct pr_entry *e)
{
	switch (pm->m->agg) {
	case RT_AGG_MIN:
	case RT_AGG_MAX:
		pr_merge_minmax(pm, v, e);
		break;
	case RT_AGG_AVG:
		pr_merge_avg(pm, v, e);
		break;
	case RT_AGG_NONE:
		if (pm->m->value.kind != RT_INT) {
			e->shown = e->order = 0;
			e->touched = true;
			break;
		}
		/* fall through */
	default:
		pr_merge_add(pm, v, e);
		break;
	}
}

/* bpftrace's key order: field by field, integers as signed 64-bit
 * whatever their sign, strings bytewise, probes by name. */
static int pr_cmp_key(const struct pr_map *pm, const unsigned char *a,
		      const unsigned char *b)
{
	const struct rt_map *m = pm->m;
	unsigned i;
	int r = 0;

	for (i = 0; i < m->nkeys && !r; i++) {
		const struct rt_field *f = &m->keys[i];
		const unsigned char *x = a + f->offset, *y = b + f->offset;
		long long s, t;

		switch (f->kind) {
		case RT_INT:
			s = pr_int(x, f->size, f->is_signed);
			t = pr_int(y, f->size, f->is_signed);
			r = (s > t) - (s < t);
			break;
		case RT_STR:
			r = memcmp(x, y, f->size);
			break;
		case RT_PROBE:
			s = pr_int(x, 8, false);
			t = pr_int(y, 8, false);
			r = strcmp(pr_probe_name(pm->plan, s),
				   pr_probe_name(pm->plan, t));
			break;
		}
	}
	return r;
}

/* Aggregations and integer values sort by value, ascending (signed for
 * SUM, AVG and signed integers; unsigned for COUNT, MIN and MAX), other
 * values by key. Equal values fall back to the key order so the output
 * does not depend on the hash table's. */
static int pr_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct pr_entry *a = pa, *b = pb;
	const struct pr_map *pm = ctx;
	const struct rt_map *m = pm->m;
	bool sgn = m->value.is_signed && (m->agg == RT_AGG_NONE ||
		m->agg == RT_AGG_SUM || m->agg == RT_AGG_AVG);

	if ((m->agg == RT_AGG_NONE && m->value.kind != RT_INT) ||
	    a->order == b->order)
		return pr_cmp_key(pm, a->key, b->key);
	if (sgn)
		return (long long)a->order < (long long)b->order ? -1 : 1;
	return a->order < b->order ? -1 : 1;
}

static void pr_line(FILE *out, const struct pr_map *pm,
		    const struct pr_entry *e)
{
	const struct rt_map *m = pm->m;
	unsigned i;

	fputs(m->name, out);
	if (!m->array) {
		fputc('[', out);
		for (i = 0; i < m->nkeys; i++) {
			if (i)
				fputs(", ", out);
			pr_field(out, pm->plan, &m->keys[i], e->key);
		}
		fputc(']', out);
	}
	fputs(": ", out);
	if (m->agg == RT_AGG_NONE && m->value.kind != RT_INT)
		pr_field(out, pm->plan, &m->value, e->val);
	else if (m->agg != RT_AGG_COUNT && m->value.is_signed)
		fprintf(out, "%lld", (long long)e->shown);
	else
		fprintf(out, "%llu", e->shown);
	fputc('\n', out);
}

static unsigned pr_field_end(const struct rt_field *f)
{
	return f->offset + (f->kind == RT_PROBE ? 8 : f->size);
}

/* A descriptor that does not fit the map's sizes would make us read past
 * the buffers: refuse it. */
static int pr_check(const struct rt_map *m)
{
	static const unsigned need[] = {
		[RT_AGG_COUNT] = 8, [RT_AGG_SUM] = 8,
		[RT_AGG_MIN] = 16, [RT_AGG_MAX] = 16, [RT_AGG_AVG] = 16,
	};
	unsigned i;

	if ((unsigned)m->agg > RT_AGG_AVG)
		return -EINVAL;
	if (m->agg == RT_AGG_NONE ? pr_field_end(&m->value) > m->value_size
				  : need[m->agg] > m->value_size)
		return -EINVAL;
	for (i = 0; i < m->nkeys && !m->array; i++)
		if (pr_field_end(&m->keys[i]) > m->key_size)
			return -EINVAL;
	return 0;
}

static void pr_sort_and_print(FILE *out, struct pr_map *pm)
{
	size_t ks = pm->m->array ? sizeof(uint32_t) : pm->m->key_size;
	size_t vs = (size_t)pm->nval * pm->stride, i;

	pm->ents = xcalloc(pm->n ? pm->n : 1, sizeof(*pm->ents));
	for (i = 0; i < pm->n; i++) {
		pm->ents[i].key = pm->keys + i * ks;
		pm->ents[i].val = pm->vals + i * vs;
		pr_merge(pm, pm->ents[i].val, &pm->ents[i]);
	}
	qsort_r(pm->ents, pm->n, sizeof(*pm->ents), pr_cmp, pm);
	for (i = 0; i < pm->n; i++)
		if (pm->ents[i].touched)
			pr_line(out, pm, &pm->ents[i]);
}

int rt_print_map(const struct rt_printer *p, const struct rt_map *m)
{
	struct pr_map pm = { .plan = p->plan, .m = m, .nval = 1 };
	int err = pr_check(m);

	if (err)
		return err;
	pm.stride = m->value_size;
	if (m->percpu) {
		err = libbpf_num_possible_cpus();
		if (err < 0)
			return err;
		pm.nval = err;
		pm.stride = (m->value_size + 7) & ~7u;
	}
	err = pr_collect(&pm);
	if (!err)
		pr_sort_and_print(p->out, &pm);
	free(pm.keys);
	free(pm.vals);
	free(pm.ents);
	return err;
}

static int pr_cmp_name(const void *a, const void *b)
{
	const struct rt_map *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/* As bpftrace at exit: two newlines end the tracing output, whether or
 * not a map follows, then the maps in name order with no blank line
 * between them. A map that cannot be read is reported and skipped. */
int rt_print_maps(const struct rt_printer *p)
{
	const struct rt_plan *plan = p->plan;
	const struct rt_map **order;
	size_t i;
	int err, first = 0;

	fputs("\n\n", p->out);
	if (!plan->nmaps)
		return 0;
	order = xcalloc(plan->nmaps, sizeof(*order));
	for (i = 0; i < plan->nmaps; i++)
		order[i] = &plan->maps[i];
	qsort(order, plan->nmaps, sizeof(*order), pr_cmp_name);
	for (i = 0; i < plan->nmaps; i++) {
		err = rt_print_map(p, order[i]);
		if (!err)
			continue;
		fprintf(stderr, "scry: error: %s: reading map failed: %s\n",
			order[i]->name, strerror(-err));
		if (!first)
			first = err;
	}
	free(order);
	return first;
}

/* One printf argument from a record; *tmp receives a buffer to free when
 * a cut string needs the trailer appended. Out-of-bounds fields (a
 * record shorter than its descriptor) print as 0 or "". */
static void pr_event_arg(const struct rt_printer *p, const struct rt_field *f,
			 const unsigned char *data, size_t size,
			 struct fmt_arg *a, char **tmp)
{
	const unsigned char *v = data + f->offset;
	size_t n;

	a->kind = f->kind == RT_INT ? FMT_ARG_INT : FMT_ARG_STR;
	a->is_signed = f->is_signed;
	a->s = "";
	if (pr_field_end(f) > size)
		return;
	switch (f->kind) {
	case RT_INT:
		a->u = pr_int(v, f->size, f->is_signed);
		break;
	case RT_STR:
		n = strnlen((const char *)v, f->size);
		a->s = (const char *)v;
		a->slen = n;
		if (n < f->size)
			break;
		*tmp = xmalloc(n + sizeof(PR_TRUNC_TRAILER));
		memcpy(*tmp, v, n);
		memcpy(*tmp + n, PR_TRUNC_TRAILER, sizeof(PR_TRUNC_TRAILER));
		a->s = *tmp;
		a->slen = n + sizeof(PR_TRUNC_TRAILER) - 1;
		break;
	case RT_PROBE:
		a->s = pr_probe_name(p->plan, pr_int(v, 8, false));
		a->slen = strlen(a->s);
		break;
	}
}

void rt_print_event(const struct rt_printer *p, const struct rt_event *ev,
		    const void *data, size_t size)
{
	size_t i, n = ev->fmt.nargs;
	struct fmt_arg *args;
	char **tmp;

	if (ev->kind != RT_EV_PRINTF)
		return;
	args = xcalloc(n ? n : 1, sizeof(*args));
	tmp = xcalloc(n ? n : 1, sizeof(*tmp));
	for (i = 0; i < n && i < ev->nargs; i++)
		pr_event_arg(p, &ev->args[i], data, size, &args[i], &tmp[i]);
	fmt_print(p->out, &ev->fmt, args);
	for (i = 0; i < n; i++)
		free(tmp[i]);
	free(tmp);
	free(args);
}
