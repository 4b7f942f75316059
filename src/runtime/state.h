/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The runtime's own state, shared by load.c, attach.c and events.c. Every
 * kernel resource belongs to it and rt_state_fini() releases them all. */
#ifndef SCRY_RT_STATE_H
#define SCRY_RT_STATE_H
#include <signal.h>
#include <sys/types.h>
#include <bpf/libbpf.h>
#include "runtime/runtime.h"

struct rt_state {
	struct rt_plan *plan;
	const struct rt_options *opt;
	struct bpf_object *obj;
	struct bpf_program **progs;	/* per plan->progs */
	struct bpf_link **links;
	size_t nlinks, cap_links;
	int *fds;			/* raw tracepoint links */
	size_t nfds, cap_fds;
	int *perf_fds;			/* perf events on tracepoints */
	size_t nperf, cap_perf;
	struct ring_buffer *rb;
	int sigfd, epfd;
	int pidfd;			/* -p PID, or 0 */
	pid_t child;			/* -c command, 0: none */
	int child_go;			/* pipe: write end releases the child */
	int child_status;
	bool child_exited;
	bool stop;			/* leave the event loop */
	bool exit_seen;			/* exit() ran: drop later records */
	int exit_code;			/* exit(N) */
	int counters_fd;		/* problem counters, or -1 */
	uint64_t lost_reported;
	bool interrupted;
	unsigned attached;
	struct rt_printer printer;
};

/* load.c */
int rt_load(struct rt_state *st);
/* attach.c */
int rt_attach(struct rt_state *st);
void rt_detach(struct rt_state *st);
int rt_run_special(struct rt_state *st, enum rt_prog_kind kind);
/* events.c */
int rt_events_init(struct rt_state *st);
int rt_drain(struct rt_state *st);

#endif
