/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Located error messages with source line and caret; system errors. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "diag.h"

/* Line starts of the last source asked about: codegen asks for every
 * statement's line, so a scan from the start each time would make a
 * large program quadratic. */
static struct {
	const struct source *src;
	const char *text;
	size_t len;
	unsigned *starts, n;
} lines;

void diag_init(struct diag *d, const struct source *src, FILE *out)
{
	lines.src = NULL;	/* a new compile: the line index is stale */
	memset(d, 0, sizeof(*d));
	d->src = src;
	d->out = out;
	d->max_errors = 20;
	d->color = isatty(fileno(out)) && !getenv("NO_COLOR");
}

static void index_lines(const struct source *src)
{
	unsigned cap = 64;

	if (lines.src == src && lines.text == src->text &&
	    lines.len == src->len)
		return;
	free(lines.starts);
	lines.starts = malloc(cap * sizeof(*lines.starts));
	lines.n = 0;
	if (lines.starts)
		lines.starts[lines.n++] = 0;
	for (size_t i = 0; lines.starts && i < src->len; i++) {
		if (src->text[i] != '\n')
			continue;
		if (lines.n == cap) {
			unsigned *p = realloc(lines.starts,
					      2 * cap * sizeof(*p));
			if (!p) {
				free(lines.starts);
				lines.starts = NULL;
				break;
			}
			lines.starts = p;
			cap *= 2;
		}
		lines.starts[lines.n++] = i + 1;
	}
	lines.src = src;
	lines.text = src->text;
	lines.len = src->len;
}

