/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the format-file parser (tpformat.c) and the tracefs
 * helpers (tracefs.c), run against the captured tree in tests/fixtures. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "runtime/tracefs.h"
#include "unit.h"

static const char *fixtures;

/* Read a fixture into a buffer of exactly its length, so that a
 * sanitizer catches any read past the end. */
static char *read_fixture(const char *rel, size_t *len)
{
	char *path = xasprintf("%s/%s", fixtures, rel), *buf = NULL;
	FILE *f = fopen(path, "rb");
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0) {
		fprintf(stderr, "cannot read fixture %s\n", path);
		exit(2);
	}
	rewind(f);
	buf = xmalloc((size_t)n);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "short read on %s\n", path);
		exit(2);
	}
	fclose(f);
	free(path);
	*len = (size_t)n;
	return buf;
}

static void parse_fixture(const char *event, struct tpf_format *fmt)
{
	char *rel = xasprintf("tracefs/events/%s/format", event), err[128];
	size_t len;
	char *buf = read_fixture(rel, &len);
	int rc = tpf_parse(buf, len, fmt, err, sizeof(err));

	if (rc)
		fprintf(stderr, "%s: %s\n", event, err);
	CHECK_INT(rc, 0);
	free(buf);
	free(rel);
}

/* Check one field: its type text, offset, size, signedness and kind. */
static const struct tpf_field *check_field(const struct tpf_format *fmt,
					   const char *name, const char *type,
					   unsigned off, unsigned size,
					   int is_signed, enum tpf_kind kind)
{
	const struct tpf_field *f = tpf_field(fmt, name);

	CHECK(f != NULL);
	if (!f) {
		fprintf(stderr, "  no field '%s' in %s\n", name, fmt->name);
		return NULL;
	}
	CHECK_STR(f->type, type);
	CHECK_INT(f->offset, off);
	CHECK_INT(f->size, size);
	CHECK_INT(f->is_signed, is_signed);
	CHECK_INT(f->kind, kind);
	return f;
}

static void check_array(const struct tpf_field *f, unsigned elem_size,
			unsigned count)
{
	if (!f)
		return;
	CHECK_INT(f->elem_size, elem_size);
	CHECK_INT(f->count, count);
}

static void test_sys_enter_openat(void)
{
	struct tpf_format fmt;
	const struct tpf_field *f;

	parse_fixture("syscalls/sys_enter_openat", &fmt);
	CHECK_STR(fmt.name, "sys_enter_openat");
	CHECK_INT(fmt.id, 782);
	CHECK_INT(fmt.nfields, 9);
	f = check_field(&fmt, "common_type", "unsigned short", 0, 2, 0,
			TPF_INT);
	CHECK(f && f->common);
	f = check_field(&fmt, "common_pid", "int", 4, 4, 1, TPF_INT);
	CHECK(f && f->common);
	f = check_field(&fmt, "__syscall_nr", "int", 8, 4, 1, TPF_INT);
	CHECK(f && !f->common);
	check_field(&fmt, "dfd", "int", 16, 8, 0, TPF_INT);
	f = check_field(&fmt, "filename", "const char *", 24, 8, 0, TPF_PTR);
	check_array(f, 0, 0);
	check_field(&fmt, "flags", "int", 32, 8, 0, TPF_INT);
	check_field(&fmt, "mode", "umode_t", 40, 8, 0, TPF_INT);
	CHECK(tpf_field(&fmt, "nope") == NULL);
	CHECK(tpf_field(&fmt, "file") == NULL);
	tpf_free(&fmt);
}

