/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Attach programs to their targets, run BEGIN and END (scry runs those
 * itself with BPF_PROG_TEST_RUN), and detach everything. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <string.h>
#include <bpf/bpf.h>
#include <stdlib.h>
#include "arena.h"
#include "diag.h"
#include "runtime/state.h"
#include "runtime/tracefs.h"

static void add_link(struct rt_state *st, struct bpf_link *l)
{
	if (st->nlinks == st->cap_links) {
		st->cap_links = st->cap_links ? st->cap_links * 2 : 16;
		st->links = xrealloc(st->links,
				     st->cap_links * sizeof(*st->links));
	}
	st->links[st->nlinks++] = l;
}

static void add_fd(struct rt_state *st, int fd)
{
	if (st->nfds == st->cap_fds) {
		st->cap_fds = st->cap_fds ? st->cap_fds * 2 : 16;
		st->fds = xrealloc(st->fds, st->cap_fds * sizeof(*st->fds));
	}
	st->fds[st->nfds++] = fd;
}

/* A SIGINT or SIGTERM that arrives while hundreds of probes attach must
 * stop scry at once, not after the last one. */
static bool stop_requested(void)
{
	sigset_t pending;

	if (sigpending(&pending))
		return false;
	return sigismember(&pending, SIGINT) ||
	       sigismember(&pending, SIGTERM) || sigismember(&pending, SIGHUP);
}

/* An interval probe: a CPU-clock perf event on CPU 0 that overflows
 * every period_ns and runs the program. */
static int attach_interval(struct rt_state *st, size_t i,
			   const struct rt_target *t)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.sample_period = t->period_ns,
	};
	LIBBPF_OPTS(bpf_perf_event_opts, o, .bpf_cookie = t->cookie);
	struct bpf_link *l;
	int fd, err;

	fd = syscall(__NR_perf_event_open, &attr, -1, 0, -1,
		     PERF_FLAG_FD_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		sys_error("%s: creating the timer failed: %s",
			  st->plan->probe_names[t->cookie], strerror(-err));
		return err;
	}
	l = bpf_program__attach_perf_event_opts(st->progs[i], fd, &o);
	if (!l) {
		err = -errno;
		close(fd);
		sys_error("%s: attach failed: %s",
			  st->plan->probe_names[t->cookie], strerror(-err));
		return err;
	}
	add_link(st, l);	/* the link owns the perf event fd */
	return 0;
}

/* A tracepoint through perf: the kernel builds the record the program
 * reads as args. Closing it waits for an RCU grace period. */
static int attach_tracepoint(struct rt_state *st, size_t i,
			     const struct rt_target *t)
{
	LIBBPF_OPTS(bpf_tracepoint_opts, o, .bpf_cookie = t->cookie);
	struct bpf_link *l;
	int err;

	l = bpf_program__attach_tracepoint_opts(st->progs[i], t->category,
						t->event, &o);
	if (l) {
		add_link(st, l);
		return 0;
	}
	err = -errno;
	sys_error("tracepoint:%s:%s: attach failed: %s", t->category,
		  t->event, strerror(-err));
	/* the kernel's check at attach time: the program reads past the end
	 * of the record */
	if (err == -EACCES)
		fprintf(stderr, "note: the kernel says the program reads beyond "
			"this tracepoint's record: its format file (%s) does "
			"not describe this kernel\n", tracefs_root());
	return err;
}

/* BPF_RAW_TRACEPOINT_OPEN's attribute with the cookie Linux 6.10 added;
 * older headers lack the field. */
struct raw_tp_attr {
	uint64_t name;
	uint32_t prog_fd;
	uint32_t pad;
	uint64_t cookie;
};

/* A tracepoint through a raw link: the program runs on the tracepoint's
 * arguments, no record is built, and closing the link does not wait. */
