/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The -f json output (src/runtime/json.c, print.c, hist.c, record.c):
 * rt_json_string() on every short byte string, printf records, and maps and histograms on real BPF
 * maps, compared with the lines of bpftrace's tests/runtime/json-output
 * and its outputs/NAME.json (in the layout of src/output/json.cpp); every
 * line must pass a strict validator. */
#include "unit.h"
#include "json.h"
#include "maps.h"
#include "stdlib/format.h"

static void test_validator(void)
{
	static const char *good[] = {
		"0", "-0.5e+3", "\"\"", "\"\\u00e9\\ud83d\\ude00\\/\"",
		"{\"a\": [1, {\"b\": null}], \"c\": true}", " [ ] ",
		"\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"",
	};
	static const char *bad[] = {
		"", "01", "1.", "-", "+1", "[1,]", "{\"a\" 1}", "{a: 1}",
		"\"\x01\"", "\"\\x\"", "\"\\ud800\"", "\"\\udc00\"",
		"\"\xff\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"",
		"\"\xf4\x90\x80\x80\"", "\"\xe2\x82\"", "\"abc", "[1] [2]",
		"'a'", "\"\\u12\"", "nul", "[\"a\"\"b\"]",
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		CHECK(json_valid(good[i], strlen(good[i]), NULL, NULL));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(!json_valid(bad[i], strlen(bad[i]), NULL, NULL));
	CHECK(json_lines_valid("{}\n[1]\n"));
	CHECK(!json_lines_valid("{}\n[1]"));
	CHECK(!json_lines_valid("{}\n\n"));
}

/* ---- rt_json_string ---- */

static char *json_of(const char *s, size_t len, size_t *outlen)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	rt_json_string(f, s, len);
	fclose(f);
	if (outlen)
		*outlen = n;
	return buf;
}

/* What a reader must get back: the bytes, with each byte of ill-formed
 * UTF-8 replaced by U+FFFD. */
