/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hist() and lhist() maps as bpftrace prints them: buckets summed over
 * the CPUs and grouped by key, rows with bounds and bars, or JSON. */
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "runtime/print.h"

/* A histogram row's bar, as wide as bpftrace's (src/output/text.cpp). */
#define PR_BAR_WIDTH 52
/* log2 bucket indexes whose bounds fit 64 bits: 2^k sub-buckets for each
 * power of 2 up to 2^63 (bpftrace allocates 65 * 32 slots, for k = 5). */
#define PR_HIST_LIMIT(k) (65ull << (k))

struct pr_bucket {
	const unsigned char *key;	/* the user's key fields */
	unsigned long long idx, count;	/* count: summed over the CPUs */
};

/* One key's histogram: its buckets, by index */
struct pr_hist {
	struct pr_bucket *b;
	size_t n;
	unsigned long long total;	/* what histograms are sorted by */
};

/* A bucket bound. bpftrace keeps a plain integer, or a symbol (1K, 16M)
 * that prints its text in text mode and its number in JSON. */
struct pr_label {
	bool sym;
	long long n;		/* the value (unsigned when sym) */
	char text[32];
};

/* The end of log2 bucket idx, and so the start of the next: a plain
 * number up to 2 << k (one value a bucket up to there), else a symbol:
 * the start of the next bucket, with a K, M, G... suffix for the power
 * of 1024 in the sub-bucket size (types_format.cpp hist_index_label). So
 * with k = 3 the labels go 7168, 7680, 8K, 9K. */
static struct pr_label pr_hist_label(unsigned long long idx, unsigned k)
{
	struct pr_label l = { .n = (long long)idx };
	unsigned long long n = 1ull << k, sub = idx & (n - 1);
	unsigned power, dec;

	if (idx <= 2ull << k)
		return l;
	power = (unsigned)(idx >> k) - 1;
	dec = power / 10;
	l.sym = true;
	l.n = (long long)((1ull << power) * (n + sub));
	snprintf(l.text, sizeof(l.text), "%llu%.1s",
		 (1ull << (power - 10 * dec)) * (n + sub), &"\0KMGTPE"[dec]);
	return l;
}

/* An lhist bound: a plain number, or with a step that is a multiple of
 * 1024 a symbol, with an M or K suffix when the bound is a multiple of
 * 2^20 or 2^10 (types_format.cpp lhist_index_label). */
static struct pr_label pr_lhist_label(long long v, long long step)
{
	struct pr_label l = { .n = v };

	if (step % 1024)
		return l;
	l.sym = true;
	if (v && v % (1 << 20) == 0)
		snprintf(l.text, sizeof(l.text), "%lldM", v / (1 << 20));
	else if (v && v % 1024 == 0)
		snprintf(l.text, sizeof(l.text), "%lldK", v / 1024);
	else
		snprintf(l.text, sizeof(l.text), "%lld", v);
	return l;
}

/* The end of bucket idx, if it has one: bucket -1 (the start of bucket
 * 0, which holds everything below) and lhist's last bucket (everything
 * from max on) have none. */
static bool pr_bound(const struct rt_map *m, long long idx,
		     struct pr_label *l)
{
	long long v;

	if (idx < 0)
		return false;
	if (m->agg == RT_AGG_HIST) {
		*l = pr_hist_label(idx, m->hist_bits);
		return true;
	}
	v = (long long)((unsigned long long)m->lhist_min +
			(unsigned long long)idx * m->lhist_step);
	if (v > m->lhist_max)
		return false;
	*l = pr_lhist_label(v, m->lhist_step);
	return true;
}

static const char *pr_label_text(char *buf, size_t size,
				 const struct pr_label *l)
{
	if (l->sym)
		return l->text;
	snprintf(buf, size, "%lld", l->n);
	return buf;
}

