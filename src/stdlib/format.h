/* SPDX-License-Identifier: GPL-2.0-or-later */
/* printf-style format strings: parsed once at compile time (sema checks the
 * arguments against the conversions) and used again at run time to print a
 * record. */
#ifndef SCRY_FORMAT_H
#define SCRY_FORMAT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum fmt_conv {
	FMT_LITERAL,	/* text (with %% already turned into %) */
	FMT_INT,	/* d i */
	FMT_UINT,	/* u */
	FMT_HEX,	/* x */
	FMT_HEX_UPPER,	/* X */
	FMT_OCT,	/* o */
	FMT_STR,	/* s */
	FMT_CHAR,	/* c */
	FMT_PTR,	/* p */
};

struct fmt_spec {
	enum fmt_conv conv;
	const char *text;	/* FMT_LITERAL: the text (malloc'd, NUL-terminated) */
	size_t len;		/* FMT_LITERAL: its length */
	bool left, zero, plus, space, alt;	/* flags - 0 + ' ' # */
	int width;		/* -1: none */
	int precision;		/* -1: none */
	int length;		/* 0, 'h', 'H'(hh), 'l', 'L'(ll), 'z', 'j' */
	unsigned begin, end;	/* byte offsets of the conversion in fmt */
};

struct fmt {
	struct fmt_spec *specs;
	size_t nspecs;
	size_t nargs;		/* conversions that take an argument */
};

/* Parse a format string whose escapes (\n, \t, \\, \", \xHH, \NNN) have
 * already been decoded. Returns 0, or -1 with err set to a lowercase reason
 * (e.g. "invalid conversion '%q'") and *err_off to the offending byte. */
int fmt_parse(const char *s, size_t len, struct fmt *out, char *err,
	      size_t errlen, unsigned *err_off);
void fmt_free(struct fmt *f);

/* One argument's value at run time. */
struct fmt_arg {
	enum { FMT_ARG_INT, FMT_ARG_STR } kind;
	bool is_signed;
	unsigned long long u;	/* FMT_ARG_INT: the value (sign-extended) */
	const char *s;		/* FMT_ARG_STR: the string */
	size_t slen;		/* its length (stops at NUL or the buffer end) */
};

/* Print f with args (f->nargs of them) to out, as C printf would. */
void fmt_print(FILE *out, const struct fmt *f, const struct fmt_arg *args);

#endif
