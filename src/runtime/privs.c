/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Before anything is loaded: does this process have what tracing needs?
 * One line says what is missing, instead of a failing bpf() call. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include "runtime/runtime.h"
#include "runtime/tracefs.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static bool has_cap(const struct __user_cap_data_struct *d, int cap)
{
	return d[cap / 32].effective & (1u << (cap % 32));
}

int rt_check_privileges(bool needs_tracefs)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { 0 };
	char missing[64] = "";

	if (syscall(SYS_capget, &h, d))
		return 0;	/* cannot tell: let the kernel decide */
	/* CAP_SYS_ADMIN covers both on kernels before 5.8 and still does */
	if (!has_cap(d, CAP_SYS_ADMIN)) {
		if (!has_cap(d, CAP_BPF))
			strcat(missing, "CAP_BPF");
		if (!has_cap(d, CAP_PERFMON))
			strcat(missing, *missing ? " and CAP_PERFMON"
						 : "CAP_PERFMON");
	}
	if (*missing) {
		fprintf(stderr, "scry: error: tracing needs root or the "
			"capabilities CAP_BPF and CAP_PERFMON: this process "
			"(uid %d) lacks %s\n", (int)geteuid(), missing);
		return -EPERM;
	}
	if (needs_tracefs && !tracefs_root()) {
		fprintf(stderr, "scry: error: tracefs is not mounted or not "
			"readable: mount it with 'mount -t tracefs nodev "
			"/sys/kernel/tracing'\n");
		return -ENOENT;
	}
	return 0;
}