/* A text row: "(..., hi)", "[lo, ...)", "[lo]" when the bucket holds one
 * value (two adjacent plain bounds), else "[lo, hi)", padded to 16; the
 * count in 8; the bar scaled to the largest count shown, computed in
 * float as bpftrace does so that it truncates the same way. */
static void pr_hist_row(FILE *out, const struct rt_map *m,
			unsigned long long idx, unsigned long long count,
			unsigned long long max)
{
	struct pr_label lo, hi;
	bool has_lo = pr_bound(m, (long long)idx - 1, &lo);
	bool has_hi = pr_bound(m, idx, &hi);
	char a[32], b[32], head[80], bar[PR_BAR_WIDTH + 1];
	float frac = max ? (float)count / (float)max : 0;
	int w = (int)(frac * PR_BAR_WIDTH);
	const char *sa = has_lo ? pr_label_text(a, sizeof(a), &lo) : "";
	const char *sb = has_hi ? pr_label_text(b, sizeof(b), &hi) : "";

	if (!has_lo)
		snprintf(head, sizeof(head), "(..., %s)", sb);
	else if (!has_hi)
		snprintf(head, sizeof(head), "[%s, ...)", sa);
	else if (!lo.sym && !hi.sym &&
		 (unsigned long long)lo.n + 1 == (unsigned long long)hi.n)
		snprintf(head, sizeof(head), "[%s]", sa);
	else
		snprintf(head, sizeof(head), "[%s, %s)", sa, sb);
	w = w < 0 ? 0 : w > PR_BAR_WIDTH ? PR_BAR_WIDTH : w;
	memset(bar, '@', w);
	bar[w] = 0;
	fprintf(out, "%-16s%8llu |%-*s|\n", head, count, PR_BAR_WIDTH, bar);
}

/* A JSON bucket: {"min": lo, "max": hi - 1, "count": n}, min or max left
 * out where the bucket has no such bound. */
static void pr_hist_json_row(FILE *out, const struct rt_map *m,
			     unsigned long long idx, unsigned long long count)
{
	struct pr_label l;

	fputc('{', out);
	if (pr_bound(m, (long long)idx - 1, &l)) {
		fputs("\"min\": ", out);
		pr_num(out, l.n, !l.sym, true);
		fputs(", ", out);
	}
	if (pr_bound(m, idx, &l)) {
		fputs("\"max\": ", out);
		pr_num(out, (unsigned long long)l.n - 1, true, true);
		fputs(", ", out);
	}
	fprintf(out, "\"count\": %llu}", count);
}

/* hist counts are divided by print()'s div; lhist ignores it, as in
 * bpftrace. */
static unsigned long long pr_hist_count(const struct pr_map *pm,
					unsigned long long c)
{
	if (pm->m->agg == RT_AGG_LHIST || pm->o.div <= 1)
		return c;
	return c / pm->o.div;
}

/* The rows bpftrace prints: from the first to the last non-empty bucket
 * (before div), the empty ones in between included; none at all when
 * zero() emptied every bucket. */
static void pr_hist_rows(const struct pr_map *pm, const struct pr_hist *h)
{
	size_t first = 0, last = h->n, j;
	unsigned long long lo, i, c, max = 0;

	while (first < h->n && !h->b[first].count)
		first++;
	while (last > first && !h->b[last - 1].count)
		last--;
	for (j = first; j < last; j++)
		if (pr_hist_count(pm, h->b[j].count) > max)
			max = pr_hist_count(pm, h->b[j].count);
	lo = first < last ? h->b[first].idx : 0;
	if (pm->json)
		fputc('[', pm->out);
	for (i = lo, j = first; j < last; i++) {
		c = 0;
		if (h->b[j].idx == i)
			c = pr_hist_count(pm, h->b[j++].count);
		if (!pm->json) {
			pr_hist_row(pm->out, pm->m, i, c, max);
			continue;
		}
		if (i > lo)
			fputc(',', pm->out);
		pr_hist_json_row(pm->out, pm->m, i, c);
	}
	if (pm->json)
		fputc(']', pm->out);
}

