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

/* Print the line holding loc.begin, then a caret and tildes under loc. */
static void print_excerpt(struct diag *d, struct loc loc)
{
	const struct source *s = d->src;
	unsigned b = loc.begin > s->len ? s->len : loc.begin;
	unsigned ls = b, le = b;

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
	for (unsigned i = ls; i < le; i++) {
		unsigned char ch = s->text[i];
		fputc(ch == '\t' ? ' ' : (ch < 0x20 || ch == 0x7f) ? '?' : ch,
		      d->out);
	}
	fputs("\n    ", d->out);
	for (unsigned i = ls; i < b; i++) {
		/* keep multibyte UTF-8 continuation bytes from shifting */
		if (((unsigned char)s->text[i] & 0xc0) != 0x80)
			fputc(' ', d->out);
	}
	if (d->color)
		fputs("\033[1;32m", d->out);
	fputc('^', d->out);
	unsigned e = loc.end > le ? le : loc.end;
	for (unsigned i = b + 1; i < e; i++)
		if (((unsigned char)s->text[i] & 0xc0) != 0x80)
			fputc('~', d->out);
	if (d->color)
		fputs("\033[0m", d->out);
	fputc('\n', d->out);
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
	vfprintf(d->out, fmt, ap);
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
	vfprintf(d->out, fmt, ap);
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
