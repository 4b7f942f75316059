/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where tracefs is and what it holds. The root is found at run time
 * (/sys/kernel/tracing, then /sys/kernel/debug/tracing); the environment
 * variable SCRY_TRACEFS overrides it (tests point it at fixtures). */
#ifndef SCRY_TRACEFS_H
#define SCRY_TRACEFS_H
#include <stddef.h>
#include <stdio.h>
#include "runtime/tpformat.h"

/* The tracefs root, or NULL (errno set) when none is mounted/readable. */
const char *tracefs_root(void);

struct tp_name {
	char *category;
	char *event;
};

struct tp_list {
	struct tp_name *v;
	size_t n;
};

/* Every tracepoint whose category matches cat_glob and whose name matches
 * name_glob (fnmatch patterns: '*', '?', '[...]'), sorted by category then
 * name. Returns 0 (possibly with n == 0) or -errno. */
int tracefs_glob(const char *cat_glob, const char *name_glob,
		 struct tp_list *out);
void tp_list_free(struct tp_list *l);

/* Read and parse events/CAT/NAME/format. Returns 0 or -errno
 * (-ENOENT: no such tracepoint; -EINVAL: unparseable, reason in err). */
int tracefs_format(const char *cat, const char *name, struct tpf_format *out,
		   char *err, size_t errlen);

/* Print "tracepoint:CAT:NAME" lines for every match of pattern, and with
 * verbose the fields ("    int dfd") as bpftrace -lv does. pattern is
 * "CAT:NAME" with globs, or NULL/"" for all. Returns the number listed or
 * -errno. */
int tracefs_list(const char *cat_glob, const char *name_glob, int verbose,
		 FILE *out);

#endif
