/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Printing histograms, stats, print(@m, top, div), clear() and zero()
 * (src/runtime/print.c, hist.c) on real BPF maps filled from user space.
 * The expected text is bpftrace's: its tests/runtime/outputs files and
 * tests/output.cpp where they cover the case, else what its src/output and
 * src/types_format.cpp print (the newest; 0.17 where it agrees). */
#include "unit.h"
#include "json.h"
#include "maps.h"

/* tests/runtime/call "hist" and "hist_2_values", outputs/hist.txt and
 * outputs/hist_2_values.txt. */
static void test_hist_bpftrace(void)
{
	static const long long v[] = { -1, 2, 3, 7, 20 };
	struct rt_map m = hist_map("@", NULL, 0, 0);
	size_t i;

	CHECK_TEXT(&m, "");
	for (i = 0; i < 5; i++)
		hist_put(&m, NULL, v[i]);
	CHECK_TEXT(&m,
		"@:\n"
		"(..., 0)               1 |" BAR26 "|\n"
		"[0]                    0 |" BAR0 "|\n"
		"[1]                    0 |" BAR0 "|\n"
		"[2, 4)                 2 |" BAR52 "|\n"
		"[4, 8)                 1 |" BAR26 "|\n"
		"[8, 16)                0 |" BAR0 "|\n"
		"[16, 32)               1 |" BAR26 "|\n"
		"\n");
	m = hist_map("@", NULL, 0, 0);
	hist_put(&m, NULL, 3);
	hist_put(&m, NULL, 20);
	CHECK_TEXT(&m,
		"@:\n"
		"[2, 4)                 1 |" BAR52 "|\n"
		"[4, 8)                 0 |" BAR0 "|\n"
		"[8, 16)                0 |" BAR0 "|\n"
		"[16, 32)               1 |" BAR52 "|\n"
		"\n");
}

/* tests/runtime/call "lhist": @=lhist(2,0,10,2); 3, 7, -1, 11
 * (outputs/lhist.txt). */
static void test_lhist_bpftrace(void)
{
	static const long long v[] = { 2, 3, 7, -1, 11 };
	struct rt_map m = lhist_map("@", NULL, 0, 0, 0, 10, 2);
	size_t i;

	for (i = 0; i < 5; i++)
		hist_put(&m, NULL, v[i]);
	CHECK_TEXT(&m,
		"@:\n"
		"(..., 0)               1 |" BAR26 "|\n"
		"[0, 2)                 0 |" BAR0 "|\n"
		"[2, 4)                 2 |" BAR52 "|\n"
		"[4, 6)                 0 |" BAR0 "|\n"
		"[6, 8)                 1 |" BAR26 "|\n"
		"[8, 10)                0 |" BAR0 "|\n"
		"[10, ...)              1 |" BAR26 "|\n"
		"\n");
}

/* bpftrace's tests/output.cpp TextOutput lhist_no_suffix, lhist_suffix,
 * lhist_overflow_only and lhist_underflow_only: buckets filled directly. */
