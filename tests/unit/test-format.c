/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tests for printf formats (src/stdlib/format.c) and for printing maps and
 * printf records (src/runtime/record.c), the maps being real BPF maps
 * filled from user space and expected to print as bpftrace prints them. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "stdlib/format.h"
#include "runtime/runtime.h"
#include "unit.h"

/* ---- fmt_parse ---- */

static void test_parse_ok(void)
{
	const char *s = "a%db%%c %-08.3lx %s\n";
	struct fmt f;
	char err[128] = "";
	unsigned off = 99;

	CHECK_INT(fmt_parse(s, strlen(s), &f, err, sizeof(err), &off), 0);
	CHECK_INT(f.nspecs, 7);
	CHECK_INT(f.nargs, 3);
	if (f.nspecs != 7)
		return;
	CHECK_INT(f.specs[0].conv, FMT_LITERAL);
	CHECK_STR(f.specs[0].text, "a");
	CHECK_INT(f.specs[1].conv, FMT_INT);
	CHECK_INT(f.specs[1].begin, 1);
	CHECK_INT(f.specs[1].end, 3);
	CHECK_INT(f.specs[1].width, -1);
	CHECK_INT(f.specs[1].precision, -1);
	CHECK_STR(f.specs[2].text, "b%c ");
	CHECK_INT(f.specs[2].len, 4);
	CHECK_INT(f.specs[3].conv, FMT_HEX);
	CHECK(f.specs[3].left && f.specs[3].zero);
	CHECK(!f.specs[3].plus && !f.specs[3].space && !f.specs[3].alt);
	CHECK_INT(f.specs[3].width, 8);
	CHECK_INT(f.specs[3].precision, 3);
	CHECK_INT(f.specs[3].length, 'l');
	CHECK_INT(f.specs[3].begin, 8);
	CHECK_INT(f.specs[3].end, 16);
	CHECK_INT(f.specs[5].conv, FMT_STR);
	CHECK_STR(f.specs[6].text, "\n");
	fmt_free(&f);
	CHECK(f.specs == NULL && f.nspecs == 0);
}

static void test_parse_kinds(void)
{
	static const struct { const char *s; enum fmt_conv conv; int len; }
	cases[] = {
		{ "%d", FMT_INT, 0 }, { "%i", FMT_INT, 0 },
		{ "%u", FMT_UINT, 0 }, { "%x", FMT_HEX, 0 },
		{ "%X", FMT_HEX_UPPER, 0 }, { "%o", FMT_OCT, 0 },
		{ "%s", FMT_STR, 0 }, { "%c", FMT_CHAR, 0 },
		{ "%p", FMT_PTR, 0 }, { "%hd", FMT_INT, 'h' },
		{ "%hhu", FMT_UINT, 'H' }, { "%ld", FMT_INT, 'l' },
		{ "%llx", FMT_HEX, 'L' }, { "%zu", FMT_UINT, 'z' },
		{ "%jd", FMT_INT, 'j' }, { "%+ #0-5.2jo", FMT_OCT, 'j' },
	};
	struct fmt f;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *s = cases[i].s;

		CHECK_INT(fmt_parse(s, strlen(s), &f, NULL, 0, NULL), 0);
		CHECK_INT(f.nspecs, 1);
		CHECK_INT(f.specs[0].conv, cases[i].conv);
		CHECK_INT(f.specs[0].length, cases[i].len);
		CHECK_INT(f.specs[0].end, strlen(s));
		fmt_free(&f);
	}
	CHECK_INT(fmt_parse("%.d", 3, &f, NULL, 0, NULL), 0);
	CHECK_INT(f.specs[0].precision, 0);
	fmt_free(&f);
	/* a NUL byte is literal text like any other */
	CHECK_INT(fmt_parse("a\0b%d", 5, &f, NULL, 0, NULL), 0);
	CHECK_INT(f.specs[0].len, 3);
	CHECK(!memcmp(f.specs[0].text, "a\0b", 4));
	fmt_free(&f);
	CHECK_INT(fmt_parse("", 0, &f, NULL, 0, NULL), 0);
	CHECK_INT(f.nspecs, 0);
	fmt_free(&f);
}

