/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Real BPF maps for the printing tests: made and filled from user space
 * the way the kernel side fills them (runtime.h gives the layouts), then
 * printed through src/runtime/print.c and hist.c and compared with
 * bpftrace's output. Include after unit.h and json.h. */
#ifndef SCRY_TEST_MAPS_H
#define SCRY_TEST_MAPS_H
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "runtime/runtime.h"

static int ncpu;
static int fds[64];
static unsigned nfds;
static unsigned next_cpu;	/* where the next update lands */

static inline int map_new(enum bpf_map_type type, unsigned ks, unsigned vs)
{
	int fd = bpf_map_create(type, NULL, ks, vs, 256, NULL);

	if (fd >= 0 && nfds < sizeof(fds) / sizeof(fds[0]))
		fds[nfds++] = fd;
	CHECK(fd >= 0);
	return fd;
}

static inline char *capture(const struct rt_plan *plan, const struct rt_map *m,
			    bool json, bool print, unsigned top, unsigned div,
			    int *err)
{
	struct rt_printer p = { .plan = plan, .json = json };
	char *buf = NULL;
	size_t n = 0;

	p.out = open_memstream(&buf, &n);
	*err = print ? rt_print_map_opts(&p, m, top, div)
		     : rt_print_map(&p, m);
	fclose(p.out);
	return buf;
}

#define CHECK_OUT(plan, m, json, print, top, div, want)                    \
	do {                                                               \
		int e_;                                                    \
		char *o_ = capture(plan, m, json, print, top, div, &e_);   \
		CHECK_INT(e_, 0);                                          \
		CHECK_STR(o_, want);                                       \
		if (json)                                                  \
			CHECK(json_lines_valid(o_));                       \
		free(o_);                                                  \
	} while (0)
/* as at exit */
#define CHECK_TEXT(m, want) CHECK_OUT(NULL, m, false, false, 0, 0, want)
#define CHECK_JSON(m, want) CHECK_OUT(NULL, m, true, false, 0, 0, want)
/* as print(@m, top, div) */
#define CHECK_PRINT(m, top, div, want)                                     \
	CHECK_OUT(NULL, m, false, true, top, div, want)
#define CHECK_PRINT_JSON(m, top, div, want)                                \
	CHECK_OUT(NULL, m, true, true, top, div, want)

#define MAPS_UNUSED __attribute__((unused))
static struct rt_field k_int MAPS_UNUSED = { RT_INT, true, 0, 8 };
static struct rt_field k_str8 MAPS_UNUSED = { RT_STR, false, 0, 8 };
static struct rt_field k_str16 MAPS_UNUSED = { RT_STR, false, 0, 16 };
static struct rt_field k_probe MAPS_UNUSED = { RT_PROBE, false, 0, 8 };
static struct rt_field k_str_int[] MAPS_UNUSED = {
	{ RT_STR, false, 0, 16 }, { RT_INT, true, 16, 8 },
};
static struct rt_field k_int_str[] MAPS_UNUSED = {
	{ RT_INT, true, 0, 8 }, { RT_STR, false, 8, 8 },
};

/* A key of one string field of size bytes. */
static inline const void *skey(char *buf, size_t size, const char *s)
{
	memset(buf, 0, size);
	memcpy(buf, s, strnlen(s, size));
	return buf;
}

/* bpftrace's log2(n, k) and linear(n, min, max, step), written from
 * its codegen_llvm.cpp createLog2Function/createLinearFunction. */
static inline unsigned long long ref_log2(long long n, unsigned k)
{
	int l;

	if (n < 0)
		return 0;
	if (n < (1ll << k))
		return n + 1;
	l = 63 - __builtin_clzll(n);
	return ((unsigned long long)(l - k + 1) << k) +
	       ((n >> (l - k)) & ((1ll << k) - 1)) + 1;
}

static inline unsigned long long ref_linear(long long n, const struct rt_map *m)
{
	if (n < m->lhist_min)
		return 0;
	if (n > m->lhist_max)
		return 1 + (m->lhist_max - m->lhist_min) / m->lhist_step;
	return 1 + (n - m->lhist_min) / m->lhist_step;
}

/* Add n to bucket idx of the user key ukey, on one CPU, the next one
 * each time, so that the printer has CPUs to add up. */
static inline void bucket_add(const struct rt_map *m, const void *ukey,
			      unsigned long long idx, unsigned long long n)
{
	unsigned char key[64] = { 0 };
	unsigned long long *v = calloc(ncpu, 8);
	unsigned uks = m->key_size - 8;

	if (ukey)
		memcpy(key, ukey, uks);
	memcpy(key + uks, &idx, 8);
	bpf_map_lookup_elem(m->fd, key, v);	/* ENOENT: zeros */
	v[next_cpu++ % ncpu] += n;
	CHECK_INT(bpf_map_update_elem(m->fd, key, v, BPF_ANY), 0);
	free(v);
}

/* @m[ukey] = hist(n) or lhist(n, ...) */
static inline void hist_put(const struct rt_map *m, const void *ukey,
			    long long n)
{
	bucket_add(m, ukey, m->agg == RT_AGG_HIST ?
		   ref_log2(n, m->hist_bits) : ref_linear(n, m), 1);
}