static void test_lhist_output_cpp(void)
{
	struct rt_map m = lhist_map("@mymap", NULL, 0, 0, 610000, 670000,
				    10000);
	unsigned i;

	for (i = 1; i <= 6; i++)
		bucket_add(&m, NULL, i, 1);
	CHECK_TEXT(&m,
		"@mymap:\n"
		"[610000, 620000)       1 |" BAR52 "|\n"
		"[620000, 630000)       1 |" BAR52 "|\n"
		"[630000, 640000)       1 |" BAR52 "|\n"
		"[640000, 650000)       1 |" BAR52 "|\n"
		"[650000, 660000)       1 |" BAR52 "|\n"
		"[660000, 670000)       1 |" BAR52 "|\n"
		"\n");
	m = lhist_map("@mymap", NULL, 0, 0, 0, 5 * 1024, 1024);
	for (i = 1; i <= 5; i++)
		bucket_add(&m, NULL, i, 1);
	CHECK_TEXT(&m,
		"@mymap:\n"
		"[0, 1K)                1 |" BAR52 "|\n"
		"[1K, 2K)               1 |" BAR52 "|\n"
		"[2K, 3K)               1 |" BAR52 "|\n"
		"[3K, 4K)               1 |" BAR52 "|\n"
		"[4K, 5K)               1 |" BAR52 "|\n"
		"\n");
	m = lhist_map("@mymap", NULL, 0, 0, 0, 100, 10);
	bucket_add(&m, NULL, 11, 1);
	CHECK_TEXT(&m, "@mymap:\n[100, ...)             1 |" BAR52 "|\n\n");
	m = lhist_map("@mymap", NULL, 0, 0, 10, 110, 10);
	bucket_add(&m, NULL, 0, 1);
	CHECK_TEXT(&m, "@mymap:\n(..., 10)              1 |" BAR52 "|\n\n");
}

/* Labels that bpftrace 0.17 prints the same way as the newest (where the
 * newest differs, the newest: @g's 10G, which 0.17 cuts to 32 bits). */
static void test_hist_labels(void)
{
	struct rt_map m = hist_map("@h", NULL, 0, 0);
	char k[16];

	hist_put(&m, NULL, 5);
	hist_put(&m, NULL, -1);
	hist_put(&m, NULL, 1500);
	CHECK_TEXT(&m,
		"@h:\n"
		"(..., 0)               1 |" BAR52 "|\n"
		"[0]                    0 |" BAR0 "|\n"
		"[1]                    0 |" BAR0 "|\n"
		"[2, 4)                 0 |" BAR0 "|\n"
		"[4, 8)                 1 |" BAR52 "|\n"
		"[8, 16)                0 |" BAR0 "|\n"
		"[16, 32)               0 |" BAR0 "|\n"
		"[32, 64)               0 |" BAR0 "|\n"
		"[64, 128)              0 |" BAR0 "|\n"
		"[128, 256)             0 |" BAR0 "|\n"
		"[256, 512)             0 |" BAR0 "|\n"
		"[512, 1K)              0 |" BAR0 "|\n"
		"[1K, 2K)               1 |" BAR52 "|\n"
		"\n");
	/* @k[1, "a b"] = hist(1 << 20); @k[2, "x"] = hist(3), hist(100) */
	m = hist_map("@k", k_int_str, 2, 16);
	memset(k, 0, sizeof(k));
	k[0] = 1;
	memcpy(k + 8, "a b", 3);
	hist_put(&m, k, 1 << 20);
	memset(k, 0, sizeof(k));
	k[0] = 2;
	k[8] = 'x';
	hist_put(&m, k, 3);
	hist_put(&m, k, 100);
	CHECK_TEXT(&m,
		"@k[1, a b]:\n"
		"[1M, 2M)               1 |" BAR52 "|\n"
		"\n"
		"@k[2, x]:\n"
		"[2, 4)                 1 |" BAR52 "|\n"
		"[4, 8)                 0 |" BAR0 "|\n"
		"[8, 16)                0 |" BAR0 "|\n"
		"[16, 32)               0 |" BAR0 "|\n"
		"[32, 64)               0 |" BAR0 "|\n"
		"[64, 128)              1 |" BAR52 "|\n"
		"\n");
	m = hist_map("@g", NULL, 0, 0);
	hist_put(&m, NULL, 10ll << 30);
	CHECK_TEXT(&m, "@g:\n[8G, 16G)              1 |" BAR52 "|\n\n");
	/* lhist(3, 0, 10, 2) and lhist(30, 0, 10, 2) */
	m = lhist_map("@l", NULL, 0, 0, 0, 10, 2);
	hist_put(&m, NULL, 3);
	hist_put(&m, NULL, 30);
	CHECK_TEXT(&m,
		"@l:\n"
		"[2, 4)                 1 |" BAR52 "|\n"
		"[4, 6)                 0 |" BAR0 "|\n"
		"[6, 8)                 0 |" BAR0 "|\n"
		"[8, 10)                0 |" BAR0 "|\n"
		"[10, ...)              1 |" BAR52 "|\n"
		"\n");
	/* a step that is a multiple of 1024: symbolic bounds */
	m = lhist_map("@m", NULL, 0, 0, 0, 10240, 1024);
	hist_put(&m, NULL, 5000);
	hist_put(&m, NULL, -1);
	CHECK_TEXT(&m,
		"@m:\n"
		"(..., 0)               1 |" BAR52 "|\n"
		"[0, 1K)                0 |" BAR0 "|\n"
		"[1K, 2K)               0 |" BAR0 "|\n"
		"[2K, 3K)               0 |" BAR0 "|\n"
		"[3K, 4K)               0 |" BAR0 "|\n"
		"[4K, 5K)               1 |" BAR52 "|\n"
		"\n");
	/* (max - min) not a multiple of step: the last bucket starts at
	 * min + k * step, not at max; 2049K = 1024 + 2M */
	m = lhist_map("@p", NULL, 0, 0, 1024, 4194304, 2097152);
	hist_put(&m, NULL, 3000000);
	CHECK_TEXT(&m, "@p:\n[2049K, ...)           1 |" BAR52 "|\n\n");
}

