/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parser for tracefs event "format" files. It works on a byte span with
 * explicit lengths (no NUL terminator, no file I/O) so it can be fed
 * truncated or hostile input and captured files from any kernel. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "runtime/tpformat.h"

/* A slice of the input buffer; never NUL-terminated. */
struct tpf_span {
	const char *p;
	size_t n;
};

struct tpf_parser {
	const char *buf;
	size_t len, pos;
	unsigned line;		/* 1-based number of the current line */
	char *err;
	size_t errlen;
	struct tpf_format *out;
	size_t cap;
};

static int tpf_fail(struct tpf_parser *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int tpf_fail(struct tpf_parser *ps, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n = 0;

	if (!ps->err || !ps->errlen)
		return -EINVAL;
	if (ps->line)
		n = snprintf(ps->err, ps->errlen, "line %u: ", ps->line);
	if (n < 0 || (size_t)n >= ps->errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(ps->err + n, ps->errlen - n, fmt, ap);
	va_end(ap);
	/* the reason quotes input text: keep it one printable line */
	for (p = ps->err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return -EINVAL;
}

static bool tpf_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool tpf_is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static struct tpf_span tpf_trim(struct tpf_span s)
{
	while (s.n && tpf_is_space(*s.p)) {
		s.p++;
		s.n--;
	}
	while (s.n && tpf_is_space(s.p[s.n - 1]))
		s.n--;
	return s;
}

/* If s starts with the literal lit, step over it and return true. */
static bool tpf_eat(struct tpf_span *s, const char *lit)
{
	size_t n = strlen(lit);

	if (s->n < n || memcmp(s->p, lit, n))
		return false;
	s->p += n;
	s->n -= n;
	return true;
}

static bool tpf_span_is(struct tpf_span s, const char *lit)
{
	return s.n == strlen(lit) && !memcmp(s.p, lit, s.n);
}

/* A decimal number filling all of s; false if empty, not digits, or
 * larger than UINT_MAX. */
static bool tpf_uint(struct tpf_span s, unsigned *v)
{
	unsigned long long x = 0;
	size_t i;

	if (!s.n)
		return false;
	for (i = 0; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
		x = x * 10 + (unsigned)(s.p[i] - '0');
		if (x > UINT_MAX)
			return false;
	}
	*v = (unsigned)x;
	return true;
}

static char *tpf_strdup(struct tpf_span s)
{
	char *p = xmalloc(s.n + 1);

	memcpy(p, s.p, s.n);
	p[s.n] = '\0';
	return p;
}

/* The next line (without its '\n'); false at the end of the buffer. */
static bool tpf_next_line(struct tpf_parser *ps, struct tpf_span *line)
{
	const char *nl;
	size_t rest = ps->len - ps->pos;

	if (!rest)
		return false;
	line->p = ps->buf + ps->pos;
	nl = memchr(line->p, '\n', rest);
	line->n = nl ? (size_t)(nl - line->p) : rest;
	ps->pos += line->n + (nl ? 1 : 0);
	ps->line++;
	return true;
}

/* The size of an integer type named in a format file, or 0 if unknown;
 * used where the file does not say it: array elements whose count is a
 * macro, and __data_loc arrays. Assumes an LP64 kernel. */
static unsigned tpf_type_size(struct tpf_span t)
{
	static const struct {
		const char *name;
		unsigned size;
	} sizes[] = {
		{ "char", 1 }, { "signed char", 1 }, { "unsigned char", 1 },
		{ "u8", 1 }, { "s8", 1 }, { "__u8", 1 }, { "__s8", 1 },
		{ "uint8_t", 1 }, { "int8_t", 1 }, { "bool", 1 },
		{ "short", 2 }, { "unsigned short", 2 }, { "u16", 2 },
		{ "s16", 2 }, { "__u16", 2 }, { "__s16", 2 },
		{ "uint16_t", 2 }, { "int16_t", 2 },
		{ "int", 4 }, { "unsigned int", 4 }, { "unsigned", 4 },
		{ "u32", 4 }, { "s32", 4 }, { "__u32", 4 }, { "__s32", 4 },
		{ "uint32_t", 4 }, { "int32_t", 4 },
		{ "long", 8 }, { "unsigned long", 8 }, { "long long", 8 },
		{ "unsigned long long", 8 }, { "u64", 8 }, { "s64", 8 },
		{ "__u64", 8 }, { "__s64", 8 }, { "uint64_t", 8 },
		{ "int64_t", 8 },
	};
	size_t i;

	tpf_eat(&t, "const ");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (tpf_span_is(t, sizes[i].name))
			return sizes[i].size;
	return 0;
}

/* Old kernels (before 2.6.33) print no "signed:"; guess from the type. */
static bool tpf_guess_signed(const char *type)
{
	static const char *const signed_types[] = {
		"char", "short", "int", "long", "long long", "s8", "s16",
		"s32", "s64", "__s8", "__s16", "__s32", "__s64", "int8_t",
		"int16_t", "int32_t", "int64_t", "pid_t", "ssize_t", "loff_t",
		"off_t", "time64_t", "clockid_t",
	};
	size_t i;

	if (!strncmp(type, "const ", 6))
		type += 6;
	if (!strncmp(type, "signed ", 7))
		return true;
	for (i = 0; i < sizeof(signed_types) / sizeof(signed_types[0]); i++)
		if (!strcmp(type, signed_types[i]))
			return true;
	return false;
}

static bool tpf_is_int_size(unsigned size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

static bool tpf_is_aggregate(const char *type)
{
	if (!strncmp(type, "const ", 6))
		type += 6;
	return !strncmp(type, "struct ", 7) || !strncmp(type, "union ", 6);
}

static bool tpf_is_char(const char *type)
{
	return !strcmp(type, "char") || !strcmp(type, "const char");
}

/* "__data_loc T[]": a u32 holding (len << 16 | offset) of a dynamic
 * array; a "char" one is a string. "__rel_loc" (5.18+) stores the
 * offset relative to the end of the field, which TPF_DATA_LOC_* does
 * not describe, so it is left TPF_OTHER for the consumer to reject. */
static void tpf_classify_data_loc(struct tpf_field *f)
{
	struct tpf_span elem = { f->type, strlen(f->type) };

	f->kind = TPF_OTHER;
	if (!tpf_eat(&elem, "__data_loc "))
		return;
	elem = tpf_trim(elem);
	if (elem.n >= 2 && !memcmp(elem.p + elem.n - 2, "[]", 2))
		elem.n -= 2;
	elem = tpf_trim(elem);
	if (tpf_span_is(elem, "char") || tpf_span_is(elem, "const char")) {
		f->kind = TPF_DATA_LOC_STR;
		f->elem_size = 1;
	} else {
		f->kind = TPF_DATA_LOC_ARRAY;
		f->elem_size = tpf_type_size(elem);
		if (!f->elem_size)
			f->elem_size = 1;
	}
}

/* An array "T name[dim]". dim is normally a number, but can be empty (a
 * flexible tail of size 0) or, on 5.17-5.19, a name like TASK_COMM_LEN;
 * then the element size comes from the type and the count from size.
 * elem_size is never 0 for arrays: printers use it to spot them. */
static void tpf_classify_array(struct tpf_field *f, struct tpf_span dim)
{
	struct tpf_span type = { f->type, strlen(f->type) };
	bool is_char = tpf_is_char(f->type);
	unsigned n, elem = is_char ? 1 : tpf_type_size(type);

	f->kind = TPF_OTHER;
	if (tpf_uint(dim, &n) && n) {
		f->count = n;
		f->elem_size = f->size % n ? 0 : f->size / n;
	} else if (elem && !(f->size % elem)) {
		f->count = f->size / elem;
		f->elem_size = elem;
	}
	if (!f->elem_size || (is_char && f->elem_size != 1)) {
		f->elem_size = 1;	/* unknown layout: a byte array */
		f->count = f->size;
	} else if (is_char) {
		f->kind = TPF_CHAR_ARRAY;
	} else if (tpf_is_int_size(f->elem_size) && !strchr(f->type, '*') &&
		   !tpf_is_aggregate(f->type)) {
		f->kind = TPF_INT_ARRAY;
	}
}

static void tpf_classify_scalar(struct tpf_field *f)
{
	f->kind = TPF_OTHER;
	if (strchr(f->type, '*')) {
		if (f->size == 4 || f->size == 8)
			f->kind = TPF_PTR;
	} else if (tpf_is_int_size(f->size) && !tpf_is_aggregate(f->type)) {
		f->kind = TPF_INT;
	}
}

/* Split a declaration such as "const char * filename", "char comm[16]"
 * or "__data_loc char[] name" into type, name and array dimension. */
static int tpf_parse_decl(struct tpf_parser *ps, struct tpf_span decl,
			  struct tpf_field *f, struct tpf_span *dim,
			  bool *is_array)
{
	struct tpf_span name;
	const char *lb;

	decl = tpf_trim(decl);
	*is_array = decl.n && decl.p[decl.n - 1] == ']';
	if (*is_array) {
		lb = decl.p + decl.n - 1;
		while (lb > decl.p && *lb != '[')
			lb--;
		if (*lb != '[')
			return tpf_fail(ps, "unbalanced ']' in field");
		dim->p = lb + 1;
		dim->n = (size_t)(decl.p + decl.n - 1 - dim->p);
		*dim = tpf_trim(*dim);
		decl.n = (size_t)(lb - decl.p);
		decl = tpf_trim(decl);
	}
	name.n = 0;
	while (name.n < decl.n && tpf_is_ident(decl.p[decl.n - 1 - name.n]))
		name.n++;
	name.p = decl.p + decl.n - name.n;
	if (!name.n)
		return tpf_fail(ps, "field has no name");
	decl.n -= name.n;
	decl = tpf_trim(decl);
	if (!decl.n)
		return tpf_fail(ps, "field '%.*s' has no type", (int)name.n,
				name.p);
	f->name = tpf_strdup(name);
	f->type = tpf_strdup(decl);
	return 0;
}

/* One "key:value" attribute of a field. Unknown keys are skipped so
 * that additions in newer kernels still parse. */
static int tpf_parse_attr(struct tpf_parser *ps, struct tpf_span item,
			  struct tpf_field *f, unsigned *seen)
{
	static const char *const keys[] = { "offset", "size", "signed" };
	const char *colon = memchr(item.p, ':', item.n);
	struct tpf_span key, val;
	unsigned i, v;

	item = tpf_trim(item);
	if (!colon)
		return tpf_fail(ps, "field '%s': bad attribute '%.*s'",
				f->name, (int)(item.n > 32 ? 32 : item.n),
				item.p);
	key = tpf_trim((struct tpf_span){ item.p, (size_t)(colon - item.p) });
	val = tpf_trim((struct tpf_span){ colon + 1,
		(size_t)(item.p + item.n - colon - 1) });
	for (i = 0; i < 3 && !tpf_span_is(key, keys[i]); i++)
		;
	if (i == 3)
		return 0;
	if (!tpf_uint(val, &v) || (i == 2 && v > 1))
		return tpf_fail(ps, "field '%s': bad '%s:' value '%.*s'",
				f->name, keys[i], (int)(val.n > 32 ? 32 : val.n),
				val.p);
	if (i == 0)
		f->offset = v;
	else if (i == 1)
		f->size = v;
	else
		f->is_signed = v;
	*seen |= 1u << i;
	return 0;
}

/* The "offset:N;	size:N;	signed:N;" attributes after the declaration;
 * kernels before 2.6.33 print no "signed:". */
static int tpf_parse_attrs(struct tpf_parser *ps, struct tpf_span s,
			   struct tpf_field *f, bool *has_signed)
{
	unsigned seen = 0;
	const char *semi;
	int err;

	for (s = tpf_trim(s); s.n; s = tpf_trim(s)) {
		semi = memchr(s.p, ';', s.n);
		if (!semi)
			return tpf_fail(ps, "field '%s': missing ';'", f->name);
		err = tpf_parse_attr(ps, (struct tpf_span){ s.p,
				     (size_t)(semi - s.p) }, f, &seen);
		if (err)
			return err;
		s.n -= (size_t)(semi - s.p) + 1;
		s.p = semi + 1;
	}
	if ((seen & 3) != 3)
		return tpf_fail(ps, "field '%s': missing '%s'", f->name,
				seen & 1 ? "size:" : "offset:");
	*has_signed = seen & 4;
	return 0;
}

/* One "field:DECL;	offset:N;	size:N;	signed:N;" line, after
 * "field:". Blanks around DECL are allowed: header_page writes
 * "field: u64 timestamp;", and event files may follow its lead. */
static int tpf_parse_field(struct tpf_parser *ps, struct tpf_span s)
{
	struct tpf_format *out = ps->out;
	struct tpf_field *f;
	struct tpf_span decl, dim = { NULL, 0 };
	const char *semi = memchr(s.p, ';', s.n);
	bool is_array, has_signed = false;
	int err;

	if (!semi)
		return tpf_fail(ps, "field without ';'");
	if (out->nfields == ps->cap) {
		ps->cap = ps->cap ? 2 * ps->cap : 16;
		out->fields = xrealloc(out->fields,
				       ps->cap * sizeof(*out->fields));
	}
	f = &out->fields[out->nfields++];
	memset(f, 0, sizeof(*f));
	decl.p = s.p;
	decl.n = (size_t)(semi - s.p);
	err = tpf_parse_decl(ps, decl, f, &dim, &is_array);
	if (!err)
		err = tpf_parse_attrs(ps, (struct tpf_span){ semi + 1,
				      s.n - decl.n - 1 }, f, &has_signed);
	if (err)
		return err;
	if (!has_signed)
		f->is_signed = tpf_guess_signed(f->type);
	f->common = !strncmp(f->name, "common_", 7);
	if (!strncmp(f->type, "__data_loc ", 11) ||
	    !strncmp(f->type, "__rel_loc ", 10))
		tpf_classify_data_loc(f);
	else if (is_array)
		tpf_classify_array(f, dim);
	else
		tpf_classify_scalar(f);
	return 0;
}

/* The header lines before "format:". Unknown header lines are ignored
 * so that additions in newer kernels do not break parsing. */
static int tpf_parse_header(struct tpf_parser *ps, struct tpf_span line,
			    bool *has_id, bool *in_format)
{
	struct tpf_format *out = ps->out;

	if (tpf_eat(&line, "name:")) {
		line = tpf_trim(line);
		if (!line.n || out->name)
			return tpf_fail(ps, out->name ? "duplicate 'name:'"
						      : "empty 'name:'");
		out->name = tpf_strdup(line);
	} else if (tpf_eat(&line, "ID:")) {
		if (*has_id || !tpf_uint(tpf_trim(line), &out->id))
			return tpf_fail(ps, *has_id ? "duplicate 'ID:'"
						    : "bad 'ID:'");
		*has_id = true;
	} else if (tpf_span_is(tpf_trim(line), "format:")) {
		*in_format = true;
	}
	return 0;
}

/* The body: field lines until "print fmt:". Anything else there is an
 * error, which is what catches garbage and most truncations. */
static int tpf_parse_body(struct tpf_parser *ps, struct tpf_span line,
			  bool *done)
{
	struct tpf_span t = tpf_trim(line);

	if (!t.n)
		return 0;
	if (tpf_eat(&t, "field:"))
		return tpf_parse_field(ps, t);
	if (tpf_eat(&t, "print fmt:")) {
		*done = true;
		return 0;
	}
	return tpf_fail(ps, "expected 'field:', found '%.*s'",
			(int)(t.n > 32 ? 32 : t.n), t.p);
}

static int tpf_parse_lines(struct tpf_parser *ps)
{
	struct tpf_span line;
	bool has_id = false, in_format = false, done = false;
	int err = 0;

	while (!err && !done && tpf_next_line(ps, &line)) {
		if (memchr(line.p, '\0', line.n))
			err = tpf_fail(ps, "nul byte in format file");
		else if (in_format)
			err = tpf_parse_body(ps, line, &done);
		else
			err = tpf_parse_header(ps, line, &has_id, &in_format);
	}
	if (err)
		return err;
	ps->line = 0;
	if (!ps->out->name)
		return tpf_fail(ps, "missing 'name:'");
	if (!has_id)
		return tpf_fail(ps, "missing 'ID:'");
	if (!in_format)
		return tpf_fail(ps, "missing 'format:'");
	if (!ps->out->nfields)
		return tpf_fail(ps, "format has no fields");
	if (!done)
		return tpf_fail(ps, "missing 'print fmt:' (truncated file?)");
	return 0;
}

int tpf_parse(const char *buf, size_t len, struct tpf_format *out,
	      char *err, size_t errlen)
{
	struct tpf_parser ps = {
		.buf = buf, .len = buf ? len : 0, .err = err, .errlen = errlen,
		.out = out,
	};
	int rc;

	memset(out, 0, sizeof(*out));
	if (err && errlen)
		err[0] = '\0';
	rc = tpf_parse_lines(&ps);
	if (rc)
		tpf_free(out);
	return rc;
}

void tpf_free(struct tpf_format *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->nfields; i++) {
		free(f->fields[i].name);
		free(f->fields[i].type);
	}
	free(f->fields);
	free(f->name);
	memset(f, 0, sizeof(*f));
}

const struct tpf_field *tpf_field(const struct tpf_format *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nfields; i++)
		if (!strcmp(f->fields[i].name, name))
			return &f->fields[i];
	return NULL;
}
