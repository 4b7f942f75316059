/* SPDX-License-Identifier: GPL-2.0-or-later */
/* User-facing diagnostics: "file:line:col: error: msg", the source line and
 * a caret. Locations are byte offsets into a source; line and column are
 * computed only when printing. */
#ifndef SCRY_DIAG_H
#define SCRY_DIAG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct source {
	const char *name;	/* "<stdin>" for -e programs */
	const char *text;	/* NUL-terminated; may contain NULs before len */
	size_t len;
};

struct loc {
	unsigned begin, end;	/* byte offsets, end exclusive */
};

enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct diag {
	const struct source *src;
	FILE *out;
	unsigned errors, warnings;
	bool color;
	unsigned max_errors;	/* stop printing after this many errors */
};

void diag_init(struct diag *d, const struct source *src, FILE *out);
void diag_at(struct diag *d, enum diag_level lvl, struct loc loc,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
#define diag_error(d, loc, ...) diag_at((d), DIAG_ERROR, (loc), __VA_ARGS__)
#define diag_warn(d, loc, ...) diag_at((d), DIAG_WARNING, (loc), __VA_ARGS__)
#define diag_note(d, loc, ...) diag_at((d), DIAG_NOTE, (loc), __VA_ARGS__)
/* A note with no location: "note: ..." */
void diag_plain_note(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* line/col (1-based) of a byte offset */
void diag_linecol(const struct source *src, unsigned off, unsigned *line,
		  unsigned *col);

/* System errors: "scry: error: subject: action: cause" */
void sys_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sys_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Closest candidate to name by edit distance, or NULL if none is close. */
const char *diag_closest(const char *name, const char *const *cands, size_t n);

#endif
