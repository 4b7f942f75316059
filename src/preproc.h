/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The C preprocessor lines of bpftrace scripts (#include, #define,
 * #if...), handled in place before parsing. */
#ifndef SCRY_PREPROC_H
#define SCRY_PREPROC_H
#include "arena.h"
#include "diag.h"

/* Fill *out with the text the parser reads: in's text with directive
 * lines and inactive branches blanked, byte for byte the same length, so
 * locations stay in's. *defs gets the macros the #defines make (text
 * NULL when none), a source whose lines are the defines' lines. Returns
 * 0, or -1 after reporting errors through diag. */
int preprocess(struct arena *arena, struct diag *diag,
	       const struct source *in, struct source *out,
	       struct source *defs);

#endif
