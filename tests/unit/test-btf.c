/* SPDX-License-Identifier: GPL-2.0-or-later */
/* src/btf.c: member offsets in a BTF file built here (anonymous members,
 * nesting, bitfields, errors) and in the running kernel's, checked
 * against bpftool's dump of it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "btf.h"
#include "unit.h"

static char tmp_path[] = "/tmp/scry-test-btf-XXXXXX";

/*
 * struct task_struct {
 *	int pid;				0
 *	union {					8
 *		struct { long x; char comm[16]; };	comm at 16
 *		const unsigned long y;
 *	};
 *	struct inner { int a; int b; } in;	32, in.b at 36
 *	int flag:1;				320 bits
 *	struct task_struct *real_parent;	48
 * };
 */
static int write_btf(void)
{
	struct btf *b = btf__new_empty();
	int i32, i64, chr, arr, anon_s, anon_u, inner, ptr, cst, fd;
	const void *raw;
	__u32 len;

	i32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	i64 = btf__add_int(b, "long", 8, BTF_INT_SIGNED);
	chr = btf__add_int(b, "char", 1, BTF_INT_CHAR);
	arr = btf__add_array(b, i32, chr, 16);
	cst = btf__add_const(b, i64);
	anon_s = btf__add_struct(b, NULL, 24);
	btf__add_field(b, "x", i64, 0, 0);
	btf__add_field(b, "comm", arr, 64, 0);
	anon_u = btf__add_union(b, NULL, 24);
	btf__add_field(b, NULL, anon_s, 0, 0);
	btf__add_field(b, "y", cst, 0, 0);
	inner = btf__add_struct(b, "inner", 8);
	btf__add_field(b, "a", i32, 0, 0);
	btf__add_field(b, "b", i32, 32, 0);
	/* fields follow their struct at once: the pointer comes first */
	ptr = btf__add_ptr(b, btf__add_fwd(b, "task_struct", BTF_FWD_STRUCT));
	btf__add_struct(b, "task_struct", 56);
	btf__add_field(b, "pid", i32, 0, 0);
	btf__add_field(b, NULL, anon_u, 64, 0);
	btf__add_field(b, "in", inner, 256, 0);
	btf__add_field(b, "flag", i32, 320, 1);
	btf__add_field(b, "real_parent", ptr, 384, 0);
	raw = btf__raw_data(b, &len);
	fd = mkstemp(tmp_path);
	if (fd < 0 || !raw || write(fd, raw, len) != (ssize_t)len) {
		perror("writing the test BTF");
		return -1;
	}
	close(fd);
	btf__free(b);
	return 0;
}

static void check_built(void)
{
	struct kbtf_member m;
	char err[200];

	kbtf_fini();
	setenv("SCRY_BTF", tmp_path, 1);
	CHECK_INT(kbtf_member("task_struct", "pid", &m, err, sizeof(err)), 0);
	CHECK_INT(m.offset, 0);
	CHECK_INT(m.size, 4);
	CHECK_INT(m.kind, BTF_KIND_INT);
	/* through an anonymous union, then an anonymous struct */
	CHECK_INT(kbtf_member("task_struct", "comm", &m, err, sizeof(err)), 0);
	CHECK_INT(m.offset, 16);
	CHECK_INT(m.size, 16);
	CHECK_INT(m.kind, BTF_KIND_ARRAY);
	/* const is skipped to say what the member is */
	CHECK_INT(kbtf_member("task_struct", "y", &m, err, sizeof(err)), 0);
	CHECK_INT(m.offset, 8);
	CHECK_INT(m.size, 8);
	CHECK_INT(m.kind, BTF_KIND_INT);
	CHECK_INT(kbtf_member("task_struct", "in.b", &m, err, sizeof(err)), 0);
	CHECK_INT(m.offset, 36);
	CHECK_INT(m.size, 4);
	CHECK_INT(kbtf_member("task_struct", "real_parent", &m, err,
			      sizeof(err)), 0);
	CHECK_INT(m.offset, 48);
	CHECK_INT(m.size, 8);
	CHECK_INT(m.kind, BTF_KIND_PTR);

	CHECK_INT(kbtf_member("task_struct", "tgid", &m, err, sizeof(err)),
		  -ENOENT);
	CHECK_STR(err, "struct 'task_struct' has no member 'tgid'");
	CHECK_INT(kbtf_member("task_struct", "in.c", &m, err, sizeof(err)),
		  -ENOENT);
	CHECK_STR(err, "struct 'task_struct' has no member 'in.c'");
	CHECK_INT(kbtf_member("task_struct", "pid.x", &m, err, sizeof(err)),
		  -ENOENT);
	CHECK_STR(err, "'task_struct.pid' is not a struct");
	CHECK_INT(kbtf_member("task_struct", "flag", &m, err, sizeof(err)),
		  -EINVAL);
	CHECK_STR(err, "'task_struct.flag' is a bitfield");
	CHECK_INT(kbtf_member("mm_struct", "pgd", &m, err, sizeof(err)),
		  -ENOENT);
	CHECK_STR(err, "there is no struct 'mm_struct'");
}