static void test_parse_errors(void)
{
	static const struct { const char *s; const char *msg; unsigned off; }
	cases[] = {
		{ "%q", "invalid conversion '%q'", 1 },
		{ "ab %-5q", "invalid conversion '%-5q'", 6 },
		{ "%f", "invalid conversion '%f'", 1 },
		{ "%n", "invalid conversion '%n'", 1 },
		{ "%-%", "invalid conversion '%-%'", 2 },
		{ "%lld %lhd", "invalid conversion '%lh'", 7 },
		{ "%lll", "invalid conversion '%lll'", 3 },
		{ "x%\n", "invalid conversion '%\\n'", 2 },
		{ "%\x01", "invalid conversion '%\\x01'", 1 },
		{ "100%", "incomplete conversion '%' at end of format", 3 },
		{ "%d %-08.3l",
		  "incomplete conversion '%-08.3l' at end of format", 3 },
		{ "%*d", "width '*' is not supported", 1 },
		{ "%-.*d", "precision '*' is not supported", 3 },
		{ "%65536d", "width too large (at most 65535)", 1 },
		{ "%.99999999999999999999d",
		  "precision too large (at most 65535)", 2 },
		{ "%ls", "length modifier not allowed in '%ls'", 2 },
		{ "%hhc", "length modifier not allowed in '%hhc'", 3 },
		{ "%zp", "length modifier not allowed in '%zp'", 2 },
	};
	struct fmt f;
	char err[128];
	unsigned off;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *s = cases[i].s;

		err[0] = 0;
		off = 12345;
		CHECK_INT(fmt_parse(s, strlen(s), &f, err, sizeof(err), &off),
			  -1);
		CHECK_STR(err, cases[i].msg);
		CHECK_INT(off, cases[i].off);
		CHECK(f.specs == NULL && f.nspecs == 0 && f.nargs == 0);
	}
	/* no room for the message: still fails cleanly */
	CHECK_INT(fmt_parse("%q", 2, &f, NULL, 0, NULL), -1);
	CHECK_INT(fmt_parse("%q", 2, &f, err, 4, &off), -1);
	CHECK_STR(err, "inv");
}

/* ---- fmt_print ---- */

/* Parse and print into a string (malloc'd); NULL if the parse failed. */
static char *fmt_run(const char *s, const struct fmt_arg *args)
{
	struct fmt f;
	char *buf = NULL;
	size_t n = 0;
	FILE *out;

	if (fmt_parse(s, strlen(s), &f, NULL, 0, NULL))
		return NULL;
	out = open_memstream(&buf, &n);
	fmt_print(out, &f, args);
	fclose(out);
	fmt_free(&f);
	return buf;
}

static struct fmt_arg int_arg(unsigned long long u, bool is_signed)
{
	struct fmt_arg a = { .kind = FMT_ARG_INT, .u = u,
			     .is_signed = is_signed };
	return a;
}

static struct fmt_arg str_arg(const char *s, size_t slen)
{
	struct fmt_arg a = { .kind = FMT_ARG_STR, .s = s, .slen = slen };
	return a;
}

static void check_print(int line, const char *s, struct fmt_arg a,
			const char *want)
{
	char *got = fmt_run(s, &a);

	unit_checks++;
	if (!got || strcmp(got, want)) {
		unit_failures++;
		fprintf(stderr, "%s:%d: format \"%s\": got \"%s\", want "
			"\"%s\"\n", __FILE__, line, s, got ? got : "(null)",
			want);
	}
	free(got);
}

/* What C's snprintf prints for the conversion, the value passed at the
 * type its length modifier names. */
static void c_expect(char *buf, size_t n, const char *f, const char *len,
		     char conv, unsigned long long v)
{
	bool sgn = conv == 'd' || conv == 'i';

	if (!strcmp(len, "hh") || !strcmp(len, "h") || !*len)
		snprintf(buf, n, f, sgn ? (int)v : (int)(unsigned)v);
	else if (!strcmp(len, "l") || !strcmp(len, "z"))
		snprintf(buf, n, f, (long)v);
	else
		snprintf(buf, n, f, (long long)v);
}

/* One flag set, width, precision and length modifier: every integer
 * conversion on awkward values, against the C library. */
static void check_c_int(const char *flags, const char *width,
			const char *prec, const char *len)
{
	static const unsigned long long vals[] = {
		0, 1, (unsigned long long)-1, 42, (unsigned long long)-12345,
		(1ULL << 40) + 7, 1ULL << 63, 0x7fffffffffffffffULL, 255, 65537,
	};
	static const char convs[] = "diuxXo";
	char f[64], want[128];
	size_t c, v;

	for (c = 0; convs[c]; c++) {
		snprintf(f, sizeof(f), "[%%%s%s%s%s%c]", flags, width, prec,
			 len, convs[c]);
		for (v = 0; v < sizeof(vals) / sizeof(*vals); v++) {
			c_expect(want, sizeof(want), f, len, convs[c],
				 vals[v]);
			check_print(__LINE__, f, int_arg(vals[v], true), want);
		}
	}
}

