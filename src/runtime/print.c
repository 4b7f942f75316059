/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Printing maps as bpftrace prints them, in text or (-f json) one JSON
 * object a line: read through the bpf syscall, CPUs merged, sorted; the
 * histograms are in hist.c. clear() and zero() are here too: bpftrace
 * runs them in user space when their record arrives. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "arena.h"
#include "runtime/print.h"

/* An integer of 1, 2, 4 or 8 bytes, sign-extended when signed. */
unsigned long long pr_int(const unsigned char *p, unsigned size,
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

const char *pr_probe_name(const struct rt_plan *plan, unsigned long long id)
{
	if (!plan || id >= plan->nprobe_names || !plan->probe_names[id])
		return "?";
	return plan->probe_names[id];
}

FILE *pr_memstream(char **buf, size_t *len)
{
	FILE *f = open_memstream(buf, len);

	if (!f) {
		fputs("scry: error: out of memory\n", stderr);
		exit(2);
	}
	return f;
}

/* ---- keys and values ---- */

/* A string field up to its NUL. A full buffer (no NUL) holds a string
 * that was cut short: its first size - 1 characters and a trailer, as
 * bpftrace prints a string longer than its maximum length. */
static void pr_str(FILE *out, const unsigned char *p, unsigned size,
		   bool json)
{
	size_t n = strnlen((const char *)p, size);
	bool cut = n == size;

	if (cut)
		n = size ? size - 1 : 0;
	if (json) {
		fputc('"', out);
		pr_json_body(out, (const char *)p, n, false);
	} else {
		fwrite(p, 1, n, out);
	}
	if (cut)
		fputs(PR_TRUNC_TRAILER, out);
	if (json)
		fputc('"', out);
}

/* A tuple: (1, abc, (2, 3)), or in JSON [1,"abc",[2,3]], as bpftrace
 * prints them (src/output/text.cpp, json.cpp): strings unquoted in text,
 * no spaces in JSON. */
static void pr_tuple(FILE *out, const struct rt_plan *plan,
		     const struct rt_field *f, const unsigned char *p,
		     bool json)
{
	fputc(json ? '[' : '(', out);
	for (unsigned i = 0; i < f->nelems; i++) {
		if (i)
			fputs(json ? "," : ", ", out);
		pr_field(out, plan, &f->elems[i], p, json);
	}
	fputc(json ? ']' : ')', out);
}

void pr_field(FILE *out, const struct rt_plan *plan, const struct rt_field *f,
	      const unsigned char *base, bool json)
{
	const unsigned char *p = base + f->offset;
	const char *name;

	switch (f->kind) {
	case RT_INT:
		pr_num(out, pr_int(p, f->size, f->is_signed), f->is_signed,
		       json);
		break;
	case RT_STR:
		pr_str(out, p, f->size, json);
		break;
	case RT_PROBE:
		name = pr_probe_name(plan, pr_int(p, 8, false));
		if (json)
			rt_json_string(out, name, strlen(name));
		else
			fputs(name, out);
		break;
	case RT_TIME:
	case RT_INET:
	case RT_KSYM:
	case RT_USYM:
	case RT_USER: {
		char *t = rt_format_value(plan, f, p);
		if (json)
			rt_json_string(out, t, strlen(t));
		else
			fputs(t, out);
		free(t);
		break;
	}
	case RT_TUPLE:
		pr_tuple(out, plan, f, p, json);
		break;
	}
}

/* No user key: one value, printed without brackets. */
bool pr_scalar(const struct rt_map *m)
{
	return m->array || m->nkeys == 0;
}

static bool pr_is_hist(const struct rt_map *m)
{
	return m->agg == RT_AGG_HIST || m->agg == RT_AGG_LHIST;
}

/* The key between the brackets: its fields joined by ", ". bpftrace
 * prints a key as a tuple and strips the outer parentheses, so a lone
 * string key "(x)" loses its own (src/output/text.cpp emit_map). */
void pr_key_text(FILE *out, const struct pr_map *pm, const unsigned char *key)
{
	const struct rt_map *m = pm->m;
	const struct rt_field *f = m->keys;
	const unsigned char *s;
	size_t n;
	unsigned i;

	if (m->nkeys == 1 && f->kind == RT_STR) {
		s = key + f->offset;
		n = strnlen((const char *)s, f->size);
		if (n >= 2 && n < f->size && s[0] == '(' && s[n - 1] == ')') {
			fwrite(s + 1, 1, n - 2, out);
			return;
		}
	}
	for (i = 0; i < m->nkeys; i++) {
		if (i)
			fputs(", ", out);
		pr_field(out, pm->plan, &m->keys[i], key, false);
	}
}

/* A key as a JSON member name, as the newest bpftrace writes it
 * (src/output/json.cpp): a string key as it is; any other key as its
 * text with every space dropped, so [1, "a b"] is "1,ab". */
void pr_key_json(FILE *out, const struct pr_map *pm, const unsigned char *key)
{
	const struct rt_field *k = pm->m->keys;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (pm->m->nkeys == 1 && k->kind == RT_STR) {
		pr_str(out, key + k->offset, k->size, true);
		return;
	}
	f = pr_memstream(&buf, &len);
	pr_key_text(f, pm, key);
	fclose(f);
	fputc('"', out);
	pr_json_body(out, buf, len, true);
	fputc('"', out);
	free(buf);
}

/* Values print signed unless they are counts or the type is unsigned. */
static bool pr_signed(const struct rt_map *m)
{
	return m->agg != RT_AGG_COUNT && m->value.is_signed;
}

/* print(@m, top, div): a value divided, in its own signedness */
static unsigned long long pr_div(const struct pr_map *pm,
				 unsigned long long v)
{
	unsigned long long d = pm->o.div > 1 ? pm->o.div : 1;

	if (pr_signed(pm->m))
		return (unsigned long long)((long long)v / (long long)d);
	return v / d;
}

/* STATS is bpftrace's record of three, { .count = 2, .average = 6,
 * .total = 12 } or {"count": 2, ...}; div divides only the average. */
static void pr_stats(FILE *out, const struct pr_map *pm,
		     const struct pr_entry *e)
{
	static const char *const part[2][4] = {
		{ "{ .count = ", ", .average = ", ", .total = ", " }" },
		{ "{\"count\": ", ", \"average\": ", ", \"total\": ", "}" },
	};
	const char *const *s = part[pm->json];
	bool sgn = pr_signed(pm->m);

	fputs(s[0], out);
	pr_num(out, e->count, sgn, pm->json);
	fputs(s[1], out);
	pr_num(out, pr_div(pm, e->shown), sgn, pm->json);
	fputs(s[2], out);
	pr_num(out, e->total, sgn, pm->json);
	fputs(s[3], out);
}

static void pr_value(FILE *out, const struct pr_map *pm,
		     const struct pr_entry *e)
{
	const struct rt_map *m = pm->m;

	if (m->agg == RT_AGG_NONE && m->value.kind != RT_INT)
		pr_field(out, pm->plan, &m->value, e->val, pm->json);
	else if (m->agg == RT_AGG_STATS)
		pr_stats(out, pm, e);
	else
		pr_num(out, pr_div(pm, e->shown), pr_signed(m), pm->json);
}

/* ---- reading a map ---- */

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

static size_t pr_key_size(const struct rt_map *m)
{
	return m->array ? sizeof(uint32_t) : m->key_size;
}

/* All keys first, then one lookup each, like bpftrace: a key deleted
 * meanwhile is skipped rather than restarting the walk. */
static int pr_collect(struct pr_map *pm)
{
	size_t ks = pr_key_size(pm->m);
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

/* AVG and STATS are { total, count } per CPU: the totals and counts are
 * added and divided once, in signed arithmetic for a signed value. */
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
	e->total = total;
	e->count = count;
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

/* A hash entry exists, so it prints even when zero() emptied it; only an
 * array's slot can be untouched. */
static void pr_merge(const struct pr_map *pm, const unsigned char *v,
		     struct pr_entry *e)
{
	switch (pm->m->agg) {
	case RT_AGG_MIN:
	case RT_AGG_MAX:
		pr_merge_minmax(pm, v, e);
		break;
	case RT_AGG_AVG:
	case RT_AGG_STATS:
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
	if (!pm->slot)
		e->touched = true;
}

/* bpftrace's key order: field by field, integers as signed 64-bit
 * whatever their sign, strings bytewise, probes by name, tuples element
 * by element. */
static int pr_cmp_field(const struct pr_map *pm, const struct rt_field *f,
			const unsigned char *a, const unsigned char *b)
{
	const unsigned char *x = a + f->offset, *y = b + f->offset;
	long long s, t;
	int r = 0;

	switch (f->kind) {
	case RT_INT:
		s = pr_int(x, f->size, f->is_signed);
		t = pr_int(y, f->size, f->is_signed);
		return (s > t) - (s < t);
	case RT_STR:
		return memcmp(x, y, f->size);
	case RT_PROBE:
		s = pr_int(x, 8, false);
		t = pr_int(y, 8, false);
		return strcmp(pr_probe_name(pm->plan, s),
			      pr_probe_name(pm->plan, t));
	case RT_TIME:
	case RT_INET:
	case RT_KSYM:
	case RT_USYM:
	case RT_USER:
		return memcmp(x, y, rt_field_bytes(f));
	case RT_TUPLE:
		for (unsigned i = 0; i < f->nelems && !r; i++)
			r = pr_cmp_field(pm, &f->elems[i], x, y);
		return r;
	}
	return 0;
}

static int pr_cmp_key(const struct pr_map *pm, const unsigned char *a,
		      const unsigned char *b)
{
	int r = 0;

	for (unsigned i = 0; i < pm->m->nkeys && !r; i++)
		r = pr_cmp_field(pm, &pm->m->keys[i], a, b);
	return r;
}

/* Aggregations and integer values sort by value, ascending (signed for
 * SUM, AVG, STATS and signed integers; unsigned for COUNT, MIN and MAX),
 * other values by key. Equal values fall back to the key order so the
 * output does not depend on the hash table's. */
static int pr_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct pr_entry *a = pa, *b = pb;
	const struct pr_map *pm = ctx;
	const struct rt_map *m = pm->m;
	bool sgn = m->value.is_signed && (m->agg == RT_AGG_NONE ||
		m->agg == RT_AGG_SUM || m->agg == RT_AGG_AVG ||
		m->agg == RT_AGG_STATS);

	if ((m->agg == RT_AGG_NONE && m->value.kind != RT_INT) ||
	    a->order == b->order)
		return pr_cmp_key(pm, a->key, b->key);
	if (sgn)
		return (long long)a->order < (long long)b->order ? -1 : 1;
	return a->order < b->order ? -1 : 1;
}

unsigned pr_field_end(const struct rt_field *f)
{
	return f->offset + rt_field_bytes(f);
}

/* An lhist's last bucket index: everything at or above max. */
unsigned long long pr_lhist_last(const struct rt_map *m)
{
	return 1 + ((unsigned long long)m->lhist_max -
		    (unsigned long long)m->lhist_min) / m->lhist_step;
}

/* A histogram's key ends with the u64 bucket index, and its parameters
 * must make sense for the labels to be computed. */
static int pr_check_hist(const struct rt_map *m)
{
	if (m->array || m->key_size < 8 || m->value_size < 8)
		return -EINVAL;
	if (m->agg == RT_AGG_HIST)
		return m->hist_bits <= 5 ? 0 : -EINVAL;
	if (m->lhist_step <= 0 || m->lhist_max < m->lhist_min)
		return -EINVAL;
	return 0;
}

/* A descriptor that does not fit the map's sizes would make us read past
 * the buffers: refuse it. */
static int pr_check(const struct rt_map *m)
{
	static const unsigned need[] = {
		[RT_AGG_COUNT] = 8, [RT_AGG_SUM] = 8,
		[RT_AGG_MIN] = 16, [RT_AGG_MAX] = 16, [RT_AGG_AVG] = 16,
		[RT_AGG_STATS] = 16,
	};
	unsigned i, kend = m->key_size;

	if ((unsigned)m->agg > RT_AGG_LHIST)
		return -EINVAL;
	if (pr_is_hist(m)) {
		if (pr_check_hist(m))
			return -EINVAL;
		kend -= 8;
	} else if (m->agg == RT_AGG_NONE ?
		   pr_field_end(&m->value) > m->value_size :
		   need[m->agg] > m->value_size) {
		return -EINVAL;
	}
	for (i = 0; i < m->nkeys && !m->array; i++)
		if (pr_field_end(&m->keys[i]) > kend)
			return -EINVAL;
	return 0;
}

/* ---- maps of values ---- */

static void pr_line(const struct pr_map *pm, const struct pr_entry *e)
{
	FILE *out = pm->out;

	fputs(pm->m->name, out);
	if (!pr_scalar(pm->m)) {
		fputc('[', out);
		pr_key_text(out, pm, e->key);
		fputc(']', out);
	}
	fputs(": ", out);
	pr_value(out, pm, e);
	fputc('\n', out);
}

/* One object: {"@name": value} or {"@name": {"key": value, ...}} */
static void pr_json_entries(const struct pr_map *pm,
			    struct pr_entry *const *v, size_t n)
{
	FILE *out = pm->out;
	size_t i;

	pr_json_open(out, pm->m);
	if (pr_scalar(pm->m)) {
		pr_value(out, pm, v[0]);
	} else {
		fputc('{', out);
		for (i = 0; i < n; i++) {
			if (i)
				fputs(", ", out);
			pr_key_json(out, pm, v[i]->key);
			fputs(": ", out);
			pr_value(out, pm, v[i]);
		}
		fputc('}', out);
	}
	fputs("}}\n", out);
}

static void pr_emit(const struct pr_map *pm, struct pr_entry *const *v,
		    size_t n)
{
	size_t i;

	if (!n)
		return;
	if (pm->json) {
		pr_json_entries(pm, v, n);
		return;
	}
	for (i = 0; i < n; i++)
		pr_line(pm, v[i]);
}

/* Sort, keep what was touched, keep the top ones. print(@x) on a scalar
 * nobody set prints its zero value, as bpftrace's print does
 * (async_action.cpp print_map); at exit it prints nothing. */
static void pr_print_values(struct pr_map *pm)
{
	size_t ks = pr_key_size(pm->m);
	size_t vs = (size_t)pm->nval * pm->stride, i, n = 0, skip;
	struct pr_entry **show, zero = { 0 };
	unsigned char *zval = NULL;

	pm->ents = xcalloc(pm->n ? pm->n : 1, sizeof(*pm->ents));
	for (i = 0; i < pm->n; i++) {
		pm->ents[i].key = pm->keys + i * ks;
		pm->ents[i].val = pm->vals + i * vs;
		pr_merge(pm, pm->ents[i].val, &pm->ents[i]);
	}
	qsort_r(pm->ents, pm->n, sizeof(*pm->ents), pr_cmp, pm);
	show = xcalloc(pm->n + 1, sizeof(*show));
	for (i = 0; i < pm->n; i++)
		if (pm->ents[i].touched)
			show[n++] = &pm->ents[i];
	if (!n && pm->o.empty_scalar && pr_scalar(pm->m)) {
		zval = xcalloc(1, pm->m->value_size);
		zero.val = zval;
		show[n++] = &zero;
	}
	skip = pm->o.top && n > pm->o.top ? n - pm->o.top : 0;
	pr_emit(pm, show + skip, n - skip);
	free(zval);
	free(show);
}

/* ---- the entry points ---- */

/* Whether a one-slot map is a BPF array, whose slot exists unwritten,
 * rather than a hash, whose slot exists once set (and after zero()). */
static bool pr_is_array(const struct rt_map *m)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (!m->array || bpf_obj_get_info_by_fd(m->fd, &info, &len))
		return m->array;
	return info.type == BPF_MAP_TYPE_ARRAY ||
	       info.type == BPF_MAP_TYPE_PERCPU_ARRAY;
}

static int pr_print(const struct rt_printer *p, const struct rt_map *m,
		    struct pr_opts o)
{
	struct pr_map pm = { .plan = p->plan, .m = m, .out = p->out,
			     .json = p->json, .o = o, .nval = 1 };
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
	pm.slot = pr_is_array(m);
	err = pr_collect(&pm);
	if (!err && pr_is_hist(m))
		pr_print_hists(&pm);
	else if (!err)
		pr_print_values(&pm);
	free(pm.keys);
	free(pm.vals);
	free(pm.ents);
	return err;
}

int rt_print_map(const struct rt_printer *p, const struct rt_map *m)
{
	struct pr_opts o = { 0 };

	return pr_print(p, m, o);
}

int rt_print_map_opts(const struct rt_printer *p, const struct rt_map *m,
		      unsigned top, unsigned div)
{
	struct pr_opts o = { .top = top, .div = div, .empty_scalar = true };

	return pr_print(p, m, o);
}

/* clear() and zero() as bpftrace runs them (src/bpfmap.cpp): walk the
 * keys first, then delete each or overwrite it with zeros (BPF_EXIST: an
 * entry deleted meanwhile stays deleted). A one-slot map is a hash for a
 * plain value but an array for an aggregation, whose slot cannot be
 * deleted (EINVAL): clear() zeroes it, which reads as never written. */
static int pr_reset(const struct rt_map *m, bool del)
{
	struct pr_map pm = { .m = m };
	size_t ks = pr_key_size(m), vs = m->value_size, i;
	unsigned char *zero, *k;
	int err, ncpu;

	if (m->percpu) {
		ncpu = libbpf_num_possible_cpus();
		if (ncpu < 0)
			return ncpu;
		vs = (size_t)ncpu * ((m->value_size + 7) & ~7u);
	}
	err = pr_keys(&pm, ks);
	zero = xcalloc(1, vs);
	for (i = 0; !err && i < pm.n; i++) {
		k = pm.keys + i * ks;
		err = del ? bpf_map_delete_elem(m->fd, k) : -EINVAL;
		if (err == -EINVAL && (m->array || !del))
			err = bpf_map_update_elem(m->fd, k, zero, BPF_EXIST);
		if (err == -ENOENT)
			err = 0;
	}
	free(zero);
	free(pm.keys);
	return err;
}

int rt_map_clear(const struct rt_map *m)
{
	return pr_reset(m, true);
}

int rt_map_zero(const struct rt_map *m)
{
	return pr_reset(m, false);
}

static int pr_cmp_name(const void *a, const void *b)
{
	const struct rt_map *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/* As bpftrace at exit: in text, two newlines end the tracing output,
 * whether or not a map follows (JSON has no such end); then the maps in
 * name order with no blank line between them. A map that cannot be read
 * is reported and skipped. */
int rt_print_maps(const struct rt_printer *p)
{
	const struct rt_plan *plan = p->plan;
	const struct rt_map **order;
	size_t i;
	int err, first = 0;

	if (!p->json)
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

