/* SPDX-License-Identifier: GPL-2.0-or-later */
/* printf format strings: fmt_parse() splits one into literal text and
 * conversions (bpftrace's set: d i u x X o s c p, flags, width, precision,
 * length modifiers), fmt_print() prints a record's values with it. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include "arena.h"
#include "stdlib/format.h"

/* Bounds the numbers a format can carry, so they stay far from int
 * overflow when handed to the C library. */
#define FMT_MAX_NUMBER 65535

struct fmt_parser {
	const char *s;
	size_t len;
	struct fmt *out;
	size_t cap;
	char *lit;		/* literal text being collected */
	size_t lit_len, lit_cap;
	unsigned lit_begin;
	char *err;
	size_t errlen;
	unsigned *err_off;
};

/* Quote format bytes for a message: a control byte would break the
 * diagnostic line, so it is escaped. */
static void fmt_quote(char *dst, size_t dstlen, const char *s, size_t n)
{
	size_t o = 0, i;

	for (i = 0; i < n && o + 5 < dstlen; i++) {
		unsigned char c = s[i];

		if (c == '\n')
			o += snprintf(dst + o, dstlen - o, "\\n");
		else if (c == '\t')
			o += snprintf(dst + o, dstlen - o, "\\t");
		else if (c < 0x20 || c >= 0x7f)
			o += snprintf(dst + o, dstlen - o, "\\x%02x", c);
		else
			dst[o++] = c;
	}
	dst[o] = 0;
}

__attribute__((format(printf, 3, 4)))
static int fmt_error(struct fmt_parser *ps, size_t off, const char *fmt, ...)
{
	va_list ap;

	if (ps->err && ps->errlen) {
		va_start(ap, fmt);
		vsnprintf(ps->err, ps->errlen, fmt, ap);
		va_end(ap);
	}
	if (ps->err_off)
		*ps->err_off = off;
	return -1;
}

static void fmt_push(struct fmt_parser *ps, const struct fmt_spec *sp)
{
	struct fmt *f = ps->out;

	if (f->nspecs == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 8;
		f->specs = xrealloc(f->specs, ps->cap * sizeof(*f->specs));
	}
	f->specs[f->nspecs++] = *sp;
	if (sp->conv != FMT_LITERAL)
		f->nargs++;
}

static void fmt_lit_add(struct fmt_parser *ps, char c, size_t off)
{
	if (!ps->lit_len)
		ps->lit_begin = off;
	if (ps->lit_len + 1 >= ps->lit_cap) {
		ps->lit_cap = ps->lit_cap ? ps->lit_cap * 2 : 64;
		ps->lit = xrealloc(ps->lit, ps->lit_cap);
	}
	ps->lit[ps->lit_len++] = c;
}

/* Text between conversions (with %% folded in) becomes one spec. */
static void fmt_lit_flush(struct fmt_parser *ps, size_t end)
{
	struct fmt_spec sp = { .conv = FMT_LITERAL };
	char *text;

	if (!ps->lit_len)
		return;
	text = xmalloc(ps->lit_len + 1);
	memcpy(text, ps->lit, ps->lit_len);
	text[ps->lit_len] = 0;
	sp.text = text;
	sp.len = ps->lit_len;
	sp.width = sp.precision = -1;
	sp.begin = ps->lit_begin;
	sp.end = end;
	fmt_push(ps, &sp);
	ps->lit_len = 0;
}

static int fmt_conv_of(char c, enum fmt_conv *conv)
{
	static const struct {
		char c;
		enum fmt_conv conv;
	} convs[] = {
		{ 'd', FMT_INT }, { 'i', FMT_INT }, { 'u', FMT_UINT },
		{ 'x', FMT_HEX }, { 'X', FMT_HEX_UPPER }, { 'o', FMT_OCT },
		{ 's', FMT_STR }, { 'c', FMT_CHAR }, { 'p', FMT_PTR },
	};
	size_t i;

	for (i = 0; i < sizeof(convs) / sizeof(convs[0]); i++) {
		if (convs[i].c == c) {
			*conv = convs[i].conv;
			return 0;
		}
	}
	return -1;
}

static void fmt_flags(struct fmt_parser *ps, size_t *i, struct fmt_spec *sp)
{
	for (; *i < ps->len; (*i)++) {
		char c = ps->s[*i];

		if (c == '-')
			sp->left = true;
		else if (c == '0')
			sp->zero = true;
		else if (c == '+')
			sp->plus = true;
		else if (c == ' ')
			sp->space = true;
		else if (c == '#')
			sp->alt = true;
		else
			return;
	}
}

/* A width or precision: digits only; '*' would need a run-time argument
 * that printf records do not carry. */