static void test_print_int_matrix(void)
{
	static const char *const flags[] = {
		"", "-", "0", "+", " ", "#", "-+", "0#", "- #", "+0",
	};
	static const char *const widths[] = { "", "1", "8", "25" };
	static const char *const precs[] = { "", ".", ".0", ".3", ".22" };
	static const char *const lens[] = { "", "h", "hh", "l", "ll", "z",
					    "j" };
	size_t fl, w, p, l;

	for (fl = 0; fl < sizeof(flags) / sizeof(*flags); fl++)
		for (w = 0; w < sizeof(widths) / sizeof(*widths); w++)
			for (p = 0; p < sizeof(precs) / sizeof(*precs); p++)
				for (l = 0; l < sizeof(lens) / sizeof(*lens);
				     l++)
					check_c_int(flags[fl], widths[w],
						    precs[p], lens[l]);
}

#define CHECK_PRINT(s, arg, want) check_print(__LINE__, s, arg, want)

static void test_print_str(void)
{
	const char *abc = "abcdef";	/* only the first 3 bytes are ours */
	char want[64];

	CHECK_PRINT("%s", str_arg(abc, 3), "abc");
	CHECK_PRINT("[%5s]", str_arg(abc, 3), "[  abc]");
	CHECK_PRINT("[%-5s]", str_arg(abc, 3), "[abc  ]");
	CHECK_PRINT("[%.2s]", str_arg(abc, 3), "[ab]");
	CHECK_PRINT("[%-5.2s]", str_arg(abc, 3), "[ab   ]");
	CHECK_PRINT("[%.9s]", str_arg(abc, 3), "[abc]");
	CHECK_PRINT("[%1s]", str_arg(abc, 3), "[abc]");
	CHECK_PRINT("[%s]", str_arg("a\0bc", 4), "[a]");
	CHECK_PRINT("[%s]", str_arg(NULL, 0), "[]");
	snprintf(want, sizeof(want), "[%8.4s|%-8s]", "abcdef", "xy");
	{
		struct fmt_arg two[] = { str_arg(abc, 6), str_arg("xy", 9) };
		char *got = fmt_run("[%8.4s|%-8s]", two);

		CHECK_STR(got, want);
		free(got);
	}
}

static void test_print_char_ptr(void)
{
	char want[64];

	CHECK_PRINT("%c", int_arg('A', true), "A");
	CHECK_PRINT("[%3c]", int_arg('A', true), "[  A]");
	CHECK_PRINT("[%-3c]", int_arg('A', true), "[A  ]");
	CHECK_PRINT("%c", int_arg(0x142, true), "B");	/* unsigned char */
	CHECK_PRINT("%p", int_arg(4096, false), "0x1000");
	CHECK_PRINT("%p", int_arg(0, false), "0x0");
	CHECK_PRINT("%p", int_arg(0xffffffff81000000ULL, false),
		    "0xffffffff81000000");
	CHECK_PRINT("[%10p]", int_arg(4096, false), "[    0x1000]");
	CHECK_PRINT("[%-10p]", int_arg(4096, false), "[0x1000    ]");
	CHECK_PRINT("[%010p]", int_arg(4096, false), "[0x00001000]");
	CHECK_PRINT("[%.6p]", int_arg(4096, false), "[0x001000]");
	CHECK_PRINT("[%3p]", int_arg(4096, false), "[0x1000]");
	/* a nonzero pointer is C's "%#llx" */
	snprintf(want, sizeof(want), "[%#018llx]", 0xdeadbeefULL);
	CHECK_PRINT("[%018p]", int_arg(0xdeadbeef, false), want);
}

/* Mismatches that sema rejects must still print something sensible. */
static void test_print_mismatch(void)
{
	struct fmt_arg three[] = { int_arg(1, false), int_arg(2, false),
				   int_arg(3, false) };
	char *got;

	CHECK_PRINT("[%d]", str_arg("abc", 3), "[abc]");
	CHECK_PRINT("[%5x]", str_arg("abc", 3), "[  abc]");
	CHECK_PRINT("[%s]", int_arg(-5, true), "[-5]");
	CHECK_PRINT("[%s]", int_arg(-5, false), "[18446744073709551611]");
	CHECK_PRINT("[%5s]", int_arg(42, true), "[   42]");
	CHECK_PRINT("[%c]", str_arg("xyz", 3), "[xyz]");
	CHECK_PRINT("[%p]", str_arg("xyz", 3), "[xyz]");
	CHECK_PRINT("100%% sure\\", int_arg(0, false), "100% sure\\");
	got = fmt_run("%d-%d-%d", NULL);
	CHECK_STR(got, "0-0-0");
	free(got);
	got = fmt_run("%u.%u.%u!", three);
	CHECK_STR(got, "1.2.3!");
	free(got);
}

