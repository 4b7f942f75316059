/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the printing files, and by nothing else: print.c (maps of
 * values, clear, zero), hist.c (histograms), json.c (JSON text) and
 * record.c (printf records, print() of a value). */
#ifndef SCRY_RUNTIME_PRINT_H
#define SCRY_RUNTIME_PRINT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "runtime/runtime.h"

/* bpftrace marks a string that fills its whole buffer (no NUL: it was
 * cut) with this trailer. */
#define PR_TRUNC_TRAILER ".."

/* print(@m, top, div) */
struct pr_opts {
	unsigned top;		/* only the last top entries once sorted; 0: all */
	unsigned div;		/* values divided by div; 0 or 1: as they are */
	bool empty_scalar;	/* an empty scalar prints its zero value */
};

struct pr_entry {
	const unsigned char *key;
	const unsigned char *val;	/* CPU 0's value */
	unsigned long long shown;	/* the merged value, as printed */
	unsigned long long order;	/* what entries are sorted by */
	unsigned long long total, count;	/* AVG, STATS */
	bool touched;			/* false: an array slot never written */
};

struct pr_map {
	const struct rt_plan *plan;
	const struct rt_map *m;
	FILE *out;
	bool json;
	struct pr_opts o;
	bool slot;			/* a BPF array: its slot always exists */
	unsigned nval;			/* values per key: possible CPUs or 1 */
	unsigned stride;		/* bytes between per-CPU values */
	size_t n;
	unsigned char *keys, *vals;
	struct pr_entry *ents;
};

/* print.c */
/* An integer of 1, 2, 4 or 8 bytes, sign-extended when signed. */
unsigned long long pr_int(const unsigned char *p, unsigned size,
			  bool is_signed);
/* A probe id's name, or "?" */
const char *pr_probe_name(const struct rt_plan *plan, unsigned long long id);
/* open_memstream, exiting when out of memory */
FILE *pr_memstream(char **buf, size_t *len);
/* One field at its offset in base, as text or JSON. */
void pr_field(FILE *out, const struct rt_plan *plan, const struct rt_field *f,
	      const unsigned char *base, bool json);
/* The offset just past a field's bytes. */
unsigned pr_field_end(const struct rt_field *f);
/* No user key: one value, printed without brackets. */
bool pr_scalar(const struct rt_map *m);
/* A key between brackets, and as a JSON member name. */
void pr_key_text(FILE *out, const struct pr_map *pm, const unsigned char *key);
void pr_key_json(FILE *out, const struct pr_map *pm, const unsigned char *key);
/* An lhist's last bucket index: everything at or above max. */
unsigned long long pr_lhist_last(const struct rt_map *m);

/* hist.c: a hist() or lhist() map, read into pm */
void pr_print_hists(struct pr_map *pm);

/* json.c */
/* The inside of a JSON string; no_space drops spaces (map keys). */
void pr_json_body(FILE *out, const char *s, size_t len, bool no_space);
/* An integer: in JSON a number, or a string when a double cannot hold it */
void pr_num(FILE *out, unsigned long long v, bool sgn, bool json);
/* {"type": "map", "data": {"@name": VALUE}}: this writes up to VALUE */
void pr_json_open(FILE *out, const struct rt_map *m);

#endif