static int fmt_number(struct fmt_parser *ps, size_t *i, int *val,
		      const char *what)
{
	size_t start = *i;
	long n = 0;

	if (*i < ps->len && ps->s[*i] == '*')
		return fmt_error(ps, *i, "%s '*' is not supported", what);
	for (; *i < ps->len && ps->s[*i] >= '0' && ps->s[*i] <= '9'; (*i)++) {
		n = n * 10 + (ps->s[*i] - '0');
		if (n > FMT_MAX_NUMBER)
			return fmt_error(ps, start, "%s too large (at most %d)",
					 what, FMT_MAX_NUMBER);
	}
	*val = *i > start ? (int)n : -1;
	return 0;
}

/* h, hh, l, ll, z, j; hh and ll are stored as 'H' and 'L'. */
static void fmt_length(struct fmt_parser *ps, size_t *i, struct fmt_spec *sp)
{
	char c = *i < ps->len ? ps->s[*i] : 0;

	if (c == 'z' || c == 'j') {
		sp->length = c;
		(*i)++;
	} else if (c == 'h' || c == 'l') {
		sp->length = c;
		(*i)++;
		if (*i < ps->len && ps->s[*i] == c) {
			sp->length = c == 'h' ? 'H' : 'L';
			(*i)++;
		}
	}
}

/* One conversion starting at the '%' at *pos; leaves *pos after it. */
static int fmt_parse_conv(struct fmt_parser *ps, size_t *pos)
{
	struct fmt_spec sp = { .width = -1, .precision = -1 };
	size_t begin = *pos, i = begin + 1;
	char q[64];

	sp.begin = begin;
	fmt_flags(ps, &i, &sp);
	if (fmt_number(ps, &i, &sp.width, "width"))
		return -1;
	if (i < ps->len && ps->s[i] == '.') {
		i++;
		if (fmt_number(ps, &i, &sp.precision, "precision"))
			return -1;
		if (sp.precision < 0)
			sp.precision = 0;	/* "%.d" is C's precision 0 */
	}
	fmt_length(ps, &i, &sp);
	if (i >= ps->len) {
		fmt_quote(q, sizeof(q), ps->s + begin, i - begin);
		return fmt_error(ps, begin, "incomplete conversion '%s' at end "
				 "of format", q);
	}
	fmt_quote(q, sizeof(q), ps->s + begin, i + 1 - begin);
	if (fmt_conv_of(ps->s[i], &sp.conv))
		return fmt_error(ps, i, "invalid conversion '%s'", q);
	if (sp.length && (sp.conv == FMT_STR || sp.conv == FMT_CHAR ||
			  sp.conv == FMT_PTR))
		return fmt_error(ps, i, "length modifier not allowed in '%s'",
				 q);
	sp.end = i + 1;
	fmt_push(ps, &sp);
	*pos = i + 1;
	return 0;
}

int fmt_parse(const char *s, size_t len, struct fmt *out, char *err,
	      size_t errlen, unsigned *err_off)
{
	struct fmt_parser ps = {
		.s = s, .len = len, .out = out,
		.err = err, .errlen = errlen, .err_off = err_off,
	};
	size_t i = 0;

	memset(out, 0, sizeof(*out));
	while (i < len) {
		if (s[i] != '%') {
			fmt_lit_add(&ps, s[i], i);
			i++;
		} else if (i + 1 < len && s[i + 1] == '%') {
			fmt_lit_add(&ps, '%', i);
			i += 2;
		} else {
			fmt_lit_flush(&ps, i);
			if (fmt_parse_conv(&ps, &i))
				goto fail;
		}
	}
	fmt_lit_flush(&ps, len);
	free(ps.lit);
	return 0;
fail:
	free(ps.lit);
	fmt_free(out);
	return -1;
}

void fmt_free(struct fmt *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->nspecs; i++)
		free((char *)f->specs[i].text);
	free(f->specs);
	memset(f, 0, sizeof(*f));
}

/* Rebuild a C conversion from a spec; conv is the C conversion letter. */
static void fmt_cspec(char *buf, size_t size, const struct fmt_spec *sp,
		      bool length, char conv)
{
	static const char *const lengths[] = {
		['h'] = "h", ['H'] = "hh", ['l'] = "l", ['L'] = "ll",
		['z'] = "z", ['j'] = "j",
	};
	size_t o = 0;

	buf[o++] = '%';
	if (sp->left)
		buf[o++] = '-';
	if (sp->zero)
		buf[o++] = '0';
	if (sp->plus)
		buf[o++] = '+';
	if (sp->space)
		buf[o++] = ' ';
	if (sp->alt)
		buf[o++] = '#';
	if (sp->width >= 0)
		o += snprintf(buf + o, size - o, "%d", sp->width);
	if (sp->precision >= 0)
		o += snprintf(buf + o, size - o, ".%d", sp->precision);
	if (length && sp->length > 0 && sp->length <= 'z' &&
	    lengths[sp->length])
		o += snprintf(buf + o, size - o, "%s", lengths[sp->length]);
	snprintf(buf + o, size - o, "%c", conv);
}

/* %s, or any conversion given a string: only '-', width and precision
 * mean something for text. */
