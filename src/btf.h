/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The running kernel's BTF, loaded on first use: where members of kernel
 * structs lie, for builtins that read the current task (ppid, pcomm).
 * The prefix is kbtf_, as libbpf owns btf_ and btf__. */
#ifndef SCRY_BTF_H
#define SCRY_BTF_H
#include <stddef.h>

/* The file read: $SCRY_BTF when set, else the kernel's own. */
#define KBTF_DEFAULT_PATH "/sys/kernel/btf/vmlinux"

struct kbtf_member {
	unsigned offset;	/* bytes from the start of the struct */
	unsigned size;		/* bytes */
	int kind;		/* BTF_KIND_* of the member's type, typedefs
				   and qualifiers skipped */
};

/* Load the BTF, unless it is loaded already (about 20 ms and 10 MB) or
 * failed to load before. Returns 0, or -errno with "PATH: cause" in err. */
int kbtf_load(char *err, size_t errlen);

/* Find member path ("comm", or "se.vruntime" through nested structs) in
 * struct strct, looking through anonymous struct and union members. The
 * BTF is loaded by the first call (about 20 ms and 10 MB), and kept.
 * Returns 0, or -errno with a message in err: -ENOENT when the struct
 * or a member is missing, -EINVAL for a bitfield, another -errno when
 * the BTF could not be loaded. */
int kbtf_member(const char *strct, const char *path, struct kbtf_member *m,
		char *err, size_t errlen);

/* Free the loaded BTF (a no-op when nothing was loaded). */
void kbtf_fini(void);

#endif