/* ---- rt_print_event ---- */

static char *print_event(const struct rt_plan *plan, const struct rt_event *ev,
			 const void *data, size_t size)
{
	struct rt_printer p = { .plan = plan };
	char *buf = NULL;
	size_t n = 0;

	p.out = open_memstream(&buf, &n);
	rt_print_event(&p, ev, data, size);
	fclose(p.out);
	return buf;
}

static void test_event(void)
{
	static const char *names[] = {
		"BEGIN", "tracepoint:sched:sched_switch",
	};
	static const char *fmt = "%d %d %u %s|%s %s %x %d\n";
	struct rt_plan plan = { .probe_names = names, .nprobe_names = 2 };
	struct rt_field args[] = {
		{ RT_INT, true, 8, 1 }, { RT_INT, true, 10, 2 },
		{ RT_INT, false, 12, 4 }, { RT_STR, false, 16, 8 },
		{ RT_STR, false, 24, 8 }, { RT_PROBE, false, 32, 8 },
		{ RT_INT, false, 40, 8 }, { RT_INT, true, 48, 8 },
	};
	struct rt_event ev = { .kind = RT_EV_PRINTF, .nargs = 8, .args = args,
			       .size = 56 };
	unsigned char rec[56] = { 0 };
	int8_t s8 = -3;
	int16_t s16 = -300;
	uint32_t u32 = 4000000000u;
	uint64_t id = 1, x = 0xbeef, neg = (uint64_t)-77;
	char *got;

	CHECK_INT(fmt_parse(fmt, strlen(fmt), &ev.fmt, NULL, 0, NULL), 0);
	memcpy(rec + 8, &s8, 1);
	memcpy(rec + 10, &s16, 2);
	memcpy(rec + 12, &u32, 4);
	memcpy(rec + 16, "abcdefgh", 8);	/* full: cut, gets ".." */
	memcpy(rec + 24, "hi", 3);
	memcpy(rec + 32, &id, 8);
	memcpy(rec + 40, &x, 8);
	memcpy(rec + 48, &neg, 8);
	got = print_event(&plan, &ev, rec, sizeof(rec));
	CHECK_STR(got, "-3 -300 4000000000 abcdefg..|hi "
		  "tracepoint:sched:sched_switch beef -77\n");
	free(got);
	/* a short record: the missing fields print as 0 and "" */
	got = print_event(&plan, &ev, rec, 20);
	CHECK_STR(got, "-3 -300 4000000000 |  0 0\n");
	free(got);
	id = 7;		/* no such probe */
	memcpy(rec + 32, &id, 8);
	got = print_event(&plan, &ev, rec, sizeof(rec));
	CHECK_STR(got, "-3 -300 4000000000 abcdefg..|hi ? beef -77\n");
	free(got);
	ev.kind = RT_EV_EXIT;
	got = print_event(&plan, &ev, rec, sizeof(rec));
	CHECK_STR(got, "");
	free(got);
	fmt_free(&ev.fmt);
}

/* ---- printing real BPF maps ---- */

static int ncpu;
static int fds[32];
static unsigned nfds;

static int map_new(enum bpf_map_type type, unsigned ks, unsigned vs)
{
	int fd = bpf_map_create(type, NULL, ks, vs, 64, NULL);

	if (fd >= 0 && nfds < sizeof(fds) / sizeof(fds[0]))
		fds[nfds++] = fd;
	return fd;
}

/* Split total over the CPUs so that they differ: evenly (counts stay
 * non-negative) or as 1, 2, 3... with CPU 0 taking the rest (signs mix). */
static void spread(long long *v, size_t words, long long total, bool even)
{
	long long rest = total;
	int c;

	for (c = ncpu - 1; c > 0; c--) {
		v[c * words] = even ? total / ncpu + (c < total % ncpu) : c;
		rest -= v[c * words];
	}
	v[0] = rest;
}