static size_t expect_decoded(const unsigned char *s, size_t n, char *out)
{
	size_t i = 0, o = 0, k;
	unsigned long cp;

	while (i < n) {
		k = utf8_decode(s + i, n - i, &cp);
		if (k) {
			memcpy(out + o, s + i, k);
			o += k;
			i += k;
		} else {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	return o;
}

/* Strict JSON that decodes back to the input. */
static bool json_round_trip(const char *s, size_t len)
{
	size_t n, dn, en;
	char *j = json_of(s, len, &n);
	char *dec = malloc(n + 1), *want = malloc(3 * len + 1);
	bool ok = json_valid(j, n, dec, &dn);

	en = expect_decoded((const unsigned char *)s, len, want);
	ok = ok && dn == en && !memcmp(dec, want, en);
	free(j);
	free(dec);
	free(want);
	return ok;
}

static void test_json_string(void)
{
	static const struct { const char *s; size_t len; const char *json; }
	cases[] = {
		{ "", 0, "\"\"" },
		{ "a\"b\\c/", 6, "\"a\\\"b\\\\c/\"" },
		{ "\n\r\t\b\f", 5, "\"\\n\\r\\t\\u0008\\u000c\"" },
		{ "\x01\x1f\x7f", 3, "\"\\u0001\\u001f\x7f\"" },
		{ "a\0b", 3, "\"a\\u0000b\"" },
		{ "caf\xc3\xa9 \xe2\x82\xac\xf0\x9f\x98\x80", 13,
		  "\"caf\xc3\xa9 \xe2\x82\xac\xf0\x9f\x98\x80\"" },
		{ "\xff", 1, "\"\\ufffd\"" },
		{ "\xc3", 1, "\"\\ufffd\"" },
		{ "\xc0\xaf", 2, "\"\\ufffd\\ufffd\"" },
		{ "\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"" },
		{ "\xf4\x90\x80\x80", 4, "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" },
		{ "\xe2\x82" "A", 3, "\"\\ufffd\\ufffdA\"" },
		{ "\xf4\x8f\xbf\xbf\xee\x80\x80", 7,
		  "\"\xf4\x8f\xbf\xbf\xee\x80\x80\"" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = json_of(cases[i].s, cases[i].len, NULL);

		CHECK_STR(got, cases[i].json);
		CHECK(json_round_trip(cases[i].s, cases[i].len));
		free(got);
	}
}

/* Every string of one and two bytes, and many random longer ones. */
static void test_json_string_all(void)
{
	unsigned char s[16];
	unsigned long long x = 88172645463325252ull;
	unsigned a, b, bad = 0, i, n;

	for (a = 0; a < 256; a++) {
		s[0] = a;
		bad += !json_round_trip((char *)s, 1);
		for (b = 0; b < 256; b++) {
			s[1] = b;
			bad += !json_round_trip((char *)s, 2);
		}
	}
	for (i = 0; i < 200000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		n = x % 13;
		for (a = 0; a < n; a++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			/* mostly bytes at 0x80 and above, where UTF-8 lives */
			s[a] = x % 4 ? 0x80 | (x >> 8) : (x >> 8);
		}
		bad += !json_round_trip((char *)s, n);
	}
	CHECK_INT(bad, 0);
}

/* ---- printf records ---- */

static char *json_event(const char *fmt, size_t flen, struct rt_field *args,
			unsigned nargs, const void *rec, size_t size)
{
	struct rt_event ev = { .kind = RT_EV_PRINTF, .nargs = nargs,
			       .args = args, .size = size };
	struct rt_printer p = { .json = true };
	char *buf = NULL;
	size_t n = 0;

	CHECK_INT(fmt_parse(fmt, flen, &ev.fmt, NULL, 0, NULL), 0);
	p.out = open_memstream(&buf, &n);
	rt_print_event(&p, &ev, rec, size);
	fclose(p.out);
	fmt_free(&ev.fmt);
	CHECK(json_lines_valid(buf));
	return buf;
}

/* tests/runtime/json-output printf and printf_escaping, and arguments
 * with control bytes, bad UTF-8, a cut string and a NUL from %c. */
static void test_printf_json(void)
{
	static const char esc[] = "test \r \n \t \\ \" bar";
	struct rt_field args[] = {
		{ RT_INT, true, 8, 8 }, { RT_STR, false, 16, 8 },
		{ RT_STR, false, 24, 8 }, { RT_INT, false, 32, 8 },
	};
	unsigned char rec[40] = { 0 };
	long long five = 5;
	char *got;

	memcpy(rec + 8, &five, 8);
	got = json_event("test %d", 7, args, 1, rec, sizeof(rec));
	CHECK_STR(got, "{\"type\": \"printf\", \"data\": \"test 5\"}\n");
	free(got);
	got = json_event(esc, sizeof(esc) - 1, NULL, 0, rec, sizeof(rec));
	CHECK_STR(got, "{\"type\": \"printf\", \"data\": "
		  "\"test \\r \\n \\t \\\\ \\\" bar\"}\n");
	free(got);
	memcpy(rec + 16, "a\x01\xff", 3);
	memcpy(rec + 24, "abcdefgh", 8);
	got = json_event("%d %s|%s|%c\n", 12, args, 4, rec, sizeof(rec));
	CHECK_STR(got, "{\"type\": \"printf\", \"data\": \"5 a\\u0001\\ufffd|"
		  "abcdefg..|\\u0000\\n\"}\n");
	free(got);
}

/* ---- maps ---- */

static const char hist_json[] =
		"{\"type\": \"hist\", \"data\": {\"@hist\": [{\"min\": 2, \"m"
		"ax\": 3, \"count\": 1},{\"min\": 4, \"max\": 7, \"count\": 0"
		"},{\"min\": 8, \"max\": 15, \"count\": 0},{\"min\": 16, \"ma"
		"x\": 31, \"count\": 0},{\"min\": 32, \"max\": 63, \"count\":"
		" 0},{\"min\": 64, \"max\": 127, \"count\": 0},{\"min\": 128,"
		" \"max\": 255, \"count\": 0},{\"min\": 256, \"max\": 511, \""
		"count\": 0},{\"min\": 512, \"max\": 1023, \"count\": 0},{\"m"
		"in\": 1024, \"max\": 2047, \"count\": 1}]}}\n";
static const char hist_10g_json[] =
		"{\"type\": \"hist\", \"data\": {\"@\": [{\"min\": 8589934592"
		", \"max\": 17179869183, \"count\": 1}]}}\n";
static const char hist_multiple_json[] =
		"{\"type\": \"hist\", \"data\": {\"@\": {\"bpftrace\": [{\"mi"
		"n\": 2, \"max\": 3, \"count\": 1}], \"curl\": [{\"max\": -1,"
		" \"count\": 1},{\"min\": 0, \"max\": 0, \"count\": 1},{\"min"
		"\": 1, \"max\": 1, \"count\": 0},{\"min\": 2, \"max\": 3, \""
		"count\": 0},{\"min\": 4, \"max\": 7, \"count\": 0},{\"min\":"
		" 8, \"max\": 15, \"count\": 0},{\"min\": 16, \"max\": 31, \""
		"count\": 0},{\"min\": 32, \"max\": 63, \"count\": 0},{\"min"
		"\": 64, \"max\": 127, \"count\": 0},{\"min\": 128, \"max\": "
		"255, \"count\": 0},{\"min\": 256, \"max\": 511, \"count\": 1"
		"},{\"min\": 512, \"max\": 1023, \"count\": 0},{\"min\": 1024"
		", \"max\": 2047, \"count\": 2}]}}}\n";
static const char hist_multiple_keys_json[] =
		"{\"type\": \"hist\", \"data\": {\"@\": {\"bpftrace,2\": [{\""
		"min\": 2, \"max\": 3, \"count\": 1}], \"curl,3\": [{\"min\":"
		" 256, \"max\": 511, \"count\": 1},{\"min\": 512, \"max\": 10"
		"23, \"count\": 0},{\"min\": 1024, \"max\": 2047, \"count\": "
		"1}]}}}\n";
static const char lhist_json[] =
		"{\"type\": \"hist\", \"data\": {\"@h\": [{\"min\": 0, \"max"
		"\": 9, \"count\": 1},{\"min\": 10, \"max\": 19, \"count\": 0"
		"},{\"min\": 20, \"max\": 29, \"count\": 0},{\"min\": 30, \"m"
		"ax\": 39, \"count\": 0},{\"min\": 40, \"max\": 49, \"count\""
		": 0},{\"min\": 50, \"max\": 59, \"count\": 1},{\"min\": 60, "
		"\"max\": 69, \"count\": 0},{\"min\": 70, \"max\": 79, \"coun"
		"t\": 0},{\"min\": 80, \"max\": 89, \"count\": 0},{\"min\": 9"
		"0, \"max\": 99, \"count\": 0},{\"min\": 100, \"count\": 1}]}"
		"}\n";
static const char lhist_multiple_json[] =
		"{\"type\": \"hist\", \"data\": {\"@stats\": {\"curl\": [{\"m"
		"in\": 50, \"max\": 59, \"count\": 1}], \"bpftrace\": [{\"min"
		"\": 0, \"max\": 9, \"count\": 1},{\"min\": 10, \"max\": 19, "
		"\"count\": 0},{\"min\": 20, \"max\": 29, \"count\": 0},{\"mi"
		"n\": 30, \"max\": 39, \"count\": 0},{\"min\": 40, \"max\": 4"
		"9, \"count\": 0},{\"min\": 50, \"max\": 59, \"count\": 0},{"
		"\"min\": 60, \"max\": 69, \"count\": 0},{\"min\": 70, \"max"
		"\": 79, \"count\": 0},{\"min\": 80, \"max\": 89, \"count\": "
		"0},{\"min\": 90, \"max\": 99, \"count\": 0},{\"min\": 100, "
		"\"count\": 1}]}}}\n";

/* tests/runtime/json-output: histogram, multiple histograms (multiple
 * keys), linear histogram, multiple linear histograms; call hist_10g. */
static void test_hist_json(void)
{
	static const long long curl[] = { -1, 0, 511, 1024, 1025 };
	struct rt_map m = hist_map("@hist", NULL, 0, 0);
	char k[24];
	size_t i;

	hist_put(&m, NULL, 2);
	hist_put(&m, NULL, 1025);
	CHECK_JSON(&m, hist_json);
	m = hist_map("@", NULL, 0, 0);
	hist_put(&m, NULL, 10ll << 30);
	CHECK_JSON(&m, hist_10g_json);
	m = hist_map("@", &k_str16, 1, 16);
	hist_put(&m, skey(k, 16, "bpftrace"), 2);
	for (i = 0; i < 5; i++)
		hist_put(&m, skey(k, 16, "curl"), curl[i]);
	CHECK_JSON(&m, hist_multiple_json);
	m = hist_map("@", k_str_int, 2, 24);
	skey(k, 24, "bpftrace");
	k[16] = 2;
	hist_put(&m, k, 2);
	skey(k, 24, "curl");
	k[16] = 3;
	hist_put(&m, k, 511);
	hist_put(&m, k, 1024);
	CHECK_JSON(&m, hist_multiple_keys_json);
	m = lhist_map("@h", NULL, 0, 0, 0, 100, 10);
	hist_put(&m, NULL, 2);
	hist_put(&m, NULL, 50);
	hist_put(&m, NULL, 1000);
	CHECK_JSON(&m, lhist_json);
	m = lhist_map("@stats", &k_str16, 1, 16, 0, 100, 10);
	hist_put(&m, skey(k, 16, "bpftrace"), 2);
	hist_put(&m, skey(k, 16, "curl"), 50);
	hist_put(&m, skey(k, 16, "bpftrace"), 1000);
	CHECK_JSON(&m, lhist_multiple_json);
}

static const char hist_2args_json[] =
		"{\"type\": \"hist\", \"data\": {\"@\": [{\"min\": 0, \"max\""
		": 0, \"count\": 1},{\"min\": 1, \"max\": 1, \"count\": 1},{"
		"\"min\": 2, \"max\": 2, \"count\": 1},{\"min\": 3, \"max\": "
		"3, \"count\": 1},{\"min\": 4, \"max\": 4, \"count\": 1},{\"m"
		"in\": 5, \"max\": 5, \"count\": 1},{\"min\": 6, \"max\": 6, "
		"\"count\": 1},{\"min\": 7, \"max\": 7, \"count\": 1},{\"min"
		"\": 8, \"max\": 8, \"count\": 1},{\"min\": 9, \"max\": 9, \""
		"count\": 1},{\"min\": 10, \"max\": 10, \"count\": 1},{\"min"
		"\": 11, \"max\": 11, \"count\": 1},{\"min\": 12, \"max\": 12"
		", \"count\": 1},{\"min\": 13, \"max\": 13, \"count\": 1},{\""
		"min\": 14, \"max\": 14, \"count\": 1},{\"min\": 15, \"max\":"
		" 15, \"count\": 1},{\"min\": 16, \"max\": 17, \"count\": 2},"
		"{\"min\": 18, \"max\": 19, \"count\": 2},{\"min\": 20, \"max"
		"\": 21, \"count\": 2},{\"min\": 22, \"max\": 23, \"count\": "
		"2},{\"min\": 24, \"max\": 25, \"count\": 2},{\"min\": 26, \""
		"max\": 27, \"count\": 2},{\"min\": 28, \"max\": 29, \"count"
		"\": 2},{\"min\": 30, \"max\": 31, \"count\": 2},{\"min\": 32"
		", \"max\": 35, \"count\": 4},{\"min\": 36, \"max\": 39, \"co"
		"unt\": 4},{\"min\": 40, \"max\": 43, \"count\": 4},{\"min\":"
		" 44, \"max\": 47, \"count\": 4},{\"min\": 48, \"max\": 51, "
		"\"count\": 4},{\"min\": 52, \"max\": 55, \"count\": 4},{\"mi"
		"n\": 56, \"max\": 59, \"count\": 4},{\"min\": 60, \"max\": 6"
		"3, \"count\": 4},{\"min\": 64, \"max\": 71, \"count\": 8},{"
		"\"min\": 72, \"max\": 79, \"count\": 8},{\"min\": 80, \"max"
		"\": 87, \"count\": 8},{\"min\": 88, \"max\": 95, \"count\": "
		"8},{\"min\": 96, \"max\": 103, \"count\": 8},{\"min\": 104, "
		"\"max\": 111, \"count\": 8},{\"min\": 112, \"max\": 119, \"c"
		"ount\": 8},{\"min\": 120, \"max\": 127, \"count\": 8},{\"min"
		"\": 128, \"max\": 143, \"count\": 16},{\"min\": 144, \"max\""
		": 159, \"count\": 16},{\"min\": 160, \"max\": 175, \"count\""
		": 16},{\"min\": 176, \"max\": 191, \"count\": 16},{\"min\": "
		"192, \"max\": 207, \"count\": 16},{\"min\": 208, \"max\": 22"
		"3, \"count\": 16},{\"min\": 224, \"max\": 239, \"count\": 16"
		"},{\"min\": 240, \"max\": 255, \"count\": 16},{\"min\": 256,"
		" \"max\": 287, \"count\": 32},{\"min\": 288, \"max\": 319, "
		"\"count\": 32},{\"min\": 320, \"max\": 351, \"count\": 32},{"
		"\"min\": 352, \"max\": 383, \"count\": 32},{\"min\": 384, \""
		"max\": 415, \"count\": 32},{\"min\": 416, \"max\": 447, \"co"
		"unt\": 32},{\"min\": 448, \"max\": 479, \"count\": 32},{\"mi"
		"n\": 480, \"max\": 511, \"count\": 32},{\"min\": 512, \"max"
		"\": 575, \"count\": 64},{\"min\": 576, \"max\": 639, \"count"
		"\": 64},{\"min\": 640, \"max\": 703, \"count\": 64},{\"min\""
		": 704, \"max\": 767, \"count\": 64},{\"min\": 768, \"max\": "
		"831, \"count\": 64},{\"min\": 832, \"max\": 895, \"count\": "
		"64},{\"min\": 896, \"max\": 959, \"count\": 64},{\"min\": 96"
		"0, \"max\": 1023, \"count\": 64}]}}\n";

/* json-output "histogram-finegrain": hist($i, 3) for $i in 0..1023 */
static void test_hist_bits_json(void)
{
	struct rt_map m = hist_map("@", NULL, 0, 0);
	int i;

	m.hist_bits = 3;
	for (i = 0; i < 1024; i++)
		hist_put(&m, NULL, i);
	CHECK_JSON(&m, hist_2args_json);
}

static const char scalar_json[] =
		"{\"type\": \"map\", \"data\": {\"@scalar\": 5}}\n";
static const char scalar_str_json[] =
		"{\"type\": \"map\", \"data\": {\"@scalar_str\": \"a b \\n d "
		"e\"}}\n";
static const char map_json[] =
		"{\"type\": \"map\", \"data\": {\"@map\": {\"key1\": 2, \"key"
		"2\": 3}}}\n";
static const char complex_json[] =
		"{\"type\": \"map\", \"data\": {\"@complex\": {\"bpftrace,2\""
		": 5}}}\n";

/* tests/runtime/json-output scalar, scalar_str, map, complex */
static void test_map_json(void)
{
	struct rt_field v_int = { RT_INT, true, 0, 8 };
	struct rt_field v_str = { RT_STR, false, 0, 16 };
	struct rt_map m = plain_map("@scalar", NULL, 0, 0, v_int, 8);
	long long v = 5;
	char k[24], s[16];

	plain_put(&m, NULL, &v);
	CHECK_JSON(&m, scalar_json);
	m = plain_map("@scalar_str", NULL, 0, 0, v_str, 16);
	plain_put(&m, NULL, skey(s, 16, "a b \n d e"));
	CHECK_JSON(&m, scalar_str_json);
	m = plain_map("@map", &k_str8, 1, 8, v_int, 8);
	v = 2;
	plain_put(&m, skey(k, 8, "key1"), &v);
	v = 3;
	plain_put(&m, skey(k, 8, "key2"), &v);
	CHECK_JSON(&m, map_json);
	m = plain_map("@complex", k_str_int, 2, 24, v_int, 8);
	skey(k, 24, "bpftrace");
	k[16] = 2;
	v = 5;
	plain_put(&m, k, &v);
	CHECK_JSON(&m, complex_json);
	CHECK_TEXT(&m, "@complex[bpftrace, 2]: 5\n");
}

/* Integers a double cannot hold exactly are strings (json.cpp). */
static void test_json_numbers(void)
{
	struct rt_field v_u = { RT_INT, false, 0, 8 };
	struct rt_field v_s = { RT_INT, true, 0, 8 };
	struct rt_map m = plain_map("@u", &k_str8, 1, 8, v_u, 8);
	unsigned long long u[] = { 1ull << 53, (1ull << 53) + 1, ~0ull,
				   1ull << 63 };
	long long s[] = { INT64_MIN, -1, INT64_MAX };
	char k[8] = "a";
	int i;

	for (i = 0; i < 4; i++, k[0]++)
		plain_put(&m, k, &u[i]);
	CHECK_JSON(&m, "{\"type\": \"map\", \"data\": {\"@u\": {\"a\": "
		   "9007199254740992, \"b\": \"9007199254740993\", \"d\": "
		   "9223372036854775808, \"c\": \"18446744073709551615\"}}}\n");
	m = plain_map("@s", &k_str8, 1, 8, v_s, 8);
	for (i = 0, k[0] = 'x'; i < 3; i++, k[0]++)
		plain_put(&m, k, &s[i]);
	CHECK_JSON(&m, "{\"type\": \"map\", \"data\": {\"@s\": {\"x\": "
		   "-9223372036854775808, \"y\": -1, \"z\": "
		   "\"9223372036854775807\"}}}\n");
}

/* Keys: JSON drops every space from a key's text (json.cpp), and both
 * formats strip the parentheses around a lone string key "(x)"; strings
 * with quotes, control bytes and bad UTF-8 stay strict JSON. */
static void test_json_keys(void)
{
	static const char *names[] = { "BEGIN", "tracepoint:sched:x y" };
	struct rt_plan plan = { .probe_names = names, .nprobe_names = 2 };
	struct rt_field v_int = { RT_INT, true, 0, 8 };
	struct rt_field v_str = { RT_STR, false, 0, 8 };
	struct rt_map m = plain_map("@m", &k_str8, 1, 8, v_int, 8);
	long long v, p;
	char k[16];

	v = 1;
	plain_put(&m, skey(k, 8, "a b"), &v);
	v = 2;
	plain_put(&m, skey(k, 8, "(x)"), &v);
	v = 3;
	plain_put(&m, skey(k, 8, "q\"\x01\xff"), &v);
	v = 4;
	plain_put(&m, skey(k, 8, "abcdefgh"), &v);
	CHECK_TEXT(&m, "@m[a b]: 1\n@m[x]: 2\n@m[q\"\x01\xff]: 3\n"
		   "@m[abcdefg..]: 4\n");
	/* a string key keeps its spaces and parentheses in JSON (newest
	 * bpftrace's src/output/json.cpp); text drops the parentheses */
	CHECK_JSON(&m, "{\"type\": \"map\", \"data\": {\"@m\": {\"a b\": 1, "
		   "\"(x)\": 2, \"q\\\"\\u0001\\ufffd\": 3, \"abcdefg..\": "
		   "4}}}\n");
	m = plain_map("@n", k_int_str, 2, 16, v_str, 8);
	memset(k, 0, sizeof(k));
	k[0] = 1;
	memcpy(k + 8, "(x)", 3);
	plain_put(&m, k, "\t\"\xc3\xa9\xff");
	CHECK_TEXT(&m, "@n[1, (x)]: \t\"\xc3\xa9\xff\n");
	CHECK_JSON(&m, "{\"type\": \"map\", \"data\": {\"@n\": {\"1,(x)\": "
		   "\"\\t\\\"\xc3\xa9\\ufffd\"}}}\n");
	m = agg_map("@", RT_AGG_COUNT, false, &k_probe, 1, 8);
	for (p = 0; p < 2; p++)
		agg_add(&m, &p, p + 1, 0);
	CHECK_OUT(&plan, &m, true, false, 0, 0,
		  "{\"type\": \"map\", \"data\": {\"@\": {\"BEGIN\": 1, "
		  "\"tracepoint:sched:xy\": 2}}}\n");
}

/* json-output "multiple maps" (outputs/multiple_maps.ndjson) */
#define MULTIPLE_MAPS_JSON \
	"{\"type\": \"map\", \"data\": {\"@map1\": {\"key1\": 2}}}\n" \
	"{\"type\": \"map\", \"data\": {\"@map2\": {\"key2\": 3}}}\n"

/* At exit in JSON: no blank lines first (JsonOutput::end prints
 * nothing), one line per map in name order, nothing for an empty map. */
static void test_print_maps_json(void)
{
	struct rt_field v_int = { RT_INT, true, 0, 8 };
	struct rt_map maps[4];
	struct rt_plan plan = { .maps = maps, .nmaps = 4 };
	struct rt_printer p = { .plan = &plan, .json = true };
	char k[8], *buf = NULL;
	size_t n = 0;
	long long v;

	maps[0] = plain_map("@map2", &k_str8, 1, 8, v_int, 8);
	maps[1] = plain_map("@map1", &k_str8, 1, 8, v_int, 8);
	maps[2] = plain_map("@e", &k_str8, 1, 8, v_int, 8);
	maps[3] = hist_map("@h", NULL, 0, 0);
	v = 3;
	plain_put(&maps[0], skey(k, 8, "key2"), &v);
	v = 2;
	plain_put(&maps[1], skey(k, 8, "key1"), &v);
	hist_put(&maps[3], NULL, 2);
	p.out = open_memstream(&buf, &n);
	CHECK_INT(rt_print_maps(&p), 0);
	fclose(p.out);
	CHECK_STR(buf, "{\"type\": \"hist\", \"data\": {\"@h\": [{\"min\": 2, "
		  "\"max\": 3, \"count\": 1}]}}\n" MULTIPLE_MAPS_JSON);
	CHECK(json_lines_valid(buf));
	free(buf);
}

int main(void)
{
	static void (*const tests[])(void) = {
		test_hist_json, test_hist_bits_json, test_map_json,
		test_json_numbers, test_json_keys, test_print_maps_json,
	};
	unsigned i;

	test_validator();
	test_json_string();
	test_json_string_all();
	test_printf_json();
	if (!bpf_usable("test-json"))
		return unit_failures ? 1 : 77;
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		tests[i]();
		close_maps();
	}
	return unit_done("test-json");
}