static int attach_raw_tracepoint(struct rt_state *st, size_t i,
				 const struct rt_target *t)
{
	struct raw_tp_attr a = {
		.name = (uintptr_t)t->event,
		.prog_fd = bpf_program__fd(st->progs[i]),
		.cookie = st->plan->progs[i].ntargets > 1 ? t->cookie : 0,
	};
	int fd, err;

	fd = syscall(__NR_bpf, BPF_RAW_TRACEPOINT_OPEN, &a, sizeof(a));
	if (fd >= 0) {
		add_fd(st, fd);
		return 0;
	}
	err = -errno;
	sys_error("tracepoint:%s:%s: attach failed: %s", t->category,
		  t->event, strerror(-err));
	if (err == -ENOENT)
		fprintf(stderr, "note: the kernel has no tracepoint named '%s' "
			"to attach a raw link to\n", t->event);
	return err;
}

typedef int attach_fn(struct rt_state *st, size_t i,
		      const struct rt_target *t);

/* How each kind of program attaches to one of its targets; BEGIN and END
 * have none, scry runs them itself. */
static attach_fn *const attachers[] = {
	[RT_PROG_TRACEPOINT] = attach_tracepoint,
	[RT_PROG_RAW_TRACEPOINT] = attach_raw_tracepoint,
	[RT_PROG_INTERVAL] = attach_interval,
};

int rt_attach(struct rt_state *st)
{
	struct rt_plan *plan = st->plan;

	for (size_t i = 0; i < plan->nprogs; i++) {
		struct rt_prog *p = &plan->progs[i];
		attach_fn *attach = attachers[p->kind];

		if (!attach) {
			st->attached++;
			continue;
		}
		for (size_t j = 0; j < p->ntargets; j++) {
			int err;

			if (stop_requested()) {
				st->interrupted = true;
				return -EINTR;
			}
			err = attach(st, i, &p->targets[j]);
			if (err)
				return err;
			st->attached++;
		}
		/* one raw_syscalls attachment stands for many probes */
		if (p->ndispatch)
			st->attached += p->ndispatch - p->ntargets;
	}
	return 0;
}

struct detacher {
	pthread_t thread;
	struct rt_state *st;
	size_t first, step;
};

static void *detach_some(void *arg)
{
	struct detacher *d = arg;

	for (size_t i = d->first; i < d->st->nlinks; i += d->step)
		bpf_link__destroy(d->st->links[i]);
	return NULL;
}

/* Closing a perf-attached tracepoint waits for an RCU grace period
 * (~70 ms here), one close after another: many threads share the
 * waits. */
#define DETACH_THREADS 16

void rt_detach(struct rt_state *st)
{
	struct detacher d[DETACH_THREADS];
	size_t n = st->nlinks < DETACH_THREADS ? st->nlinks : DETACH_THREADS;
	size_t started = 0;

	/* raw links first: closing them is quick */
	for (size_t i = 0; i < st->nfds; i++)
		close(st->fds[i]);
	free(st->fds);
	st->fds = NULL;
	st->nfds = st->cap_fds = 0;

	if (n > 1) {
		for (size_t t = 0; t < n; t++) {
			d[t] = (struct detacher){ .st = st, .first = t,
						  .step = n };
			if (pthread_create(&d[t].thread, NULL, detach_some,
					   &d[t]))
				break;
			started++;
		}
		for (size_t t = 0; t < started; t++)
			pthread_join(d[t].thread, NULL);
		/* links no thread took are closed here */
		for (size_t i = started; started < n && i < st->nlinks; i++)
			if (i % n >= started)
				bpf_link__destroy(st->links[i]);
	} else if (n == 1) {
		bpf_link__destroy(st->links[0]);
	}
	free(st->links);
	st->links = NULL;
	st->nlinks = st->cap_links = 0;
}

int rt_run_special(struct rt_state *st, enum rt_prog_kind kind)
{
	struct rt_plan *plan = st->plan;

	for (size_t i = 0; i < plan->nprogs; i++) {
		LIBBPF_OPTS(bpf_test_run_opts, o);
		int err;

		if (plan->progs[i].kind != kind)
			continue;
		err = bpf_prog_test_run_opts(bpf_program__fd(st->progs[i]), &o);
		if (err) {
			err = -errno;
			sys_error("%s: running the probe failed: %s",
				  plan->progs[i].probe, strerror(-err));
			return err;
		}
	}
	return 0;
}