static void put_counts(int fd, const void *key, long long total, bool even)
{
	long long *v = calloc(ncpu, 8);

	spread(v, 1, total, even);
	CHECK_INT(bpf_map_update_elem(fd, key, v, BPF_ANY), 0);
	free(v);
}

/* AVG: { total, count } per CPU. */
static void put_avg(int fd, const void *key, long long total, long long n)
{
	long long *v = calloc(ncpu, 16);

	spread(v, 2, total, false);
	spread(v + 1, 2, n, true);
	CHECK_INT(bpf_map_update_elem(fd, key, v, BPF_ANY), 0);
	free(v);
}

/* MIN/MAX: { value, set } per CPU. The last CPU holds want, the others
 * want too, except CPU 0 which holds a better value but is not set. */
static void put_minmax(int fd, const void *key, long long want, bool max)
{
	long long *v = calloc(ncpu, 16);
	int c;

	for (c = 0; c < ncpu; c++) {
		v[2 * c] = want;
		v[2 * c + 1] = 1;
	}
	if (ncpu > 1) {
		v[0] = max ? want + 1000 : want - 1000;
		v[1] = 0;
	}
	CHECK_INT(bpf_map_update_elem(fd, key, v, BPF_ANY), 0);
	free(v);
}

/* A count or sum at an 8-byte integer (or probe id) key. */
static void put_counts_at(int fd, long long key, long long total)
{
	put_counts(fd, &key, total, true);
}

static void put_sum_str(int fd, const char *s, long long total)
{
	char key[8] = { 0 };

	memcpy(key, s, strnlen(s, sizeof(key)));
	put_counts(fd, key, total, false);
}

static char *print_map(const struct rt_plan *plan, const struct rt_map *m,
		       int *err)
{
	struct rt_printer p = { .plan = plan };
	char *buf = NULL;
	size_t n = 0;

	p.out = open_memstream(&buf, &n);
	*err = rt_print_map(&p, m);
	fclose(p.out);
	return buf;
}

#define CHECK_MAP(plan, m, want)                                           \
	do {                                                               \
		int map_err;                                               \
		char *map_out = print_map(plan, m, &map_err);              \
		CHECK_INT(map_err, 0);                                     \
		CHECK_STR(map_out, want);                                  \
		free(map_out);                                             \
	} while (0)

static struct rt_field k_int = { RT_INT, true, 0, 8 };
static struct rt_field k_uint = { RT_INT, false, 0, 8 };
static struct rt_field k_str = { RT_STR, false, 0, 8 };
static struct rt_field k_probe = { RT_PROBE, false, 0, 8 };
static struct rt_field k_int_str[] = {
	{ RT_INT, true, 0, 8 }, { RT_STR, false, 8, 8 },
};

static struct rt_map agg_map(const char *name, enum rt_agg agg, bool sgn,
			     struct rt_field *key, unsigned vs, int fd)
{
	struct rt_map m = {
		.name = name, .agg = agg, .percpu = true, .array = !key,
		.key_size = key ? 8 : 4, .value_size = vs,
		.nkeys = key ? 1 : 0, .keys = key,
		.value = { RT_INT, sgn, 0, 8 }, .fd = fd,
	};
	return m;
}

/* BEGIN { @a[1] = count(); @a[2] = count() x3; @a[-1] = count() x3;
 *         @a[7] = count() x2; }: ascending counts, ties by key. */
static void test_map_count(void)
{
	int fd = map_new(BPF_MAP_TYPE_PERCPU_HASH, 8, 8);
	struct rt_map m = agg_map("@a", RT_AGG_COUNT, false, &k_int, 8, fd);

	CHECK_MAP(NULL, &m, "");	/* empty */
	put_counts_at(fd, 1, 1);
	put_counts_at(fd, 2, 3);
	put_counts_at(fd, -1, 3);
	put_counts_at(fd, 7, 2);
	CHECK_MAP(NULL, &m, "@a[1]: 1\n@a[7]: 2\n@a[-1]: 3\n@a[2]: 3\n");
}

/* @b["x"] = sum(3); @b["y"] = sum(-3); @b["abc"] = sum(0);
 * @t["abcdefgh"] = sum(1) with a key that fills its buffer. */
