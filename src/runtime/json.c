/* SPDX-License-Identifier: GPL-2.0-or-later */
/* JSON text for -f json: strings escaped as bpftrace escapes them but
 * always strict JSON, numbers that stay exact, a map record's opening. */
#include <stdint.h>
#include <string.h>
#include "runtime/print.h"

/* The length of the well-formed UTF-8 sequence at s (Unicode table 3-7:
 * no overlong form, no surrogate, nothing above U+10FFFF), or 0. */
static size_t pr_utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++, lo = 0x80, hi = 0xbf)
		if (s[i] < lo || s[i] > hi)
			return 0;
	return len;
}

/* The inside of a JSON string. The escapes are bpftrace's
 * (src/output/json.cpp): \" \\ \n \r \t, and \u00xx for the other bytes
 * below 0x20. Well-formed UTF-8 is copied; each byte that starts no
 * well-formed sequence becomes \ufffd, the replacement character.
 * (bpftrace sign-extends such bytes into escapes like \uffffff80, which
 * decode to other text; this keeps the output strict JSON and valid
 * UTF-8 whatever the bytes.) no_space drops spaces, as bpftrace does in
 * map keys. */
void pr_json_body(FILE *out, const char *s, size_t len, bool no_space)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		unsigned char c = p[i];

		if (c >= 0x80) {
			n = pr_utf8_len(p + i, len - i);
			if (n)
				fwrite(p + i, 1, n, out);
			else
				fputs("\\ufffd", out);
			i += n ? n : 1;
			continue;
		}
		i++;
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\r')
			fputs("\\r", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else if (c != ' ' || !no_space)
			fputc(c, out);
	}
}

void rt_json_string(FILE *out, const char *s, size_t len)
{
	fputc('"', out);
	pr_json_body(out, s, len, false);
	fputc('"', out);
}

/* Whether v survives a round trip through a double. Like bpftrace, a
 * number that does not is written as a string, so that no JSON reader
 * silently rounds it (RFC 8259 section 6). */
static bool pr_json_exact(unsigned long long v, bool sgn)
{
	double d;

	if (sgn) {
		d = (double)(long long)v;
		return d < 9223372036854775808.0 &&
		       (long long)d == (long long)v;
	}
	d = (double)v;
	return d < 18446744073709551616.0 && (unsigned long long)d == v;
}

/* An integer: in JSON a number, or a string when a double cannot hold it */
void pr_num(FILE *out, unsigned long long v, bool sgn, bool json)
{
	bool quote = json && !pr_json_exact(v, sgn);

	if (quote)
		fputc('"', out);
	if (sgn)
		fprintf(out, "%lld", (long long)v);
	else
		fprintf(out, "%llu", v);
	if (quote)
		fputc('"', out);
}

/* A map's JSON object type: bpftrace files AVG under stats too. */
static const char *pr_json_type(const struct rt_map *m)
{
	switch (m->agg) {
	case RT_AGG_AVG:
	case RT_AGG_STATS:
		return "stats";
	case RT_AGG_HIST:
	case RT_AGG_LHIST:
		return "hist";
	default:
		return "map";
	}
}

/* {"type": "map", "data": {"@name": VALUE}}: this writes up to VALUE */
void pr_json_open(FILE *out, const struct rt_map *m)
{
	fprintf(out, "{\"type\": \"%s\", \"data\": {", pr_json_type(m));
	rt_json_string(out, m->name, strlen(m->name));
	fputs(": ", out);
}