static void test_syscalls(void)
{
	struct tpf_format fmt;

	parse_fixture("syscalls/sys_exit_openat", &fmt);
	CHECK_STR(fmt.name, "sys_exit_openat");
	check_field(&fmt, "ret", "long", 16, 8, 1, TPF_INT);
	tpf_free(&fmt);

	parse_fixture("syscalls/sys_enter_execve", &fmt);
	check_field(&fmt, "filename", "const char *", 16, 8, 0, TPF_PTR);
	check_field(&fmt, "argv", "const char *const *", 24, 8, 0, TPF_PTR);
	check_field(&fmt, "envp", "const char *const *", 32, 8, 0, TPF_PTR);
	tpf_free(&fmt);

	parse_fixture("raw_syscalls/sys_enter", &fmt);
	check_field(&fmt, "id", "long", 8, 8, 1, TPF_INT);
	check_array(check_field(&fmt, "args", "unsigned long", 16, 48, 0,
				TPF_INT_ARRAY), 8, 6);
	tpf_free(&fmt);
}

static void test_sched(void)
{
	struct tpf_format fmt;

	parse_fixture("sched/sched_switch", &fmt);
	CHECK_INT(fmt.id, 372);
	check_array(check_field(&fmt, "prev_comm", "char", 8, 16, 0,
				TPF_CHAR_ARRAY), 1, 16);
	check_field(&fmt, "prev_pid", "pid_t", 24, 4, 1, TPF_INT);
	check_field(&fmt, "prev_state", "long", 32, 8, 1, TPF_INT);
	check_array(check_field(&fmt, "next_comm", "char", 40, 16, 0,
				TPF_CHAR_ARRAY), 1, 16);
	check_field(&fmt, "next_prio", "int", 60, 4, 1, TPF_INT);
	tpf_free(&fmt);

	parse_fixture("sched/sched_process_exec", &fmt);
	check_field(&fmt, "filename", "__data_loc char[]", 8, 4, 0,
		    TPF_DATA_LOC_STR);
	check_field(&fmt, "old_pid", "pid_t", 16, 4, 1, TPF_INT);
	tpf_free(&fmt);

	parse_fixture("sched/sched_wakeup", &fmt);
	check_field(&fmt, "comm", "char", 8, 16, 0, TPF_CHAR_ARRAY);
	check_field(&fmt, "target_cpu", "int", 32, 4, 1, TPF_INT);
	tpf_free(&fmt);
}

static void test_misc_real(void)
{
	struct tpf_format fmt;

	parse_fixture("block/block_rq_issue", &fmt);
	check_field(&fmt, "dev", "dev_t", 8, 4, 0, TPF_INT);
	check_field(&fmt, "sector", "sector_t", 16, 8, 0, TPF_INT);
	check_array(check_field(&fmt, "rwbs", "char", 34, 10, 0,
				TPF_CHAR_ARRAY), 1, 10);
	check_field(&fmt, "cmd", "__data_loc char[]", 60, 4, 0,
		    TPF_DATA_LOC_STR);
	tpf_free(&fmt);

	parse_fixture("signal/signal_generate", &fmt);
	check_field(&fmt, "errno", "int", 12, 4, 1, TPF_INT);
	check_field(&fmt, "comm", "char", 20, 16, 0, TPF_CHAR_ARRAY);
	check_field(&fmt, "result", "int", 44, 4, 1, TPF_INT);
	tpf_free(&fmt);

	parse_fixture("amd_cpu/amd_pstate_perf", &fmt);
	check_field(&fmt, "min_perf", "u8", 8, 1, 0, TPF_INT);
	check_field(&fmt, "fast_switch", "bool", 52, 1, 0, TPF_INT);
	tpf_free(&fmt);

	parse_fixture("sock/sock_exceed_buf_limit", &fmt);
	check_array(check_field(&fmt, "sysctl_mem", "long", 40, 24, 1,
				TPF_INT_ARRAY), 8, 3);
	tpf_free(&fmt);
}