/* The newest bpftrace prints a bucket that holds one value as [n] in
 * lhist too (two adjacent integer bounds, src/output/text.cpp
 * single_value); 0.17 printed [1, 2). */
static void test_lhist_step1(void)
{
	struct rt_map m = lhist_map("@n", NULL, 0, 0, 0, 5, 1);

	hist_put(&m, NULL, 3);
	hist_put(&m, NULL, 4);
	hist_put(&m, NULL, 1);
	CHECK_TEXT(&m,
		"@n:\n"
		"[1]                    1 |" BAR52 "|\n"
		"[2]                    0 |" BAR0 "|\n"
		"[3]                    1 |" BAR52 "|\n"
		"[4]                    1 |" BAR52 "|\n"
		"\n");
}

/* hist(n, k): 2^k buckets per power of 2; single values up to 2 << k,
 * and the suffix follows the power of 1024 in the sub-bucket size. */
static void test_hist_bits(void)
{
	struct rt_map m = hist_map("@", NULL, 0, 0);
	int i, err;
	char *out;

	m.hist_bits = 3;
	for (i = 0; i < 1024; i++)
		hist_put(&m, NULL, i);
	out = capture(NULL, &m, false, false, 0, 0, &err);
	CHECK_INT(err, 0);
	CHECK(starts(out, "@:\n[0]                    1 |" BAR0 "|\n"));
	CHECK(out && strstr(out, "[15]                   1 |" BAR0 "|\n"
			    "[16, 18)               2 |" BAR1 "|\n"));
	CHECK(out && strstr(out, "[896, 960)            64 |" BAR52 "|\n"
			    "[960, 1024)           64 |" BAR52 "|\n\n"));
	free(out);
	m = hist_map("@", NULL, 0, 0);
	m.hist_bits = 1;
	for (i = 0; i < 6; i++)
		hist_put(&m, NULL, i);
	CHECK_TEXT(&m,
		"@:\n"
		"[0]                    1 |" BAR26 "|\n"
		"[1]                    1 |" BAR26 "|\n"
		"[2]                    1 |" BAR26 "|\n"
		"[3]                    1 |" BAR26 "|\n"
		"[4, 6)                 2 |" BAR52 "|\n"
		"\n");
	m = hist_map("@", NULL, 0, 0);
	m.hist_bits = 2;
	hist_put(&m, NULL, 5000);
	hist_put(&m, NULL, 1 << 22);
	out = capture(NULL, &m, false, false, 0, 0, &err);
	CHECK_INT(err, 0);
	CHECK(starts(out, "@:\n[4K, 5K)               1 |" BAR52 "|\n"));
	CHECK(out && strstr(out, "[7K, 8K)               0 |" BAR0 "|\n"
			    "[8K, 10K)              0 |" BAR0 "|\n"));
	CHECK(out && strstr(out, "[3584K, 4M)            0 |" BAR0 "|\n"
			    "[4M, 5M)               1 |" BAR52 "|\n\n"));
	free(out);
}

