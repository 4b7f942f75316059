/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel's BTF, loaded lazily: offsets of members of kernel structs.
 * The offsets are this kernel's, and so is the kernel the program loads
 * into, so no CO-RE relocation is needed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "btf.h"

/* Loading costs ~20 ms and ~10 MB (tens of thousands of types), so it
 * happens only when a program names a builtin that needs it, once. */
static struct btf *vmlinux;
static int load_err;		/* -errno of a failed load, kept */
static char load_msg[160];

static const char *btf_path(void)
{
	const char *p = getenv("SCRY_BTF");

	return p && *p ? p : KBTF_DEFAULT_PATH;
}

int kbtf_load(char *err, size_t errlen)
{
	const char *path;

	if (!vmlinux && !load_err) {
		path = btf_path();
		/* raw BTF only: btf__parse()'s ELF fallback prints warnings */
		vmlinux = btf__parse_raw(path);
		if (!vmlinux) {
			load_err = errno ? -errno : -EINVAL;
			/* libbpf's answer to a file of another format */
			snprintf(load_msg, sizeof(load_msg), "%s: %s", path,
				 load_err == -EPROTO ? "not a raw BTF file"
						     : strerror(-load_err));
		}
	}
	if (load_err)
		snprintf(err, errlen, "%s", load_msg);
	return load_err;
}

void kbtf_fini(void)
{
	btf__free(vmlinux);
	vmlinux = NULL;
	load_err = 0;
}

/* A type id with typedefs and qualifiers (const, volatile) skipped. */
static const struct btf_type *skip_mods(__u32 *id)
{
	const struct btf_type *t = btf__type_by_id(vmlinux, *id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		*id = t->type;
		t = btf__type_by_id(vmlinux, *id);
	}
	return t;
}

/* Find member name in the struct or union t, descending into anonymous
 * members (the kernel wraps fields in them, e.g. for randomized layouts):
 * its type id and bit offset from the start of t. */
static int find_member(const struct btf_type *t, const char *name,
		       __u32 *type_id, __u32 *bit_off)
{
	const struct btf_member *m = btf_members(t);

	for (unsigned i = 0; i < btf_vlen(t); i++, m++) {
		const char *mn = btf__name_by_offset(vmlinux, m->name_off);
		__u32 id = m->type, off = btf_member_bit_offset(t, i);
		const struct btf_type *mt;

		if (mn && *mn) {
			if (strcmp(mn, name))
				continue;
			if (btf_member_bitfield_size(t, i))
				return -EINVAL;
			*type_id = id;
			*bit_off = off;
			return 0;
		}
		mt = skip_mods(&id);
		if (mt && btf_is_composite(mt) &&
		    !find_member(mt, name, type_id, bit_off)) {
			*bit_off += off;
			return 0;
		}
	}
	return -ENOENT;
}

/* Walk path ("a.b.c") from struct t, filling m. */
static int walk(const struct btf_type *t, const char *strct,
		const char *path, struct kbtf_member *m, char *err,
		size_t errlen)
{
	char name[128];
	const char *p = path;
	__u32 id = 0, off = 0, bits;
	__s64 size;

	while (*p) {
		size_t n = strcspn(p, ".");
		int r;

		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		if (!t || !btf_is_composite(t)) {
			snprintf(err, errlen, "'%s.%.*s' is not a struct", strct,
				 (int)(p - path - 1), path);
			return -ENOENT;
		}
		r = find_member(t, name, &id, &bits);
		if (r == -EINVAL) {
			snprintf(err, errlen, "'%s.%.*s' is a bitfield", strct,
				 (int)(p - path + n), path);
			return r;
		}
		if (r) {
			snprintf(err, errlen, "struct '%s' has no member "
				 "'%.*s'", strct, (int)(p - path + n), path);
			return r;
		}
		off += bits;
		t = skip_mods(&id);
		p += n + (p[n] == '.');
	}
	if (off % 8) {
		snprintf(err, errlen, "'%s.%s' is not byte-aligned", strct,
			 path);
		return -EINVAL;
	}
	size = btf__resolve_size(vmlinux, id);
	m->offset = off / 8;
	m->size = size > 0 ? size : 0;
	m->kind = t ? btf_kind(t) : 0;
	return 0;
}

int kbtf_member(const char *strct, const char *path, struct kbtf_member *m,
		char *err, size_t errlen)
{
	int id, r = kbtf_load(err, errlen);

	if (r)
		return r;
	id = btf__find_by_name_kind(vmlinux, strct, BTF_KIND_STRUCT);
	if (id < 0) {
		snprintf(err, errlen, "there is no struct '%s'", strct);
		return -ENOENT;
	}
	return walk(btf__type_by_id(vmlinux, id), strct, path, m, err,
		    errlen);
}