static void test_net_and_dynamic(void)
{
	struct tpf_format fmt;

	parse_fixture("tcp/tcp_probe", &fmt);
	check_array(check_field(&fmt, "saddr", "__u8", 8, 28, 0,
				TPF_INT_ARRAY), 1, 28);
	check_field(&fmt, "skaddr", "const void *", 128, 8, 0, TPF_PTR);
	tpf_free(&fmt);

	parse_fixture("dma/dma_map_sg", &fmt);
	check_array(check_field(&fmt, "phys_addrs", "__data_loc u64[]", 24,
				4, 0, TPF_DATA_LOC_ARRAY), 8, 0);
	check_array(check_field(&fmt, "lengths", "__data_loc unsigned int[]",
				32, 4, 0, TPF_DATA_LOC_ARRAY), 4, 0);
	check_field(&fmt, "truncated", "bool", 20, 1, 0, TPF_INT);
	check_field(&fmt, "dir", "enum dma_data_direction", 36, 4, 0, TPF_INT);
	tpf_free(&fmt);

	parse_fixture("ipi/ipi_send_cpumask", &fmt);
	check_field(&fmt, "cpumask", "__data_loc cpumask_t", 8, 4, 0,
		    TPF_DATA_LOC_ARRAY);
	check_field(&fmt, "callsite", "void *", 16, 8, 0, TPF_PTR);
	tpf_free(&fmt);

	parse_fixture("ftrace/function", &fmt);
	check_array(check_field(&fmt, "args", "unsigned long", 24, 0, 0,
				TPF_INT_ARRAY), 8, 0);
	tpf_free(&fmt);
}

/* Hand-made files in the spellings of other kernels. */
static void test_compat(void)
{
	struct tpf_format fmt;

	/* before 2.6.33: no "signed:", so it is guessed from the type */
	parse_fixture("compat/sys_enter_open_2_6_32", &fmt);
	CHECK_INT(fmt.nfields, 9);
	CHECK(tpf_field(&fmt, "common_lock_depth")->common);
	check_field(&fmt, "common_type", "unsigned short", 0, 2, 0, TPF_INT);
	check_field(&fmt, "nr", "int", 12, 4, 1, TPF_INT);
	check_field(&fmt, "filename", "const char *", 16, 8, 0, TPF_PTR);
	tpf_free(&fmt);

	/* 5.17-5.19: TASK_COMM_LEN is an enum and printed by name */
	parse_fixture("compat/block_rq_issue_5_17", &fmt);
	check_array(check_field(&fmt, "comm", "char", 40, 16, 1,
				TPF_CHAR_ARRAY), 1, 16);
	check_array(check_field(&fmt, "rwbs", "char", 32, 8, 1,
				TPF_CHAR_ARRAY), 1, 8);
	check_field(&fmt, "cmd", "__data_loc char[]", 56, 4, 1,
		    TPF_DATA_LOC_STR);
	tpf_free(&fmt);

	/* 5.18+: __rel_loc is not a __data_loc; left for callers to refuse */
	parse_fixture("compat/rel_loc_5_18", &fmt);
	check_field(&fmt, "foo", "char", 8, 1, 1, TPF_INT);
	check_field(&fmt, "hello", "__rel_loc char[]", 12, 4, 1, TPF_OTHER);
	check_field(&fmt, "cpumask", "__rel_loc cpumask_t", 20, 4, 0,
		    TPF_OTHER);
	tpf_free(&fmt);
}

static void test_odd_fields(void)
{
	struct tpf_format fmt;

	parse_fixture("compat/odd_fields", &fmt);
	check_array(check_field(&fmt, "mac", "unsigned char", 8, 6, 0,
				TPF_INT_ARRAY), 1, 6);
	check_field(&fmt, "ok", "bool", 14, 1, 0, TPF_INT);
	check_field(&fmt, "cookie", "const void*", 16, 8, 0, TPF_PTR);
	check_field(&fmt, "ts", "struct timespec64", 24, 16, 0, TPF_OTHER);
	check_field(&fmt, "addr", "struct in6_addr", 40, 8, 0, TPF_OTHER);
	check_field(&fmt, "odd", "int", 48, 3, 1, TPF_OTHER);
	check_array(check_field(&fmt, "words", "u32", 52, 12, 0,
				TPF_INT_ARRAY), 4, 3);
	check_array(check_field(&fmt, "inos", "xfs_ino_t", 64, 16, 0,
				TPF_OTHER), 1, 16);
	check_array(check_field(&fmt, "spaced_name", "char", 80, 4, 1,
				TPF_CHAR_ARRAY), 1, 4);
	check_array(check_field(&fmt, "deltas", "s16", 84, 6, 1,
				TPF_INT_ARRAY), 2, 3);
	check_field(&fmt, "future", "int", 92, 4, 1, TPF_INT);
	check_array(check_field(&fmt, "data", "u8", 96, 0, 0,
				TPF_INT_ARRAY), 1, 0);
	tpf_free(&fmt);
}