static inline struct rt_map hist_map(const char *name, struct rt_field *keys,
				     unsigned nkeys, unsigned uks)
{
	struct rt_map m = {
		.name = name, .agg = RT_AGG_HIST, .percpu = true,
		.key_size = uks + 8, .value_size = 8, .nkeys = nkeys,
		.keys = keys, .value = { RT_INT, false, 0, 8 },
	};

	m.fd = map_new(BPF_MAP_TYPE_PERCPU_HASH, m.key_size, 8);
	return m;
}

static inline struct rt_map lhist_map(const char *name, struct rt_field *keys,
				      unsigned nkeys, unsigned uks, long long min,
				      long long max, long long step)
{
	struct rt_map m = hist_map(name, keys, nkeys, uks);

	m.agg = RT_AGG_LHIST;
	m.lhist_min = min;
	m.lhist_max = max;
	m.lhist_step = step;
	return m;
}

/* Histogram bars: n '@' padded to bpftrace's 52 columns */
#define BAR0  "                                                    "
#define BAR1  "@                                                   "
#define BAR3  "@@@                                                 "
#define BAR26 "@@@@@@@@@@@@@@@@@@@@@@@@@@                          "
#define BAR30 "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@                      "
#define BAR52 "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@"
_Static_assert(sizeof(BAR0) == 53 && sizeof(BAR1) == 53 &&
	       sizeof(BAR3) == 53 && sizeof(BAR26) == 53 &&
	       sizeof(BAR30) == 53 && sizeof(BAR52) == 53, "bar widths");

static inline bool starts(const char *s, const char *prefix)
{
	return s && !strncmp(s, prefix, strlen(prefix));
}

/* A per-CPU aggregation: an array slot without keys, else a hash. */
static inline struct rt_map agg_map(const char *name, enum rt_agg agg, bool sgn,
				    struct rt_field *keys, unsigned nkeys,
				    unsigned ks)
{
	bool two = agg == RT_AGG_MIN || agg == RT_AGG_MAX ||
		   agg == RT_AGG_AVG || agg == RT_AGG_STATS;
	struct rt_map m = {
		.name = name, .agg = agg, .percpu = true, .array = !nkeys,
		.key_size = nkeys ? ks : 4, .value_size = two ? 16 : 8,
		.nkeys = nkeys, .keys = keys, .value = { RT_INT, sgn, 0, 8 },
	};

	m.fd = map_new(nkeys ? BPF_MAP_TYPE_PERCPU_HASH
			     : BPF_MAP_TYPE_PERCPU_ARRAY,
		       m.key_size, m.value_size);
	return m;
}

/* One update on the next CPU: COUNT and SUM add a; AVG and STATS add
 * a to the total and b to the count; MIN and MAX take a if it beats
 * that CPU's value. */
static inline void agg_add(const struct rt_map *m, const void *key, long long a,
			   long long b)
{
	unsigned words = m->value_size / 8;
	long long *v = calloc(ncpu, m->value_size), *w;
	uint32_t zero = 0;
	bool max = m->agg == RT_AGG_MAX;

	if (!key)
		key = &zero;
	bpf_map_lookup_elem(m->fd, key, v);	/* ENOENT: zeros */
	w = v + (next_cpu++ % ncpu) * words;
	if (m->agg == RT_AGG_MIN || max) {
		if (!w[1] || (max ? a > w[0] : a < w[0]))
			w[0] = a;
		w[1] = 1;
	} else {
		w[0] += a;
		if (words > 1)
			w[1] += b;
	}
	CHECK_INT(bpf_map_update_elem(m->fd, key, v, BPF_ANY), 0);
	free(v);
}

/* A plain map: a hash of 8-byte integers or strings; no key: one slot */
static inline struct rt_map plain_map(const char *name, struct rt_field *keys,
				      unsigned nkeys, unsigned ks,
				      struct rt_field value, unsigned vs)
{
	struct rt_map m = {
		.name = name, .array = !nkeys, .key_size = nkeys ? ks : 4,
		.value_size = vs, .nkeys = nkeys, .keys = keys,
		.value = value,
	};

	m.fd = map_new(BPF_MAP_TYPE_HASH, m.key_size, vs);
	return m;
}

static inline void plain_put(const struct rt_map *m, const void *key,
			     const void *val)
{
	uint32_t zero = 0;

	CHECK_INT(bpf_map_update_elem(m->fd, key ? key : &zero, val,
				      BPF_ANY), 0);
}

static inline bool bpf_usable(const char *name)
{
	int fd;

	ncpu = libbpf_num_possible_cpus();
	if (ncpu < 1) {
		fprintf(stderr, "%s: skipping map tests: cannot "
			"count CPUs: %s\n", name, strerror(-ncpu));
		return false;
	}
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 8, 1, NULL);
	if (fd < 0) {
		fprintf(stderr, "%s: skipping map tests: "
			"bpf_map_create: %s\n", name, strerror(-fd));
		return false;
	}
	close(fd);
	return true;
}

/* Close the maps of the test that just ran. */
static inline void close_maps(void)
{
	while (nfds)
		close(fds[--nfds]);
}

#endif