static void check_missing(void)
{
	struct kbtf_member m;
	char err[200];

	kbtf_fini();
	setenv("SCRY_BTF", "/nonexistent/vmlinux", 1);
	CHECK_INT(kbtf_load(err, sizeof(err)), -ENOENT);
	CHECK_STR(err, "/nonexistent/vmlinux: No such file or directory");
	/* the failure is kept: one attempt, the same answer each time */
	CHECK_INT(kbtf_member("task_struct", "pid", &m, err, sizeof(err)),
		  -ENOENT);
	CHECK_STR(err, "/nonexistent/vmlinux: No such file or directory");
	kbtf_fini();
	setenv("SCRY_BTF", "/proc/self/status", 1);
	CHECK_INT(kbtf_load(err, sizeof(err)), -EPROTO);
	CHECK_STR(err, "/proc/self/status: not a raw BTF file");
}

/* bits_offset of a direct member of task_struct in bpftool's raw dump:
 * a second reader of the same file. -1: not found. */
static long bpftool_offset(const char *member)
{
	char cmd[256], line[512], want[64];
	bool in = false;
	long off = -1;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "bpftool btf dump file %s format raw "
		 "2>/dev/null", KBTF_DEFAULT_PATH);
	snprintf(want, sizeof(want), "\t'%s' ", member);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '[') {
			if (in)
				break;
			in = strstr(line, "] STRUCT 'task_struct' ") != NULL;
		} else if (in && !strncmp(line, want, strlen(want))) {
			char *b = strstr(line, "bits_offset=");
			off = b ? strtol(b + 12, NULL, 10) : -1;
		}
	}
	while (fgets(line, sizeof(line), f))
		;	/* let bpftool finish writing */
	pclose(f);
	return off;
}

static void check_kernel(void)
{
	static const char *const names[] = { "pid", "tgid", "real_parent",
					     "group_leader", "comm" };
	struct kbtf_member m, pid, tgid;
	struct timespec t0, t1;
	char err[200];

	kbtf_fini();
	unsetenv("SCRY_BTF");
	if (access(KBTF_DEFAULT_PATH, R_OK)) {
		fprintf(stderr, "no %s: kernel checks skipped\n",
			KBTF_DEFAULT_PATH);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_INT(kbtf_load(err, sizeof(err)), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "loading %s took %.1f ms\n", KBTF_DEFAULT_PATH,
		(t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	CHECK_INT(kbtf_member("task_struct", "comm", &m, err, sizeof(err)), 0);
	CHECK_INT(m.size, 16);	/* TASK_COMM_LEN */
	CHECK_INT(m.kind, BTF_KIND_ARRAY);
	/* pid_t pid; pid_t tgid; side by side since 2.6 */
	CHECK_INT(kbtf_member("task_struct", "pid", &pid, err, sizeof(err)), 0);
	CHECK_INT(kbtf_member("task_struct", "tgid", &tgid, err, sizeof(err)),
		  0);
	CHECK_INT(tgid.offset - pid.offset, 4);
	CHECK_INT(pid.size, 4);
	CHECK_INT(kbtf_member("task_struct", "real_parent", &m, err,
			      sizeof(err)), 0);
	CHECK_INT(m.kind, BTF_KIND_PTR);
	CHECK_INT(m.size, 8);
	/* sk_buff's first members sit in anonymous unions and structs */
	CHECK_INT(kbtf_member("sk_buff", "next", &m, err, sizeof(err)), 0);
	CHECK_INT(m.offset, 0);
	CHECK_INT(kbtf_member("sk_buff", "prev", &m, err, sizeof(err)), 0);
	CHECK_INT(m.offset, 8);
	CHECK_INT(kbtf_member("task_struct", "no_such_member", &m, err,
			      sizeof(err)), -ENOENT);
	if (system("bpftool version >/dev/null 2>&1")) {
		fprintf(stderr, "no bpftool: offsets not cross-checked\n");
		return;
	}
	for (unsigned i = 0; i < sizeof(names) / sizeof(*names); i++) {
		long bits = bpftool_offset(names[i]);

		CHECK_INT(kbtf_member("task_struct", names[i], &m, err,
				      sizeof(err)), 0);
		if (bits >= 0)	/* -1: inside an anonymous member */
			CHECK_INT(m.offset, bits / 8);
	}
}

int main(void)
{
	if (write_btf())
		return 1;
	check_built();
	check_missing();
	unlink(tmp_path);
	check_kernel();
	kbtf_fini();
	return unit_done("test-btf");
}