/* Malformed files: -EINVAL and the exact reason. */
static void test_bad(void)
{
	static const struct {
		const char *file, *err;
	} cases[] = {
		{ "empty", "missing 'name:'" },
		{ "garbage", "missing 'name:'" },
		{ "html", "missing 'name:'" },
		{ "no-name", "missing 'name:'" },
		{ "no-fields", "format has no fields" },
		{ "bad-id", "line 2: bad 'ID:'" },
		{ "bad-offset", "line 4: field 'a': bad 'offset:' value 'eight'" },
		{ "huge-size",
		  "line 4: field 'a': bad 'size:' value '99999999999'" },
		{ "bad-signed", "line 4: field 'a': bad 'signed:' value '2'" },
		{ "no-field-name", "line 4: field 'int' has no type" },
		{ "no-semicolon", "line 4: field 'a': missing ';'" },
		{ "unbalanced", "line 4: unbalanced ']' in field" },
		{ "junk-line",
		  "line 5: expected 'field:', found 'this is not a field'" },
		{ "nul-byte", "line 5: nul byte in format file" },
		{ "truncated", "line 11: field 'filename': missing ';'" },
	};
	struct tpf_format fmt;
	char err[128], *rel, *buf;
	size_t i, len;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rel = xasprintf("tracefs-bad/%s.format", cases[i].file);
		buf = read_fixture(rel, &len);
		CHECK_INT(tpf_parse(buf, len, &fmt, err, sizeof(err)), -EINVAL);
		CHECK_STR(err, cases[i].err);
		CHECK(fmt.nfields == 0 && fmt.fields == NULL && !fmt.name);
		free(buf);
		free(rel);
	}
	CHECK_INT(tpf_parse(NULL, 0, &fmt, err, sizeof(err)), -EINVAL);
	CHECK_INT(tpf_parse("x", 1, &fmt, NULL, 0), -EINVAL);
	CHECK_INT(tpf_parse("name: x\n", 8, &fmt, err, 4), -EINVAL);
	CHECK_STR(err, "mis");
}

/* Parse buf[0, len) from a buffer of exactly len bytes. */
static int parse_exact(const char *buf, size_t len, char *err, size_t errlen)
{
	struct tpf_format fmt;
	char *copy = xmalloc(len);
	int rc;

	memcpy(copy, buf, len);
	rc = tpf_parse(copy, len, &fmt, err, errlen);
	if (!rc)
		tpf_free(&fmt);
	free(copy);
	return rc;
}

/* Every truncation of a real file: 0 or -EINVAL with a one-line reason,
 * and always -EINVAL before the "print fmt:" line is complete. */
static void test_truncations(const char *event)
{
	char *rel = xasprintf("tracefs/events/%s/format", event), err[128];
	size_t len, n, pf;
	char *buf = read_fixture(rel, &len);
	unsigned bad = 0;
	int rc;

	pf = (size_t)(strstr(buf, "print fmt:") - buf) + strlen("print fmt:");
	for (n = 0; n <= len; n++) {
		rc = parse_exact(buf, n, err, sizeof(err));
		if (rc != (n < pf ? -EINVAL : 0) ||
		    (rc && (!err[0] || strchr(err, '\n')))) {
			if (!bad++)
				fprintf(stderr, "%s: prefix %zu: rc %d '%s'\n",
					event, n, rc, err);
		}
	}
	CHECK_INT(bad, 0);
	free(buf);
	free(rel);
}