/* The bar is count / max * 52 in float, truncated: 15 of 26 is 30 bars
 * (in double, 29), 50405815 of 873700812 is 3 (exactly, 2). */
static void test_hist_bars(void)
{
	struct rt_map m = hist_map("@", NULL, 0, 0);

	bucket_add(&m, NULL, 3, 15);
	bucket_add(&m, NULL, 4, 26);
	CHECK_TEXT(&m,
		"@:\n"
		"[2, 4)                15 |" BAR30 "|\n"
		"[4, 8)                26 |" BAR52 "|\n"
		"\n");
	m = hist_map("@", NULL, 0, 0);
	bucket_add(&m, NULL, 3, 50405815);
	bucket_add(&m, NULL, 4, 873700812);
	CHECK_TEXT(&m,
		"@:\n"
		"[2, 4)          50405815 |" BAR3 "|\n"
		"[4, 8)          873700812 |" BAR52 "|\n"
		"\n");
}

/* tests/runtime/json-output print_hist_with_top_arg and
 * print_hist_with_large_top_arg, call print_hist_with_top_arg: the top
 * histograms by total count; div divides hist counts (the rows shown
 * stay those with counts before dividing) but not lhist's. */
static void test_hist_top_div(void)
{
	struct rt_map m = hist_map("@", &k_int, 1, 8);
	long long k;

	for (k = 1; k <= 3; k++)
		hist_put(&m, &k, 10 * k);
	CHECK_PRINT_JSON(&m, 2, 0,
		"{\"type\": \"hist\", \"data\": {\"@\": {\"2\": [{\"min\": 16, "
		"\"max\": 31, \"count\": 1}], \"3\": [{\"min\": 16, \"max\": 31, "
		"\"count\": 1}]}}}\n");
	CHECK_PRINT_JSON(&m, 10, 0,
		"{\"type\": \"hist\", \"data\": {\"@\": {\"1\": [{\"min\": 8, "
		"\"max\": 15, \"count\": 1}], \"2\": [{\"min\": 16, \"max\": 31, "
		"\"count\": 1}], \"3\": [{\"min\": 16, \"max\": 31, \"count\": "
		"1}]}}}\n");
	CHECK_PRINT(&m, 2, 0,
		"@[2]:\n[16, 32)               1 |" BAR52 "|\n\n"
		"@[3]:\n[16, 32)               1 |" BAR52 "|\n\n");
	m = hist_map("@", NULL, 0, 0);
	bucket_add(&m, NULL, 3, 25);
	bucket_add(&m, NULL, 5, 5);
	bucket_add(&m, NULL, 6, 10);
	CHECK_PRINT(&m, 0, 10,
		"@:\n"
		"[2, 4)                 2 |" BAR52 "|\n"
		"[4, 8)                 0 |" BAR0 "|\n"
		"[8, 16)                0 |" BAR0 "|\n"
		"[16, 32)               1 |" BAR26 "|\n"
		"\n");
	m = lhist_map("@", NULL, 0, 0, 0, 10, 2);
	bucket_add(&m, NULL, 2, 25);
	CHECK_PRINT(&m, 1, 10, "@:\n[2, 4)                25 |" BAR52 "|\n\n");
}

/* Histograms sort by total count; equal totals keep bpftrace's order,
 * the key's bytes (its std::map), so 256 (00 01 ...) precedes 1. */