static void test_map_sum(void)
{
	int fd = map_new(BPF_MAP_TYPE_PERCPU_HASH, 8, 8);
	struct rt_map m = agg_map("@b", RT_AGG_SUM, true, &k_str, 8, fd);
	char key[8];

	put_sum_str(fd, "x", 3);
	put_sum_str(fd, "y", -3);
	put_sum_str(fd, "abc", 0);
	CHECK_MAP(NULL, &m, "@b[y]: -3\n@b[abc]: 0\n@b[x]: 3\n");
	memcpy(key, "abcdefgh", 8);
	put_counts(fd, key, 1, false);
	m.name = "@t";
	CHECK_MAP(NULL, &m, "@t[y]: -3\n@t[abc]: 0\n@t[abcdefg..]: 1\n"
		  "@t[x]: 3\n");
	/* unsigned: -3 is a large number and sorts last */
	m.value.is_signed = false;
	CHECK_MAP(NULL, &m, "@t[abc]: 0\n@t[abcdefg..]: 1\n@t[x]: 3\n"
		  "@t[y]: 18446744073709551613\n");
}

/* All CPUs set, CPU c holding base - c * step: the minimum and maximum
 * come from different CPUs. */
static void put_minmax_all(int fd, const void *key, long long base,
			   long long step)
{
	long long *v = calloc(ncpu, 16);
	int c;

	for (c = 0; c < ncpu; c++) {
		v[2 * c] = base - c * step;
		v[2 * c + 1] = 1;
	}
	CHECK_INT(bpf_map_update_elem(fd, key, v, BPF_ANY), 0);
	free(v);
}

/* @c = avg(-5); @c = avg(-2): -7 / 2 prints -3 (truncated), and an array
 * slot nobody wrote prints nothing. */
static void test_map_avg_scalar(void)
{
	uint32_t zero = 0;
	int fd = map_new(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 16);
	struct rt_map m = agg_map("@c", RT_AGG_AVG, true, NULL, 16, fd);

	CHECK_MAP(NULL, &m, "");
	put_avg(fd, &zero, -7, 2);
	CHECK_MAP(NULL, &m, "@c: -3\n");
	m.value.is_signed = false;
	CHECK_MAP(NULL, &m, "@c: 9223372036854775804\n");
	put_avg(fd, &zero, 12, 5);
	CHECK_MAP(NULL, &m, "@c: 2\n");
}

/* @ = min(...), @mx = max(...) on one slot; unset CPUs take no part. */
static void test_map_minmax_scalar(void)
{
	uint32_t zero = 0;
	int fd = map_new(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 16);
	struct rt_map m = agg_map("@", RT_AGG_MIN, true, NULL, 16, fd);
	char want[64];

	CHECK_MAP(NULL, &m, "");	/* no CPU set */
	put_minmax(fd, &zero, 2, false);
	CHECK_MAP(NULL, &m, "@: 2\n");
	put_minmax(fd, &zero, -7, false);
	CHECK_MAP(NULL, &m, "@: -7\n");
	m.name = "@mx";
	m.agg = RT_AGG_MAX;
	put_minmax(fd, &zero, -7, true);
	CHECK_MAP(NULL, &m, "@mx: -7\n");
	/* CPU c holds 1 - 2c: 1, -1, -3... signed and unsigned disagree */
	put_minmax_all(fd, &zero, 1, 2);
	CHECK_MAP(NULL, &m, "@mx: 1\n");
	m.value.is_signed = false;
	CHECK_MAP(NULL, &m, ncpu > 1 ? "@mx: 18446744073709551615\n"
				     : "@mx: 1\n");
	m.agg = RT_AGG_MIN;
	CHECK_MAP(NULL, &m, "@mx: 1\n");
	m.value.is_signed = true;
	snprintf(want, sizeof(want), "@mx: %d\n", 1 - 2 * (ncpu - 1));
	CHECK_MAP(NULL, &m, want);
}

/* @n = count() and @s = sum(...) on one slot: zero on every CPU means
 * never touched. */
static void test_map_count_scalar(void)
{
	uint32_t zero = 0;
	int fd = map_new(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8);
	struct rt_map m = agg_map("@n", RT_AGG_COUNT, false, NULL, 8, fd);

	CHECK_MAP(NULL, &m, "");
	put_counts(fd, &zero, 0, true);
	CHECK_MAP(NULL, &m, "");
	put_counts(fd, &zero, 5, true);
	CHECK_MAP(NULL, &m, "@n: 5\n");
	if (ncpu < 2)
		return;
	/* +1 and -1 on two CPUs: touched, and the sum is 0 */
	m.name = "@s";
	m.agg = RT_AGG_SUM;
	m.value.is_signed = true;
	put_counts(fd, &zero, 0, false);
	CHECK_MAP(NULL, &m, "@s: 0\n");
}

/* @mm["a"] = min(5); @mm["b"] = min(-1); @mm["c"] = min(3): bpftrace
 * orders MIN/MAX maps by the value taken as unsigned, so -1 comes last. */
