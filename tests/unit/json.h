/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A strict JSON validator for the tests (RFC 8259, UTF-8 per RFC 3629):
 * json_valid() checks one JSON text and can decode a top-level string,
 * json_lines_valid() checks output of one JSON text per line. */
#ifndef SCRY_TEST_JSON_H
#define SCRY_TEST_JSON_H
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct jp {
	const unsigned char *s, *end;
	char *dec;		/* a string's decoded bytes, when not NULL */
	size_t dlen;
};

static inline void j_ws(struct jp *p)
{
	while (p->s < p->end && *p->s && strchr(" \t\n\r", *p->s))
		p->s++;
}

static inline bool j_lit(struct jp *p, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(p->end - p->s) < n || memcmp(p->s, w, n))
		return false;
	p->s += n;
	return true;
}

static inline void j_put(struct jp *p, unsigned long cp)
{
	unsigned char b[4];
	size_t n;

	if (!p->dec)
		return;
	if (cp < 0x80) {
		b[0] = cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = 0xc0 | cp >> 6;
		b[1] = 0x80 | (cp & 0x3f);
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = 0xe0 | cp >> 12;
		b[1] = 0x80 | (cp >> 6 & 0x3f);
		b[2] = 0x80 | (cp & 0x3f);
		n = 3;
	} else {
		b[0] = 0xf0 | cp >> 18;
		b[1] = 0x80 | (cp >> 12 & 0x3f);
		b[2] = 0x80 | (cp >> 6 & 0x3f);
		b[3] = 0x80 | (cp & 0x3f);
		n = 4;
	}
	memcpy(p->dec + p->dlen, b, n);
	p->dlen += n;
}

/* Decode one UTF-8 sequence: its length, or 0 when it is ill-formed
 * (bad continuation, overlong, surrogate, above U+10FFFF, cut short). */
static inline size_t utf8_decode(const unsigned char *s, size_t n,
				 unsigned long *cp)
{
	static const unsigned long least[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len, i;

	if (s[0] < 0x80)
		len = 1;
	else if ((s[0] & 0xe0) == 0xc0)
		len = 2;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3;
	else if ((s[0] & 0xf8) == 0xf0)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	*cp = len == 1 ? s[0] : s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	if (*cp < least[len] || *cp > 0x10ffff ||
	    (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return len;
}

static inline long j_hex4(struct jp *p)
{
	long v = 0;
	int i;

	if (p->end - p->s < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		unsigned char c = *p->s++;

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* \uXXXX, a surrogate pair only as a pair */
static inline bool j_unicode(struct jp *p)
{
	long hi = j_hex4(p), lo;

	if (hi < 0 || (hi >= 0xdc00 && hi <= 0xdfff))
		return false;
	if (hi >= 0xd800 && hi <= 0xdbff) {
		if (!j_lit(p, "\\u"))
			return false;
		lo = j_hex4(p);
		if (lo < 0xdc00 || lo > 0xdfff)
			return false;
		hi = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
	}
	j_put(p, hi);
	return true;
}

static inline bool j_escape(struct jp *p)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e;

	if (p->s >= p->end)
		return false;
	if (*p->s == 'u') {
		p->s++;
		return j_unicode(p);
	}
	e = *p->s ? strchr(from, *p->s) : NULL;
	if (!e)
		return false;
	p->s++;
	j_put(p, (unsigned char)to[e - from]);
	return true;
}

static inline bool j_string(struct jp *p)
{
	unsigned long cp;
	size_t n;

	if (!j_lit(p, "\""))
		return false;
	while (p->s < p->end && *p->s != '"') {
		if (*p->s < 0x20)
			return false;
		if (*p->s == '\\') {
			p->s++;
			if (!j_escape(p))
				return false;
			continue;
		}
		n = utf8_decode(p->s, p->end - p->s, &cp);
		if (!n)
			return false;
		j_put(p, cp);
		p->s += n;
	}
	return j_lit(p, "\"");
}

static inline bool j_digits(struct jp *p)
{
	const unsigned char *s = p->s;

	while (p->s < p->end && *p->s >= '0' && *p->s <= '9')
		p->s++;
	return p->s > s;
}

static inline bool j_number(struct jp *p)
{
	j_lit(p, "-");
	if (!j_lit(p, "0") && !(p->s < p->end && *p->s >= '1' &&
				*p->s <= '9' && j_digits(p)))
		return false;
	if (j_lit(p, ".") && !j_digits(p))
		return false;
	if (j_lit(p, "e") || j_lit(p, "E")) {
		if (!j_lit(p, "+"))
			j_lit(p, "-");
		return j_digits(p);
	}
	return true;
}

static inline bool j_value(struct jp *p, int depth);

/* members (object) or elements (array) up to close */
static inline bool j_items(struct jp *p, int depth, bool object,
			   const char *close)
{
	char *dec = p->dec;
	bool ok;

	j_ws(p);
	if (j_lit(p, close))
		return true;
	do {
		j_ws(p);
		if (object) {
			p->dec = NULL;
			ok = j_string(p);
			p->dec = dec;
			j_ws(p);
			if (!ok || !j_lit(p, ":"))
				return false;
		}
		if (!j_value(p, depth + 1))
			return false;
		j_ws(p);
	} while (j_lit(p, ","));
	return j_lit(p, close);
}

static inline bool j_value(struct jp *p, int depth)
{
	char *dec = p->dec;
	bool ok;

	j_ws(p);
	if (depth > 64 || p->s >= p->end)
		return false;
	if (*p->s == '"')
		return j_string(p);
	p->dec = NULL;	/* decode only a top-level string */
	if (j_lit(p, "{"))
		ok = j_items(p, depth, true, "}");
	else if (j_lit(p, "["))
		ok = j_items(p, depth, false, "]");
	else
		ok = j_lit(p, "true") || j_lit(p, "false") ||
		     j_lit(p, "null") || j_number(p);
	p->dec = dec;
	return ok;
}

/* One JSON text; a string's decoded bytes go to dec (room for len). */
static inline bool json_valid(const char *s, size_t len, char *dec,
			      size_t *dlen)
{
	struct jp p = { (const unsigned char *)s,
			(const unsigned char *)s + len, dec, 0 };
	bool ok = j_value(&p, 0);

	j_ws(&p);
	if (dlen)
		*dlen = p.dlen;
	return ok && p.s == p.end;
}

/* Every line a JSON text, each ended by a newline. */
static inline bool json_lines_valid(const char *buf)
{
	const char *nl;

	for (; buf && *buf; buf = nl + 1) {
		nl = strchr(buf, '\n');
		if (!nl || !json_valid(buf, nl - buf, NULL, NULL))
			return false;
	}
	return buf != NULL;
}

#endif