static void test_hist_order(void)
{
	struct rt_map m = hist_map("@", &k_int, 1, 8);
	long long k;

	k = 7;
	hist_put(&m, &k, 1);
	hist_put(&m, &k, 1);
	k = 1;
	hist_put(&m, &k, 1);
	k = 256;
	hist_put(&m, &k, 1);
	CHECK_TEXT(&m,
		"@[256]:\n[1]                    1 |" BAR52 "|\n\n"
		"@[1]:\n[1]                    1 |" BAR52 "|\n\n"
		"@[7]:\n[1]                    2 |" BAR52 "|\n\n");
}

static const char stats_json[] =
		"{\"type\": \"stats\", \"data\": {\"@stats\": {\"count\": 2, "
		"\"average\": 6, \"total\": 12}}}\n";
static const char stats_multiple_json[] =
		"{\"type\": \"stats\", \"data\": {\"@stats\": {\"curl\": {\"c"
		"ount\": 1, \"average\": 2, \"total\": 2}, \"zsh\": {\"count"
		"\": 1, \"average\": 10, \"total\": 10}}}}\n";

/* tests/runtime/call "stats", signed_ints "stats with negative values",
 * json-output "stats" and "multiple stats", call
 * print_empty_scalar_stats_map. */
static void test_stats(void)
{
	struct rt_map m = agg_map("@stats", RT_AGG_STATS, true, NULL, 0, 0);
	char k[8];
	int i;

	for (i = 1; i <= 3; i++)
		agg_add(&m, NULL, i, 1);
	CHECK_TEXT(&m, "@stats: { .count = 3, .average = 2, .total = 6 }\n");
	m = agg_map("@", RT_AGG_STATS, true, NULL, 0, 0);
	CHECK_TEXT(&m, "");
	CHECK_PRINT(&m, 0, 0, "@: { .count = 0, .average = 0, .total = 0 }\n");
	CHECK_PRINT_JSON(&m, 0, 0, "{\"type\": \"stats\", \"data\": {\"@\": "
			 "{\"count\": 0, \"average\": 0, \"total\": 0}}}\n");
	agg_add(&m, NULL, -10, 1);
	agg_add(&m, NULL, -5, 1);
	agg_add(&m, NULL, 5, 1);
	CHECK_TEXT(&m, "@: { .count = 3, .average = -3, .total = -10 }\n");
	m = agg_map("@stats", RT_AGG_STATS, true, NULL, 0, 0);
	agg_add(&m, NULL, 2, 1);
	agg_add(&m, NULL, 10, 1);
	CHECK_JSON(&m, stats_json);
	/* print(@, 0, 4) divides the average only */
	CHECK_PRINT(&m, 0, 4, "@stats: { .count = 2, .average = 1, "
		    ".total = 12 }\n");
	m = agg_map("@stats", RT_AGG_STATS, true, &k_str8, 1, 8);
	agg_add(&m, skey(k, 8, "zsh"), 10, 1);
	agg_add(&m, skey(k, 8, "curl"), 2, 1);
	CHECK_JSON(&m, stats_multiple_json);
	CHECK_TEXT(&m,
		"@stats[curl]: { .count = 1, .average = 2, .total = 2 }\n"
		"@stats[zsh]: { .count = 1, .average = 10, .total = 10 }\n");
}

/* tests/runtime/call print_avg_map_args and print_avg_map_with_large_top
 * (outputs/print_avg_map_args.txt, ..._with_large_top.txt), and their
 * json-output twins: AVG is a "stats" object in JSON. */
