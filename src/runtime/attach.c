/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Attach programs to their targets, run BEGIN and END (scry runs those
 * itself with BPF_PROG_TEST_RUN), and detach everything. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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

/* The perf event id of tracepoint cat:event (tracefs' events/C/E/id),
 * or -errno. A tracefs given in SCRY_TRACEFS (tests' formats) may have
 * no ids: the kernel's own tracefs has. */
static int tracepoint_id(const char *cat, const char *event)
{
	static const char *const roots[] = { NULL, "/sys/kernel/tracing",
					     "/sys/kernel/debug/tracing" };
	char path[4096];
	FILE *f = NULL;
	int id = -ENOENT;

	for (size_t i = 0; !f && i < sizeof(roots) / sizeof(roots[0]); i++) {
		snprintf(path, sizeof(path), "%s/events/%s/%s/id",
			 roots[i] ? roots[i] : tracefs_root(), cat, event);
		f = fopen(path, "re");
	}
	if (!f)
		return -errno;
	if (fscanf(f, "%d", &id) != 1)
		id = -EINVAL;
	fclose(f);
	return id;
}

static void add_perf_fd(struct rt_state *st, int fd)
{
	if (st->nperf == st->cap_perf) {
		st->cap_perf = st->cap_perf ? st->cap_perf * 2 : 16;
		st->perf_fds = xrealloc(st->perf_fds,
					st->cap_perf * sizeof(*st->perf_fds));
	}
	st->perf_fds[st->nperf++] = fd;
}

static int tracepoint_failed(const struct rt_target *t, int err)
{
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

/* A tracepoint through perf: the kernel builds the record the program
 * reads as args. scry keeps a descriptor of the perf event of its own
 * (rt_detach says why). */
static int attach_tracepoint(struct rt_state *st, size_t i,
			     const struct rt_target *t)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_TRACEPOINT,
		.size = sizeof(attr),
		.sample_period = 1,
		.wakeup_events = 1,
	};
	LIBBPF_OPTS(bpf_perf_event_opts, o, .bpf_cookie = t->cookie);
	struct bpf_link *l;
	int id, fd, keep, err;

	id = tracepoint_id(t->category, t->event);
	if (id < 0)
		return tracepoint_failed(t, id);
	attr.config = id;
	fd = syscall(__NR_perf_event_open, &attr, -1, 0, -1,
		     PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return tracepoint_failed(t, -errno);
	keep = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (keep < 0) {
		err = -errno;
		close(fd);
		return tracepoint_failed(t, err);
	}
	l = bpf_program__attach_perf_event_opts(st->progs[i], fd, &o);
	if (!l) {
		err = -errno;
		close(fd);
		close(keep);
		return tracepoint_failed(t, err);
	}
	add_link(st, l);	/* the link owns fd */
	add_perf_fd(st, keep);
	return 0;
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

/* Close fds in a grandchild of scry, which outlives it: the last close of
 * a perf event on a tracepoint waits ~70 ms for RCU, one after another
 * (the kernel holds event_mutex), so 100 of them would keep scry from
 * exiting for 7 s. The events are disabled and carry no program by now:
 * nothing runs and nothing is recorded while they wait to be closed. */
static void close_in_background(const int *fds, size_t n)
{
	int go[2] = { -1, -1 };
	pid_t pid;
	char c;

	/* the grandchild waits for scry to have closed its copies: whoever
	 * closes an event last pays its wait */
	if (pipe2(go, O_CLOEXEC))
		go[0] = go[1] = -1;
	pid = fork();
	if (pid == 0) {
		if (fork() == 0) {
			/* keep only the events: stdout and the rest must
			 * see scry end when it does */
			long max = sysconf(_SC_OPEN_MAX);
			char *mine;

			setsid();
			max = max > 0 && max < 65536 ? max : 65536;
			mine = calloc(max, 1);
			for (size_t i = 0; mine && i < n; i++)
				if (fds[i] < max)
					mine[fds[i]] = 1;
			if (mine && go[0] >= 0 && go[0] < max)
				mine[go[0]] = 1;
			for (long fd = 0; mine && fd < max; fd++)
				if (!mine[fd])
					close(fd);
			while (go[0] >= 0 && read(go[0], &c, 1) < 0 &&
			       errno == EINTR)
				;
			for (size_t i = 0; i < n; i++)
				close(fds[i]);
		}
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
	/* scry's own copies: quick, while the grandchild holds the events;
	 * if fork failed, these closes are the slow ones */
	for (size_t i = 0; i < n; i++)
		close(fds[i]);
	if (go[0] >= 0) {
		close(go[0]);
		close(go[1]);	/* the grandchild may go on */
	}
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

#define DETACH_THREADS 64

/* The programs leave their perf events. On syscall tracepoints each
 * detach waits for an RCU grace period (they may fault, since Linux
 * 6.13); from many threads the waits overlap. */
static void destroy_links(struct rt_state *st)
{
	struct detacher d[DETACH_THREADS];
	size_t n = st->nlinks < DETACH_THREADS ? st->nlinks : DETACH_THREADS;
	size_t started = 0;

	for (size_t t = 0; n > 1 && t < n; t++) {
		d[t] = (struct detacher){ .st = st, .first = t, .step = n };
		if (pthread_create(&d[t].thread, NULL, detach_some, &d[t]))
			break;
		started++;
	}
	for (size_t t = 0; t < started; t++)
		pthread_join(d[t].thread, NULL);
	/* what no thread took */
	for (size_t i = 0; i < st->nlinks; i++)
		if (!started || i % n >= started)
			bpf_link__destroy(st->links[i]);
}

void rt_detach(struct rt_state *st)
{
	/* raw links: closing them is quick */
	for (size_t i = 0; i < st->nfds; i++)
		close(st->fds[i]);
	free(st->fds);
	st->fds = NULL;
	st->nfds = st->cap_fds = 0;
	destroy_links(st);
	free(st->links);
	st->links = NULL;
	st->nlinks = st->cap_links = 0;
	if (!st->nperf)
		return;
	for (size_t i = 0; i < st->nperf; i++)
		ioctl(st->perf_fds[i], PERF_EVENT_IOC_DISABLE, 0);
	close_in_background(st->perf_fds, st->nperf);
	free(st->perf_fds);
	st->perf_fds = NULL;
	st->nperf = st->cap_perf = 0;
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
