/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parser for tracefs "format" files: a pure function over a buffer.
 * The result owns its strings (malloc); free it with tpf_free(). */
#ifndef SCRY_TPFORMAT_H
#define SCRY_TPFORMAT_H
#include <stdbool.h>
#include <stddef.h>

enum tpf_kind {
	TPF_INT,	/* integer of size 1, 2, 4 or 8 (signedness in is_signed) */
	TPF_PTR,	/* a pointer: "const char * filename", size 8 */
	TPF_CHAR_ARRAY,	/* "char comm[16]": a fixed-size string */
	TPF_INT_ARRAY,	/* "unsigned long args[6]": elem_size * count */
	TPF_DATA_LOC_STR,  /* "__data_loc char[] name": u32 (len << 16 | off) */
	TPF_DATA_LOC_ARRAY,/* "__data_loc u8[] buf" and other __data_loc arrays */
	TPF_OTHER,	/* anything else (structs, odd sizes): read as bytes */
};

struct tpf_field {
	char *name;	/* "filename" */
	char *type;	/* the C type as the format file spells it, without
			   the name or array suffix: "const char *", "char",
			   "__data_loc char[]" */
	unsigned offset, size;
	bool is_signed;
	bool common;	/* common_* header fields */
	enum tpf_kind kind;
	unsigned elem_size, count;	/* arrays: element size and count */
};

struct tpf_format {
	char *name;	/* "sys_enter_openat" */
	unsigned id;
	struct tpf_field *fields;
	size_t nfields;
};

/* Parse buf (len bytes, need not be NUL-terminated). Returns 0, or -EINVAL
 * with a one-line reason in err (errlen bytes) on malformed input. Never
 * reads outside buf. */
int tpf_parse(const char *buf, size_t len, struct tpf_format *out,
	      char *err, size_t errlen);
void tpf_free(struct tpf_format *f);
/* The field called name, or NULL. */
const struct tpf_field *tpf_field(const struct tpf_format *f, const char *name);

#endif