static void test_avg_top_div(void)
{
	struct rt_map m = agg_map("@", RT_AGG_AVG, true, &k_str8, 1, 8);
	char k[8] = "a";

	for (k[0] = 'a'; k[0] <= 'd'; k[0]++)
		agg_add(&m, k, 10 * (k[0] - 'a' + 1), 1);
	CHECK_PRINT(&m, 2, 10, "@[c]: 3\n@[d]: 4\n");
	CHECK_PRINT(&m, 10, 10, "@[a]: 1\n@[b]: 2\n@[c]: 3\n@[d]: 4\n");
	CHECK_PRINT_JSON(&m, 2, 10, "{\"type\": \"stats\", \"data\": {\"@\": "
			 "{\"c\": 3, \"d\": 4}}}\n");
	CHECK_PRINT_JSON(&m, 10, 10, "{\"type\": \"stats\", \"data\": {\"@\": "
			 "{\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 4}}}\n");
	m = agg_map("@a", RT_AGG_AVG, true, NULL, 0, 0);
	agg_add(&m, NULL, -30, 1);
	agg_add(&m, NULL, -10, 1);
	CHECK_TEXT(&m, "@a: -20\n");	/* signed_ints "avg with negative" */
	CHECK_PRINT(&m, 0, 3, "@a: -6\n");
}

/* print(@m, top, div) on counts, sums, minimums: div truncates toward
 * zero in the value's signedness, as bpftrace's C++ does. */
static void test_values_top_div(void)
{
	struct rt_map m = agg_map("@c", RT_AGG_COUNT, false, &k_int, 1, 8);
	long long k;
	char s[8];

	for (k = 1; k <= 4; k++)
		agg_add(&m, &k, 10 * k - 5, 0);
	CHECK_PRINT(&m, 2, 10, "@c[3]: 2\n@c[4]: 3\n");
	CHECK_PRINT(&m, 0, 1, "@c[1]: 5\n@c[2]: 15\n@c[3]: 25\n@c[4]: 35\n");
	CHECK_PRINT(&m, 1, 0, "@c[4]: 35\n");
	m = agg_map("@s", RT_AGG_SUM, true, &k_str8, 1, 8);
	agg_add(&m, skey(s, 8, "a"), -25, 0);
	agg_add(&m, skey(s, 8, "b"), 7, 0);
	CHECK_PRINT(&m, 0, 10, "@s[a]: -2\n@s[b]: 0\n");
	m = agg_map("@", RT_AGG_MIN, true, NULL, 0, 0);
	agg_add(&m, NULL, -25, 0);
	agg_add(&m, NULL, 3, 0);
	CHECK_PRINT(&m, 0, 10, "@: -2\n");
}

/* print(@x) on a scalar nobody set prints its zero value (call
 * print_empty_scalar_map); at exit it prints nothing. A keyed map or a
 * histogram with no entry prints nothing either way. */
static void test_print_empty(void)
{
	struct rt_map m = agg_map("@", RT_AGG_COUNT, false, NULL, 0, 0);
	struct rt_map x = {
		.name = "@x", .array = true, .key_size = 4, .value_size = 8,
		.value = { RT_INT, true, 0, 8 },
	};
	uint32_t zero = 0;
	long long one = 1;

	CHECK_TEXT(&m, "");
	CHECK_PRINT(&m, 0, 0, "@: 0\n");
	CHECK_PRINT_JSON(&m, 0, 0, "{\"type\": \"map\", \"data\": {\"@\": 0}}\n");
	/* a plain scalar is a one-slot hash */
	x.fd = map_new(BPF_MAP_TYPE_HASH, 4, 8);
	CHECK_TEXT(&x, "");
	CHECK_PRINT(&x, 0, 0, "@x: 0\n");
	CHECK_INT(bpf_map_update_elem(x.fd, &zero, &one, BPF_ANY), 0);
	CHECK_PRINT(&x, 0, 0, "@x: 1\n");
	x.name = "@s";
	x.value_size = 16;
	x.value = (struct rt_field){ RT_STR, false, 0, 16 };
	x.fd = map_new(BPF_MAP_TYPE_HASH, 4, 16);
	CHECK_PRINT(&x, 0, 0, "@s: \n");
	CHECK_PRINT_JSON(&x, 0, 0,
			 "{\"type\": \"map\", \"data\": {\"@s\": \"\"}}\n");
	m = agg_map("@a", RT_AGG_AVG, false, NULL, 0, 0);
	CHECK_PRINT_JSON(&m, 0, 0,
			 "{\"type\": \"stats\", \"data\": {\"@a\": 0}}\n");
	m = agg_map("@k", RT_AGG_COUNT, false, &k_int, 1, 8);
	CHECK_PRINT(&m, 0, 0, "");
	CHECK_PRINT_JSON(&m, 0, 0, "");
	m = hist_map("@h", NULL, 0, 0);
	CHECK_PRINT(&m, 0, 0, "");
	CHECK_PRINT_JSON(&m, 0, 0, "");
}