static void fmt_print_str(FILE *out, const struct fmt_spec *sp,
			  const char *s, size_t slen)
{
	size_t n = s ? strnlen(s, slen) : 0;

	if (sp->precision >= 0 && (size_t)sp->precision < n)
		n = sp->precision;
	fprintf(out, sp->left ? "%-*.*s" : "%*.*s",
		sp->width < 0 ? 0 : sp->width, (int)n, s ? s : "");
}

/* C passes an integer at the width the length modifier names: cast to
 * it so the value is cut exactly as printf would cut it. */
static void fmt_print_signed(FILE *out, const char *cf, int length,
			     unsigned long long u)
{
	if (length == 'h')
		fprintf(out, cf, (int)(short)u);
	else if (length == 'H')
		fprintf(out, cf, (int)(signed char)u);
	else if (length == 'l')
		fprintf(out, cf, (long)u);
	else if (length == 'L')
		fprintf(out, cf, (long long)u);
	else if (length == 'z')
		fprintf(out, cf, (ssize_t)u);
	else if (length == 'j')
		fprintf(out, cf, (intmax_t)u);
	else
		fprintf(out, cf, (int)u);
}

static void fmt_print_unsigned(FILE *out, const char *cf, int length,
			       unsigned long long u)
{
	if (length == 'h')
		fprintf(out, cf, (unsigned)(unsigned short)u);
	else if (length == 'H')
		fprintf(out, cf, (unsigned)(unsigned char)u);
	else if (length == 'l')
		fprintf(out, cf, (unsigned long)u);
	else if (length == 'L')
		fprintf(out, cf, u);
	else if (length == 'z')
		fprintf(out, cf, (size_t)u);
	else if (length == 'j')
		fprintf(out, cf, (uintmax_t)u);
	else
		fprintf(out, cf, (unsigned)u);
}

static void fmt_pad(FILE *out, int n, char c)
{
	for (; n > 0; n--)
		fputc(c, out);
}

/* %p: "0x" and the hex digits, as bpftrace shows a pointer (glibc would
 * print "(nil)" for zero). Precision is the least number of digits; the
 * '0' flag pads between "0x" and the digits. */
static void fmt_print_ptr(FILE *out, const struct fmt_spec *sp,
			  unsigned long long u)
{
	char digits[32];
	int n = snprintf(digits, sizeof(digits), "%llx", u);
	int ndig = sp->precision > n ? sp->precision : n;
	int pad = sp->width - 2 - ndig;

	if (sp->zero && !sp->left && sp->precision < 0 && pad > 0) {
		ndig += pad;
		pad = 0;
	}
	if (!sp->left)
		fmt_pad(out, pad, ' ');
	fputs("0x", out);
	fmt_pad(out, ndig - n, '0');
	fputs(digits, out);
	if (sp->left)
		fmt_pad(out, pad, ' ');
}

static void fmt_print_int_as_str(FILE *out, const struct fmt_spec *sp,
				 const struct fmt_arg *a)
{
	char buf[32];

	snprintf(buf, sizeof(buf), a->is_signed ? "%lld" : "%llu", a->u);
	fmt_print_str(out, sp, buf, sizeof(buf));
}

static void fmt_print_conv(FILE *out, const struct fmt_spec *sp,
			   const struct fmt_arg *a)
{
	static const char letters[] = {
		[FMT_INT] = 'd', [FMT_UINT] = 'u', [FMT_HEX] = 'x',
		[FMT_HEX_UPPER] = 'X', [FMT_OCT] = 'o',
	};
	struct fmt_spec text = *sp;
	char cf[48];

	if (a->kind == FMT_ARG_STR) {
		/* sema rejects this; print the text rather than garbage */
		fmt_print_str(out, sp, a->s, a->slen);
		return;
	}
	switch (sp->conv) {
	case FMT_STR:
		fmt_print_int_as_str(out, sp, a);
		break;
	case FMT_CHAR:
		text.precision = -1;
		text.zero = text.plus = text.space = text.alt = false;
		fmt_cspec(cf, sizeof(cf), &text, false, 'c');
		fprintf(out, cf, (int)(unsigned char)a->u);
		break;
	case FMT_PTR:
		fmt_print_ptr(out, sp, a->u);
		break;
	case FMT_INT:
		fmt_cspec(cf, sizeof(cf), sp, true, 'd');
		fmt_print_signed(out, cf, sp->length, a->u);
		break;
	default:
		fmt_cspec(cf, sizeof(cf), sp, true, letters[sp->conv]);
		fmt_print_unsigned(out, cf, sp->length, a->u);
		break;
	}
}

void fmt_print(FILE *out, const struct fmt *f, const struct fmt_arg *args)
{
	static const struct fmt_arg none = { .kind = FMT_ARG_INT };
	size_t i, arg = 0;

	for (i = 0; i < f->nspecs; i++) {
		const struct fmt_spec *sp = &f->specs[i];

		if (sp->conv == FMT_LITERAL) {
			fwrite(sp->text, 1, sp->len, out);
			continue;
		}
		fmt_print_conv(out, sp, args ? &args[arg] : &none);
		arg++;
	}
}