/* Overwrite each byte with characters the parser cares about: a cheap
 * deterministic stand-in for the fuzzer. Checks only for sane returns;
 * the sanitizers check the memory accesses. */
static void test_mutations(const char *event)
{
	static const char subst[] = { '\0', '\n', '\t', ' ', ';', ':', '[',
				      ']', '*', '9', 'x', (char)0xff };
	char *rel = xasprintf("tracefs/events/%s/format", event), err[128];
	size_t len, i, j;
	char *buf = read_fixture(rel, &len), saved;
	unsigned bad = 0;
	int rc;

	for (i = 0; i < len; i++) {
		saved = buf[i];
		for (j = 0; j < sizeof(subst); j++) {
			buf[i] = subst[j];
			rc = parse_exact(buf, len, err, sizeof(err));
			if (rc && (rc != -EINVAL || !err[0]))
				bad++;
		}
		buf[i] = saved;
	}
	CHECK_INT(bad, 0);
	free(buf);
	free(rel);
}

static void check_glob(const char *cat, const char *name, const char *want)
{
	struct tp_list l;
	char *got = NULL;
	size_t i, sz;
	FILE *m = open_memstream(&got, &sz);

	CHECK_INT(tracefs_glob(cat, name, &l), 0);
	for (i = 0; i < l.n; i++)
		fprintf(m, "%s:%s ", l.v[i].category, l.v[i].event);
	fclose(m);
	CHECK_STR(got, want);
	tp_list_free(&l);
	CHECK(l.n == 0 && l.v == NULL);
	free(got);
}

static void test_glob(void)
{
	check_glob("syscalls", "sys_enter_open*", "syscalls:sys_enter_openat ");
	check_glob("sched", "*", "sched:sched_process_exec sched:sched_switch "
		   "sched:sched_wakeup ");
	check_glob("[rs]*", "*", "raw_syscalls:sys_enter "
		   "sched:sched_process_exec sched:sched_switch "
		   "sched:sched_wakeup signal:signal_generate "
		   "sock:sock_exceed_buf_limit syscalls:sys_enter_execve "
		   "syscalls:sys_enter_openat syscalls:sys_exit_openat ");
	check_glob("*", "sys_e*", "compat:sys_enter_open_2_6_32 "
		   "raw_syscalls:sys_enter "
		   "syscalls:sys_enter_execve syscalls:sys_enter_openat "
		   "syscalls:sys_exit_openat ");
	check_glob("fib*", "*", "fib:fib_table_lookup fib6:fib6_table_lookup ");
	check_glob("sched", "sched_sw?tch", "sched:sched_switch ");
	/* files are not tracepoints; the ftrace system cannot be attached */
	check_glob("*", "enable", "");
	check_glob("*", "filter", "");
	check_glob("ftrace", "*", "");
	check_glob("enable", "*", "");
	check_glob("header_*", "*", "");
	check_glob("nosuch", "*", "");
}

static void test_format(void)
{
	struct tpf_format fmt;
	char err[128];

	CHECK_INT(tracefs_format("sched", "sched_switch", &fmt, err,
				 sizeof(err)), 0);
	CHECK_STR(fmt.name, "sched_switch");
	CHECK_INT(fmt.nfields, 11);
	tpf_free(&fmt);
	/* not listed, but its format is still readable */
	CHECK_INT(tracefs_format("ftrace", "function", &fmt, err,
				 sizeof(err)), 0);
	tpf_free(&fmt);
	CHECK_INT(tracefs_format("sched", "nosuch", &fmt, err, sizeof(err)),
		  -ENOENT);
	CHECK_INT(tracefs_format("sched", "enable", &fmt, err, sizeof(err)),
		  -ENOENT);
	CHECK_INT(tracefs_format("..", "tracefs", &fmt, err, sizeof(err)),
		  -ENOENT);
	CHECK_INT(tracefs_format("sched/sched_switch", "..", &fmt, err,
				 sizeof(err)), -ENOENT);
	CHECK_INT(tracefs_format("", "x", &fmt, err, sizeof(err)), -ENOENT);
}