/* ---- clear() and zero() ---- */

static void check_percpu_zero(const struct rt_map *m, const void *key)
{
	long long *v = calloc(ncpu, m->value_size);
	int c, nonzero = 0;

	CHECK_INT(bpf_map_lookup_elem(m->fd, key, v), 0);
	for (c = 0; c < ncpu * (int)m->value_size / 8; c++)
		nonzero += v[c] != 0;
	CHECK_INT(nonzero, 0);
	free(v);
}

static const char hist_zero_json[] =
		"{\"type\": \"hist\", \"data\": {\"@hist\": []}}\n";
static const char lhist_zero_json[] =
		"{\"type\": \"hist\", \"data\": {\"@h\": []}}\n";

/* tests/runtime/basic "clear count-map", other "stats can be cleared",
 * json-output "histogram zero" and "linear histogram zero". */
static void test_clear_zero(void)
{
	struct rt_field v_int = { RT_INT, true, 0, 8 };
	struct rt_map maps[2] = {
		agg_map("@", RT_AGG_COUNT, false, NULL, 0, 0),
		agg_map("@a", RT_AGG_COUNT, false, &k_int, 1, 8),
	};
	struct rt_plan plan = { .maps = maps, .nmaps = 2 };
	struct rt_printer p = { .plan = &plan };
	struct rt_map m;
	long long k = 1;
	char *buf = NULL;
	size_t n = 0;

	agg_add(&maps[0], NULL, 1, 0);
	agg_add(&maps[1], &k, 1, 0);
	CHECK_INT(rt_map_clear(&maps[0]), 0);
	CHECK_INT(rt_map_clear(&maps[1]), 0);
	p.out = open_memstream(&buf, &n);
	CHECK_INT(rt_print_maps(&p), 0);
	fclose(p.out);
	CHECK_STR(buf, "\n\n");
	free(buf);
	CHECK_PRINT(&maps[0], 0, 0, "@: 0\n");
	CHECK_INT(rt_map_clear(&maps[1]), 0);	/* empty: nothing to do */
	/* zero() keeps the keys, every CPU's value 0 */
	agg_add(&maps[1], &k, 3, 0);
	k = 2;
	agg_add(&maps[1], &k, 1, 0);
	agg_add(&maps[0], NULL, 4, 0);
	CHECK_INT(rt_map_zero(&maps[1]), 0);
	CHECK_INT(rt_map_zero(&maps[0]), 0);
	CHECK_TEXT(&maps[1], "@a[1]: 0\n@a[2]: 0\n");
	check_percpu_zero(&maps[1], &k);
	CHECK_PRINT(&maps[0], 0, 0, "@: 0\n");
	/* a plain scalar, a one-slot hash: clear() deletes it */
	m = plain_map("@x", NULL, 0, 0, v_int, 8);
	plain_put(&m, NULL, &k);
	CHECK_INT(rt_map_zero(&m), 0);
	CHECK_TEXT(&m, "@x: 0\n");
	CHECK_INT(rt_map_clear(&m), 0);
	CHECK_TEXT(&m, "");
	CHECK_INT(rt_map_clear(&m), 0);
	/* a scalar aggregation in a one-slot hash, as bpftrace keeps them:
	 * zero() keeps the slot, which then prints 0 at exit */
	m = agg_map("@n", RT_AGG_COUNT, false, NULL, 0, 0);
	m.fd = map_new(BPF_MAP_TYPE_PERCPU_HASH, 4, 8);
	CHECK_TEXT(&m, "");
	agg_add(&m, NULL, 5, 0);
	CHECK_INT(rt_map_zero(&m), 0);
	CHECK_TEXT(&m, "@n: 0\n");
	CHECK_INT(rt_map_clear(&m), 0);
	CHECK_TEXT(&m, "");
	CHECK_PRINT(&m, 0, 0, "@n: 0\n");
	m = agg_map("@", RT_AGG_STATS, false, &k_int, 1, 8);
	agg_add(&m, &k, 1, 1);
	CHECK_INT(rt_map_clear(&m), 0);
	CHECK_TEXT(&m, "");
	m = agg_map("@m", RT_AGG_MIN, true, &k_int, 1, 8);
	agg_add(&m, &k, -4, 0);
	CHECK_INT(rt_map_zero(&m), 0);
	CHECK_TEXT(&m, "@m[2]: 0\n");
	/* histograms: zero() empties every bucket, the key stays */
	m = hist_map("@hist", NULL, 0, 0);
	hist_put(&m, NULL, 2);
	CHECK_INT(rt_map_zero(&m), 0);
	CHECK_JSON(&m, hist_zero_json);
	CHECK_TEXT(&m, "@hist:\n\n");
	CHECK_INT(rt_map_clear(&m), 0);
	CHECK_TEXT(&m, "");
	m = lhist_map("@h", NULL, 0, 0, 0, 100, 10);
	hist_put(&m, NULL, 2);
	CHECK_INT(rt_map_zero(&m), 0);
	CHECK_JSON(&m, lhist_zero_json);
	m = hist_map("@h", &k_int, 1, 8);
	hist_put(&m, &k, 2);
	CHECK_INT(rt_map_zero(&m), 0);
	CHECK_TEXT(&m, "@h[2]:\n\n");
	m.fd = 1000;
	CHECK_INT(rt_map_clear(&m), -EBADF);
	CHECK_INT(rt_map_zero(&m), -EBADF);
}