/* "@name[key]:", the rows, a blank line; in JSON "key": [rows] */
static void pr_hist_one(const struct pr_map *pm, const struct pr_hist *h,
			bool first)
{
	FILE *out = pm->out;

	if (pm->json) {
		if (!pr_scalar(pm->m)) {
			fputs(first ? "" : ", ", out);
			pr_key_json(out, pm, h->b[0].key);
			fputs(": ", out);
		}
		pr_hist_rows(pm, h);
		return;
	}
	fputs(pm->m->name, out);
	if (!pr_scalar(pm->m)) {
		fputc('[', out);
		pr_key_text(out, pm, h->b[0].key);
		fputc(']', out);
	}
	fputs(":\n", out);
	pr_hist_rows(pm, h);
	fputc('\n', out);
}

static int pr_cmp_bucket(const void *pa, const void *pb, void *ctx)
{
	const struct pr_bucket *a = pa, *b = pb;
	int r = memcmp(a->key, b->key, *(const size_t *)ctx);

	if (r)
		return r;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

/* bpftrace sorts histograms by their total count; it finds them in
 * key-byte order and its sort keeps that order among equals (for up to
 * 16 keys, where std::sort is an insertion sort): so do we, always. */
static int pr_cmp_hist(const void *pa, const void *pb, void *ctx)
{
	const struct pr_hist *a = pa, *b = pb;

	if (a->total != b->total)
		return a->total < b->total ? -1 : 1;
	return memcmp(a->b->key, b->b->key, *(const size_t *)ctx);
}

/* The entries as buckets (CPUs added; an index no bucket can have is
 * dropped), sorted by key then index. */
static struct pr_bucket *pr_buckets(const struct pr_map *pm, size_t *nb)
{
	const struct rt_map *m = pm->m;
	size_t ks = m->key_size, uks = ks - 8, vs, i, n = 0;
	unsigned long long lim = m->agg == RT_AGG_HIST ?
		PR_HIST_LIMIT(m->hist_bits) : pr_lhist_last(m) + 1;
	struct pr_bucket *b = xcalloc(pm->n + 1, sizeof(*b)), x;
	unsigned c;

	vs = (size_t)pm->nval * pm->stride;
	for (i = 0; i < pm->n; i++) {
		x.key = pm->keys + i * ks;
		x.idx = pr_int(x.key + uks, 8, false);
		x.count = 0;
		for (c = 0; c < pm->nval; c++)
			x.count += pr_int(pm->vals + i * vs + c * pm->stride,
					  8, false);
		if (x.idx < lim)
			b[n++] = x;
	}
	qsort_r(b, n, sizeof(*b), pr_cmp_bucket, &uks);
	*nb = n;
	return b;
}

/* Group the buckets by key, sort, keep the top ones, print. */
void pr_print_hists(struct pr_map *pm)
{
	size_t uks = pm->m->key_size - 8, nb, nh = 0, i, skip;
	struct pr_bucket *b = pr_buckets(pm, &nb);
	struct pr_hist *h = xcalloc(nb + 1, sizeof(*h));

	for (i = 0; i < nb; i++) {
		if (!i || memcmp(b[i].key, b[i - 1].key, uks))
			h[nh++].b = &b[i];
		h[nh - 1].n++;
		h[nh - 1].total += b[i].count;
	}
	qsort_r(h, nh, sizeof(*h), pr_cmp_hist, &uks);
	skip = pm->o.top && nh > pm->o.top ? nh - pm->o.top : 0;
	if (nh && pm->json) {
		pr_json_open(pm->out, pm->m);
		fputs(pr_scalar(pm->m) ? "" : "{", pm->out);
	}
	for (i = skip; i < nh; i++)
		pr_hist_one(pm, &h[i], i == skip);
	if (nh && pm->json)
		fputs(pr_scalar(pm->m) ? "}}\n" : "}}}\n", pm->out);
	free(h);
	free(b);
}