static void test_map_minmax_keys(void)
{
	int fd = map_new(BPF_MAP_TYPE_PERCPU_HASH, 8, 16);
	struct rt_map m = agg_map("@mm", RT_AGG_MIN, true, &k_str, 16, fd);
	char key[8] = "a";

	put_minmax(fd, key, 5, false);
	key[0] = 'b';
	put_minmax(fd, key, -1, false);
	key[0] = 'c';
	put_minmax(fd, key, 3, false);
	key[0] = 'd';
	put_minmax(fd, key, 3, false);
	CHECK_MAP(NULL, &m, "@mm[c]: 3\n@mm[d]: 3\n@mm[a]: 5\n@mm[b]: -1\n");
}

/* @k[2, "b"] = 1; @k[1, "z"] = 2; @k[-1, "a"] = 3; @k[0, "q"] = -5:
 * integer values sort by value, signed. */
static void test_map_plain_int(void)
{
	int fd = map_new(BPF_MAP_TYPE_HASH, 16, 8);
	struct rt_map m = {
		.name = "@k", .key_size = 16, .value_size = 8, .nkeys = 2,
		.keys = k_int_str, .value = { RT_INT, true, 0, 8 }, .fd = fd,
	};
	static const struct { long long k; char s[8]; long long v; } e[] = {
		{ 2, "b", 1 }, { 1, "z", 2 }, { -1, "a", 3 }, { 0, "q", -5 },
	};
	size_t i;

	for (i = 0; i < 4; i++)
		CHECK_INT(bpf_map_update_elem(fd, &e[i], &e[i].v, BPF_ANY), 0);
	CHECK_MAP(NULL, &m, "@k[0, q]: -5\n@k[2, b]: 1\n@k[1, z]: 2\n"
		  "@k[-1, a]: 3\n");
	m.value.is_signed = false;
	CHECK_MAP(NULL, &m, "@k[2, b]: 1\n@k[1, z]: 2\n@k[-1, a]: 3\n"
		  "@k[0, q]: 18446744073709551611\n");
}

/* @str[1] = "x"; @str[-3] = "y"; @str[2] = "a": other values sort by
 * key, integer keys as signed 64-bit even when unsigned. */
static void test_map_plain_str(void)
{
	int fd = map_new(BPF_MAP_TYPE_HASH, 8, 8);
	struct rt_map m = {
		.name = "@str", .key_size = 8, .value_size = 8, .nkeys = 1,
		.keys = &k_int, .value = { RT_STR, false, 0, 8 }, .fd = fd,
	};

	static const struct { long long k; char v[8]; } e[] = {
		{ 1, "x" }, { -3, "y" }, { 2, "a" },
	};
	size_t i;

	for (i = 0; i < 3; i++)
		CHECK_INT(bpf_map_update_elem(fd, &e[i].k, e[i].v, BPF_ANY), 0);
	CHECK_MAP(NULL, &m, "@str[-3]: y\n@str[1]: x\n@str[2]: a\n");
	m.name = "@u";
	m.keys = &k_uint;
	CHECK_MAP(NULL, &m, "@u[18446744073709551613]: y\n@u[1]: x\n"
		  "@u[2]: a\n");
}

/* @d = 5; @s = "hello": plain one-slot arrays always print. */
static void test_map_plain_scalar(void)
{
	uint32_t zero = 0;
	int fd = map_new(BPF_MAP_TYPE_ARRAY, 4, 8);
	int fs = map_new(BPF_MAP_TYPE_ARRAY, 4, 16);
	struct rt_map m = {
		.name = "@d", .array = true, .key_size = 4, .value_size = 8,
		.value = { RT_INT, true, 0, 8 }, .fd = fd,
	};
	long long v = -5;
	char s[16] = "hello";

	CHECK_MAP(NULL, &m, "@d: 0\n");
	CHECK_INT(bpf_map_update_elem(fd, &zero, &v, BPF_ANY), 0);
	CHECK_MAP(NULL, &m, "@d: -5\n");
	m.name = "@s";
	m.value_size = 16;
	m.value.kind = RT_STR;
	m.value.size = 16;
	m.fd = fs;
	CHECK_INT(bpf_map_update_elem(fs, &zero, s, BPF_ANY), 0);
	CHECK_MAP(NULL, &m, "@s: hello\n");
}

static const char *probe_names[] = {
	"tracepoint:syscalls:sys_enter_read", "BEGIN",
	"tracepoint:sched:sched_switch",
};