void diag_linecol(const struct source *src, unsigned off, unsigned *line,
		  unsigned *col)
{
	unsigned lo = 0, hi;

	if (off > src->len)
		off = src->len;
	index_lines(src);
	if (!lines.starts) {	/* no memory for the index: count */
		unsigned l = 1, c = 1;
		for (unsigned i = 0; i < off; i++, c++)
			if (src->text[i] == '\n') {
				l++;
				c = 0;
			}
		*line = l;
		*col = c;
		return;
	}
	hi = lines.n;
	while (hi - lo > 1) {	/* the last line start at or before off */
		unsigned mid = (lo + hi) / 2;
		if (lines.starts[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = lo + 1;
	*col = off - lines.starts[lo] + 1;
}

/* The length of the well-formed UTF-8 character at p (RFC 3629: no
 * overlong forms, surrogates or code points above U+10FFFF), or 0. */
static unsigned utf8_len(const unsigned char *p, size_t avail)
{
	unsigned n, lo = 0x80, hi = 0xbf;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (avail < n || p[1] < lo || p[1] > hi)
		return 0;
	for (unsigned i = 2; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* One column of a source line as shown, from text[i]: a character the
 * terminal shows as itself, or '?' for a control byte, a byte that is
 * not UTF-8 and the invisible byte-order mark. Returns how many bytes
 * the column covers. */
static unsigned show_column(FILE *out, const char *text, unsigned i,
			    unsigned end)
{
	const unsigned char *p = (const unsigned char *)text + i;
	unsigned n = utf8_len(p, end - i);

	if (n == 3 && !memcmp(p, "\xef\xbb\xbf", 3)) {
		fputc('?', out);
	} else if (n > 1) {
		fwrite(p, 1, n, out);
	} else {
		n = 1;
		fputc(p[0] == '\t' ? ' ' :
		      (p[0] < 0x20 || p[0] >= 0x7f) ? '?' : p[0], out);
	}
	return n;
}

/* Print the line holding loc.begin, then a caret and tildes under loc,
 * one column for each column of the line as shown. */
static void print_excerpt(struct diag *d, struct loc loc)
{
	const struct source *s = d->src;
	unsigned b = loc.begin > s->len ? s->len : loc.begin;
	unsigned ls = b, le = b, i, n, e;

	while (ls > 0 && s->text[ls - 1] != '\n')
		ls--;
	while (le < s->len && s->text[le] != '\n')
		le++;
	if (le - ls > 400) {	/* a huge line: show a window around b */
		if (b - ls > 200)
			ls = b - 200;
		if (le - b > 200)
			le = b + 200;
	}
	fputs("    ", d->out);
	for (i = ls; i < le; i += show_column(d->out, s->text, i, le))
		;
	fputs("\n    ", d->out);
	for (i = ls; i < b; i += n ? n : 1) {
		n = utf8_len((const unsigned char *)s->text + i, le - i);
		fputc(' ', d->out);
	}
	if (d->color)
		fputs("\033[1;32m", d->out);
	fputc('^', d->out);
	e = loc.end > le ? le : loc.end;
	n = utf8_len((const unsigned char *)s->text + b, le - b);
	for (i = b + (n ? n : 1); i < e; i += n ? n : 1) {
		n = utf8_len((const unsigned char *)s->text + i, e - i);
		fputc('~', d->out);
	}
	if (d->color)
		fputs("\033[0m", d->out);
	fputc('\n', d->out);
}

/* Names quoted in a message are cut to this many bytes, with "...": a
 * 100,000-character identifier would otherwise fill the terminal. The
 * parser cuts the tokens it quotes the same way. */
#define DIAG_QUOTE_MAX 40

/* Write the character at m[i] so that a terminal shows it as it is: a
 * control byte or a byte that is not UTF-8 becomes \xHH. m is
 * NUL-terminated, which stops utf8_len at its end. Returns its length. */
static unsigned put_char(FILE *out, const char *m, size_t i)
{
	const unsigned char *p = (const unsigned char *)m + i;
	unsigned n = utf8_len(p, 4);

	if (n > 1) {
		fwrite(p, 1, n, out);
		return n;
	}
	if (p[0] < 0x20 || p[0] >= 0x7f)
		fprintf(out, "\\x%02x", p[0]);
	else
		fputc(p[0], out);
	return 1;
}

/* Write a formatted message, each character through put_char. A quoted
 * run without spaces (a name, an attach point) longer than
 * DIAG_QUOTE_MAX and the "..." the parser adds is cut; a run with spaces
 * is prose or a string, and stays whole. */
static void put_message(FILE *out, const char *m)
{
	bool open = false;	/* inside a quoted run */
	size_t i = 0;

	while (m[i]) {
		const char *close = m[i] == '\'' && !open ?
				    strchr(m + i + 1, '\'') : NULL;
		size_t len = close ? (size_t)(close - m) - i - 1 : 0;

		if (close && len > DIAG_QUOTE_MAX + 3 &&
		    !memchr(m + i + 1, ' ', len)) {
			size_t cut = DIAG_QUOTE_MAX;
			/* on a character boundary */
			while (cut > 0 && (m[i + 1 + cut] & 0xc0) == 0x80)
				cut--;
			fputc('\'', out);
			for (size_t k = i + 1; k < i + 1 + cut; )
				k += put_char(out, m, k);
			fputs("...'", out);
			i = close - m + 1;
			continue;
		}
		if (m[i] == '\'')
			open = close ? true : false;
		i += put_char(out, m, i);
	}
}

static void put_formatted(FILE *out, const char *fmt, va_list ap)
{
	char *m = NULL;

	if (vasprintf(&m, fmt, ap) < 0) {
		fputs("(no memory for the message)", out);
		return;
	}
	put_message(out, m);
	free(m);
}

void diag_at(struct diag *d, enum diag_level lvl, struct loc loc,
	     const char *fmt, ...)
{
	static const char *const names[] = { "error", "warning", "note" };
	static const char *const colors[] = { "\033[1;31m", "\033[1;35m",
					      "\033[1;36m" };
	unsigned line, col;
	va_list ap;

	if (lvl == DIAG_ERROR)
		d->errors++;
	else if (lvl == DIAG_WARNING)
		d->warnings++;
	if (d->errors > d->max_errors || !d->out)
		return;
	diag_linecol(d->src, loc.begin, &line, &col);
	if (d->color)
		fputs("\033[1m", d->out);
	fprintf(d->out, "%s:%u:%u: ", d->src->name, line, col);
	if (d->color)
		fprintf(d->out, "%s%s:\033[0;1m ", colors[lvl], names[lvl]);
	else
		fprintf(d->out, "%s: ", names[lvl]);
	va_start(ap, fmt);
	put_formatted(d->out, fmt, ap);
	va_end(ap);
	if (d->color)
		fputs("\033[0m", d->out);
	fputc('\n', d->out);
	print_excerpt(d, loc);
}

void diag_plain_note(struct diag *d, const char *fmt, ...)
{
	va_list ap;

	if (d->errors > d->max_errors || !d->out)
		return;
	fputs("note: ", d->out);
	va_start(ap, fmt);
	put_formatted(d->out, fmt, ap);
	va_end(ap);
	fputc('\n', d->out);
}

void sys_error(const char *fmt, ...)
{
	va_list ap;

	fputs("scry: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void sys_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("scry: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static unsigned edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned *row, best;

	if (la > 128 || lb > 128)
		return ~0u;
	row = malloc((lb + 1) * sizeof(*row));
	if (!row)
		return ~0u;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		unsigned prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned cur = row[j];
			unsigned sub = prev + (a[i - 1] != b[j - 1]);
			unsigned del = row[j] + 1, ins = row[j - 1] + 1;
			row[j] = sub < del ? (sub < ins ? sub : ins)
					   : (del < ins ? del : ins);
			prev = cur;
		}
	}
	best = row[lb];
	free(row);
	return best;
}

const char *diag_closest(const char *name, const char *const *cands, size_t n)
{
	const char *best = NULL;
	unsigned bestd = ~0u, limit = strlen(name) / 3 + 1;

	for (size_t i = 0; i < n; i++) {
		unsigned dd = edit_distance(name, cands[i]);
		if (dd < bestd) {
			bestd = dd;
			best = cands[i];
		}
	}
	return bestd <= limit ? best : NULL;
}
