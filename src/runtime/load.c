/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Load the BPF object from memory with libbpf. libbpf's messages are kept
 * quiet and shown only when something fails: a verifier rejection is
 * reported against the probe it came from, with the log's tail. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <stdlib.h>
#include "arena.h"
#include "diag.h"
#include "runtime/state.h"

static char *log_buf;
static size_t log_len;
static FILE *log_stream;

static int capture(enum libbpf_print_level level, const char *fmt,
		   va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	if (!log_stream)
		log_stream = open_memstream(&log_buf, &log_len);
	if (log_stream)
		vfprintf(log_stream, fmt, ap);
	return 0;
}

static void log_reset(void)
{
	if (log_stream)
		fclose(log_stream);
	free(log_buf);
	log_stream = NULL;
	log_buf = NULL;
	log_len = 0;
}

/* Print the last lines of the verifier's log, where it says why. */
static void print_log_tail(const char *log, unsigned max_lines)
{
	const char *begin = strstr(log, "-- BEGIN PROG LOAD LOG --");
	const char *end = begin ? strstr(begin, "-- END PROG LOAD LOG --") : NULL;
	const char *p;
	unsigned lines = 0;

	if (!begin || !end)
		return;
	begin = strchr(begin, '\n') + 1;
	for (p = end; p > begin; p--)
		if (p[-1] == '\n' && ++lines > max_lines)
			break;
	if (p > begin)
		fputs("    ...\n", stderr);
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		fprintf(stderr, "    %.*s\n", (int)n, p);
		p += n + 1;
	}
}

static void report_load_failure(struct rt_state *st, int err)
{
	const struct rt_plan *plan = st->plan;

	fflush(log_stream);
	for (size_t i = 0; i < plan->nprogs; i++) {
		char needle[128];
		snprintf(needle, sizeof(needle), "prog '%s'",
			 plan->progs[i].bpf_name);
		if (log_buf && strstr(log_buf, needle)) {
			sys_error("%s: the kernel's BPF verifier rejected this "
				  "probe's program: %s", plan->progs[i].probe,
				  strerror(-err));
			if (log_buf)
				print_log_tail(log_buf, 12);
			fputs("note: the verifier proves every program safe and "
			      "finite: a loop it cannot bound, or a probe too "
			      "large to check, is refused; otherwise please "
			      "report this program\n", stderr);
			return;
		}
	}
	sys_error("loading the BPF programs failed: %s", strerror(-err));
	if (log_buf && *log_buf)
		fprintf(stderr, "%s", log_buf);
}

/* Tell each syscall-dispatch program which syscall numbers it traces. */
static int fill_dispatch(struct rt_state *st)
{
	struct rt_plan *plan = st->plan;

	for (size_t i = 0; i < plan->nprogs; i++) {
		struct rt_prog *p = &plan->progs[i];
		int fd;

		if (!p->dispatch_map)
			continue;
		fd = bpf_object__find_map_fd_by_name(st->obj, p->dispatch_map);
		for (size_t j = 0; j < p->ndispatch; j++) {
			uint32_t key = p->dispatch[j].nr;
			uint32_t val = p->dispatch[j].probe_id + 1;

			if (bpf_map_update_elem(fd, &key, &val, BPF_ANY)) {
				int err = -errno;
				sys_error("%s: setting up syscall dispatch "
					  "failed: %s", p->probe,
					  strerror(-err));
				return err;
			}
		}
	}
	return 0;
}

int rt_load(struct rt_state *st)
{
	struct rt_plan *plan = st->plan;
	LIBBPF_OPTS(bpf_object_open_opts, oo, .object_name = "scry");
	int err;

	libbpf_set_print(capture);
	st->obj = bpf_object__open_mem(plan->obj, plan->obj_len, &oo);
	if (!st->obj) {
		err = -errno;
		sys_error("opening the BPF object failed: %s", strerror(-err));
		return err;
	}
	st->progs = xcalloc(plan->nprogs + 1, sizeof(*st->progs));
	for (size_t i = 0; i < plan->nprogs; i++) {
		st->progs[i] = bpf_object__find_program_by_name(
			st->obj, plan->progs[i].bpf_name);
		if (!st->progs[i]) {
			sys_error("internal: program '%s' is missing from the "
				  "object", plan->progs[i].bpf_name);
			return -ENOENT;
		}
		bpf_program__set_autoattach(st->progs[i], false);
	}
	err = bpf_object__load(st->obj);
	if (err) {
		report_load_failure(st, err);
		log_reset();
		return err;
	}
	log_reset();
	if ((err = fill_dispatch(st)))
		return err;
	for (size_t i = 0; i < plan->nmaps; i++) {
		struct rt_map *m = &plan->maps[i];
		m->fd = bpf_object__find_map_fd_by_name(st->obj, m->bpf_name);
		if (m->fd < 0) {
			sys_error("internal: map '%s' is missing from the "
				  "object", m->bpf_name);
			return -ENOENT;
		}
	}
	return 0;
}