/* Histogram descriptors that would read wrong are refused. */
static void test_hist_errors(void)
{
	struct rt_map m = hist_map("@", &k_int, 1, 8);
	int err;
	char *out;

	m.hist_bits = 6;
	out = capture(NULL, &m, false, false, 0, 0, &err);
	CHECK_INT(err, -EINVAL);
	free(out);
	m = lhist_map("@", NULL, 0, 0, 0, 10, 0);
	out = capture(NULL, &m, false, false, 0, 0, &err);
	CHECK_INT(err, -EINVAL);
	free(out);
	m = lhist_map("@", NULL, 0, 0, 10, 0, 1);
	out = capture(NULL, &m, false, false, 0, 0, &err);
	CHECK_INT(err, -EINVAL);
	free(out);
	m = hist_map("@", &k_int, 1, 0);	/* the key field overlaps */
	out = capture(NULL, &m, true, true, 0, 0, &err);
	CHECK_INT(err, -EINVAL);
	CHECK_STR(out, "");
	free(out);
}

int main(void)
{
	static void (*const tests[])(void) = {
		test_hist_bpftrace, test_lhist_bpftrace,
		test_lhist_output_cpp, test_hist_labels, test_lhist_step1,
		test_hist_bits, test_hist_bars, test_hist_top_div,
		test_hist_order, test_stats, test_avg_top_div,
		test_values_top_div, test_print_empty, test_clear_zero,
		test_hist_errors,
	};
	unsigned i;

	if (!bpf_usable("test-print"))
		return 77;
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		tests[i]();
		close_maps();
	}
	return unit_done("test-print");
}