static void check_list(const char *cat, const char *name, int verbose,
		       int want_n, const char *want)
{
	char *got = NULL;
	size_t sz;
	FILE *m = open_memstream(&got, &sz);

	CHECK_INT(tracefs_list(cat, name, verbose, m), want_n);
	fclose(m);
	CHECK_STR(got, want);
	free(got);
}

static void test_list(void)
{
	check_list("sched", "*", 0, 3,
		   "tracepoint:sched:sched_process_exec\n"
		   "tracepoint:sched:sched_switch\n"
		   "tracepoint:sched:sched_wakeup\n");
	/* bpftrace sorts "CAT:NAME" strings: "fib6:" before "fib:" */
	check_list("fib*", NULL, 0, 2,
		   "tracepoint:fib6:fib6_table_lookup\n"
		   "tracepoint:fib:fib_table_lookup\n");
	check_list("nosuch", "", 0, 0, "");
	check_list("syscalls", "sys_enter_openat", 1, 1,
		   "tracepoint:syscalls:sys_enter_openat\n"
		   "    int __syscall_nr\n"
		   "    int dfd\n"
		   "    const char * filename\n"
		   "    int flags\n"
		   "    umode_t mode\n");
	check_list("*", "sys_enter", 1, 1,
		   "tracepoint:raw_syscalls:sys_enter\n"
		   "    long id\n"
		   "    unsigned long args[6]\n");
	check_list("sched", "sched_[ps]*", 1, 2,
		   "tracepoint:sched:sched_process_exec\n"
		   "    __data_loc char[] filename\n"
		   "    pid_t pid\n"
		   "    pid_t old_pid\n"
		   "tracepoint:sched:sched_switch\n"
		   "    char prev_comm[16]\n"
		   "    pid_t prev_pid\n"
		   "    int prev_prio\n"
		   "    long prev_state\n"
		   "    char next_comm[16]\n"
		   "    pid_t next_pid\n"
		   "    int next_prio\n");
	check_list("compat", "odd_fields", 1, 1,
		   "tracepoint:compat:odd_fields\n"
		   "    unsigned char mac[6]\n"
		   "    bool ok\n"
		   "    const void* cookie\n"
		   "    struct timespec64 ts\n"
		   "    struct in6_addr addr\n"
		   "    int odd\n"
		   "    u32 words[3]\n"
		   "    xfs_ino_t inos[16]\n"
		   "    char spaced_name[4]\n"
		   "    s16 deltas[3]\n"
		   "    int future\n"
		   "    u8 data[]\n");
}

/* Every listed tracepoint must also parse. */
static void test_list_all(void)
{
	char *got = NULL;
	size_t sz;
	FILE *m = open_memstream(&got, &sz);

	CHECK_INT(tracefs_list(NULL, NULL, 1, m), 21);	/* with kprobes:open_probe */
	fclose(m);
	CHECK(got && !strstr(got, "ftrace") && !strstr(got, "enable"));
	free(got);
}

int main(int argc, char **argv)
{
	char *root;

	fixtures = getenv("FIXTURES");
	if (!fixtures || !*fixtures)
		fixtures = argc > 1 ? argv[1] : "tests/fixtures";
	root = xasprintf("%s/tracefs", fixtures);
	setenv("SCRY_TRACEFS", root, 1);
	CHECK_STR(tracefs_root(), root);

	test_sys_enter_openat();
	test_syscalls();
	test_sched();
	test_misc_real();
	test_net_and_dynamic();
	test_compat();
	test_odd_fields();
	test_bad();
	test_truncations("syscalls/sys_enter_openat");
	test_truncations("sched/sched_switch");
	test_truncations("compat/sys_enter_open_2_6_32");
	test_truncations("compat/odd_fields");
	test_mutations("sched/sched_process_exec");
	test_mutations("compat/block_rq_issue_5_17");
	test_glob();
	test_format();
	test_list();
	test_list_all();
	free(root);
	return unit_done("test-tpformat");
}