/* @[probe] = count(): probe keys print and sort by name. */
static void test_map_probe(void)
{
	struct rt_plan plan = { .probe_names = probe_names,
				.nprobe_names = 3 };
	int fd = map_new(BPF_MAP_TYPE_PERCPU_HASH, 8, 8);
	struct rt_map m = agg_map("@", RT_AGG_COUNT, false, &k_probe, 8, fd);

	put_counts_at(fd, 0, 3);
	put_counts_at(fd, 1, 1);
	put_counts_at(fd, 2, 3);
	CHECK_MAP(&plan, &m, "@[BEGIN]: 1\n@[tracepoint:sched:sched_switch]: 3"
		  "\n@[tracepoint:syscalls:sys_enter_read]: 3\n");
}

/* At exit: two newlines, then every map in name order, no blank line
 * between maps, nothing for an untouched one. */
static void test_print_maps(void)
{
	uint32_t zero = 0;
	long long k = 4;
	int fc = map_new(BPF_MAP_TYPE_PERCPU_HASH, 8, 8);
	int fn = map_new(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8);
	int fm = map_new(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 16);
	int fa = map_new(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 16);
	struct rt_map maps[] = {
		agg_map("@z", RT_AGG_COUNT, false, &k_int, 8, fc),
		agg_map("@n", RT_AGG_COUNT, false, NULL, 8, fn),
		agg_map("@", RT_AGG_MIN, true, NULL, 16, fm),
		agg_map("@a", RT_AGG_AVG, true, NULL, 16, fa),
	};
	struct rt_plan plan = { .maps = maps, .nmaps = 4 };
	struct rt_printer p = { .plan = &plan };
	char *buf = NULL;
	size_t n = 0;

	put_counts(fc, &k, 2, true);
	put_minmax(fm, &zero, 2, false);
	put_avg(fa, &zero, 4, 1);
	p.out = open_memstream(&buf, &n);
	CHECK_INT(rt_print_maps(&p), 0);
	fclose(p.out);
	CHECK_STR(buf, "\n\n@: 2\n@a: 4\n@z[4]: 2\n");
	free(buf);
	plan.nmaps = 0;
	p.out = open_memstream(&buf, &n);
	CHECK_INT(rt_print_maps(&p), 0);
	fclose(p.out);
	CHECK_STR(buf, "\n\n");
	free(buf);
}

/* A descriptor that does not fit its map is refused, not read. */
static void test_map_errors(void)
{
	struct rt_map m = agg_map("@x", RT_AGG_AVG, true, NULL, 8, fds[0]);
	int err;
	char *got;

	got = print_map(NULL, &m, &err);
	CHECK_INT(err, -EINVAL);
	CHECK_STR(got, "");
	free(got);
	m = agg_map("@x", RT_AGG_COUNT, false, k_int_str, 8, fds[0]);
	m.nkeys = 2;	/* the second key field ends at 16 > 8 */
	got = print_map(NULL, &m, &err);
	CHECK_INT(err, -EINVAL);
	free(got);
	m = agg_map("@x", RT_AGG_COUNT, false, &k_int, 8, 1000);
	got = print_map(NULL, &m, &err);
	CHECK_INT(err, -EBADF);
	free(got);
}

static bool bpf_usable(void)
{
	int fd;

	ncpu = libbpf_num_possible_cpus();
	if (ncpu < 1) {
		fprintf(stderr, "test-format: skipping map tests: cannot "
			"count CPUs: %s\n", strerror(-ncpu));
		return false;
	}
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 8, 1, NULL);
	if (fd < 0) {
		fprintf(stderr, "test-format: skipping map tests: "
			"bpf_map_create: %s\n", strerror(-fd));
		return false;
	}
	close(fd);
	return true;
}

int main(void)
{
	unsigned i;

	test_parse_ok();
	test_parse_kinds();
	test_parse_errors();
	test_print_int_matrix();
	test_print_str();
	test_print_char_ptr();
	test_print_mismatch();
	test_event();
	if (bpf_usable()) {
		test_map_count();
		test_map_sum();
		test_map_avg_scalar();
		test_map_minmax_scalar();
		test_map_count_scalar();
		test_map_minmax_keys();
		test_map_plain_int();
		test_map_plain_str();
		test_map_plain_scalar();
		test_map_probe();
		test_print_maps();
		test_map_errors();
	}
	for (i = 0; i < nfds; i++)
		close(fds[i]);
	return unit_done("test-format");
}
