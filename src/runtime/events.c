/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The run: load, attach, BEGIN, stream ring-buffer records until exit(),
 * a signal or the -c command's end, then END, print maps and release
 * everything. Signals and the child's exit arrive through a signalfd, so
 * every one is noticed at once. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include "diag.h"
#include "runtime/state.h"

/* records are drained at least this often when none wakes the reader */
#define POLL_MS 10

static uint64_t word(const void *data, size_t size, unsigned i)
{
	uint64_t w = 0;

	if (8 * (i + 1) <= size)
		memcpy(&w, (const char *)data + 8 * i, 8);
	return w;
}

/* time(fmt): the local time of day, formatted when the record arrives */
static void print_time(struct rt_state *st, const char *fmt)
{
	char buf[256];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	if (!strftime(buf, sizeof(buf), fmt, &tm))
		return;
	if (!st->printer.json) {
		fputs(buf, st->printer.out);
		return;
	}
	fputs("{\"type\": \"time\", \"data\": ", st->printer.out);
	rt_json_string(st->printer.out, buf, strlen(buf));
	fputs("}\n", st->printer.out);
}

/* system(): the command runs through /bin/sh, its output going where
 * scry's does; scry waits for it (--unsafe only) */
static void run_system(struct rt_state *st, const char *cmd)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (fileno(st->printer.out) != STDOUT_FILENO)
			dup2(fileno(st->printer.out), STDOUT_FILENO);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
}

/* join(): the strings an argv-style array pointed to, one line */
static void print_join(struct rt_state *st, const struct rt_event *ev,
		       const void *data, size_t size)
{
	const char *rec = data;
	uint64_t n = word(data, size, 1);
	char *line = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&line, &len);

	if (n > RT_JOIN_MAX || 16 + n * RT_JOIN_LEN > size)
		n = 0;
	for (uint64_t i = 0; i < n; i++) {
		const char *s = rec + 16 + i * RT_JOIN_LEN;
		fprintf(m, "%s%.*s", i ? ev->text : "",
			(int)strnlen(s, RT_JOIN_LEN), s);
	}
	fclose(m);
	if (st->printer.json) {
		fputs("{\"type\": \"join\", \"data\": ", st->printer.out);
		rt_json_string(st->printer.out, line, len);
		fputs("}\n", st->printer.out);
	} else {
		fprintf(st->printer.out, "%s\n", line);
	}
	free(line);
}

/* cat(): the file's contents, as they are */
static void cat_file(struct rt_state *st, const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[4096];
	size_t n;

	if (!f) {
		sys_warn("cat(\"%s\"): %s", path, strerror(errno));
		return;
	}
	if (!st->printer.json) {
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, n, st->printer.out);
		fclose(f);
		return;
	}
	/* -f json: {"type": "cat", "data": "the contents"} */
	char *all = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&all, &len);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, m);
	fclose(m);
	fclose(f);
	fputs("{\"type\": \"cat\", \"data\": ", st->printer.out);
	rt_json_string(st->printer.out, all, len);
	fputs("}\n", st->printer.out);
	free(all);
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct rt_state *st = ctx;
	struct rt_plan *plan = st->plan;
	const struct rt_event *ev;
	uint64_t id = word(data, size, 0), m = word(data, size, 1);

	if (st->exit_seen || size < 8 || id >= plan->nevents)
		return 0;
	ev = &plan->events[id];
	switch (ev->kind) {
	case RT_EV_EXIT:
		/* records after exit() are not printed, as in bpftrace */
		st->exit_seen = true;
		st->stop = true;
		st->exit_code = (int)m;
		break;
	case RT_EV_PRINTF:
	case RT_EV_VALUE:
		rt_print_event(&st->printer, ev, data, size);
		break;
	case RT_EV_PRINT_MAP:
		if (m < plan->nmaps)
			rt_print_map_opts(&st->printer, &plan->maps[m],
					  word(data, size, 2),
					  word(data, size, 3));
		break;
	case RT_EV_CLEAR:
	case RT_EV_ZERO:
		if (m < plan->nmaps) {
			fflush(st->printer.out);
			if (ev->kind == RT_EV_CLEAR)
				rt_map_clear(&plan->maps[m]);
			else
				rt_map_zero(&plan->maps[m]);
		}
		break;
	case RT_EV_TIME:
		print_time(st, ev->text);
		break;
	case RT_EV_JOIN:
		print_join(st, ev, data, size);
		break;
	case RT_EV_SYSTEM:
	case RT_EV_CAT: {
		char *text = rt_format_event(plan, ev, data, size);
		fflush(st->printer.out);
		if (ev->kind == RT_EV_SYSTEM)
			run_system(st, text);
		else
			cat_file(st, text);
		free(text);
		break;
	}
	}
	return 0;
}

int rt_drain(struct rt_state *st)
{
	int n = st->rb ? ring_buffer__consume(st->rb) : 0;

	fflush(st->printer.out);
	return n;
}

static void block_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGCHLD);
	sigprocmask(SIG_BLOCK, set, NULL);
}

int rt_events_init(struct rt_state *st)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int rbfd;

	st->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (st->epfd < 0)
		return -errno;
	ev.data.fd = st->sigfd;
	epoll_ctl(st->epfd, EPOLL_CTL_ADD, st->sigfd, &ev);
	if (st->opt->target_pid) {
		/* -p PID: its pidfd becomes readable when it exits */
		st->pidfd = syscall(SYS_pidfd_open, st->opt->target_pid, 0);
		if (st->pidfd < 0) {
			int err = -errno;
			sys_error("-p %d: %s", st->opt->target_pid,
				  err == -ESRCH ? "no such process"
						: strerror(-err));
			return err;
		}
		ev.data.fd = st->pidfd;
		epoll_ctl(st->epfd, EPOLL_CTL_ADD, st->pidfd, &ev);
	}
	if (!st->plan->ringbuf_name)
		return 0;
	rbfd = bpf_object__find_map_fd_by_name(st->obj,
					       st->plan->ringbuf_name);
	st->rb = ring_buffer__new(rbfd, on_record, st, NULL);
	if (!st->rb) {
		int err = -errno;
		sys_error("creating the ring buffer reader failed: %s",
			  strerror(-err));
		return err;
	}
	ev.data.fd = ring_buffer__epoll_fd(st->rb);
	epoll_ctl(st->epfd, EPOLL_CTL_ADD, ev.data.fd, &ev);
	return 0;
}

/* ---- -c CMD ---------------------------------------------------------- */

static bool needs_shell(const char *cmd)
{
	return strpbrk(cmd, "|&;<>()$`\\\"'*?[]#~=%{}\n") != NULL;
}

/* Is the command's first word something execvp can run? Checked before
 * anything is loaded, so a typo costs nothing and says so plainly. */
static bool command_exists(const char *cmd)
{
	char word[4096], path[8192];
	const char *dirs = getenv("PATH");
	size_t n = strcspn(cmd, " \t");

	if (n == 0 || n >= sizeof(word))
		return false;
	memcpy(word, cmd, n);
	word[n] = 0;
	if (strchr(word, '/'))
		return access(word, X_OK) == 0;
	if (!dirs)
		dirs = "/usr/local/bin:/usr/bin:/bin";
	while (*dirs) {
		size_t d = strcspn(dirs, ":");
		snprintf(path, sizeof(path), "%.*s/%s", (int)d, d ? dirs : ".",
			 word);
		if (access(path, X_OK) == 0)
			return true;
		dirs += d + (dirs[d] == ':');
	}
	return false;
}

/* Fork the command now; it waits on a pipe until the probes are attached,
 * so even a command that exits at once is traced. */
static int start_child(struct rt_state *st)
{
	int go[2];
	pid_t pid;

	if (!needs_shell(st->opt->command) && !command_exists(st->opt->command))
		return -ENOENT;
	if (pipe2(go, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		int err = -errno;
		close(go[0]);
		close(go[1]);
		return err;
	}
	if (pid == 0) {
		char c;
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		if (needs_shell(st->opt->command)) {
			execl("/bin/sh", "sh", "-c", st->opt->command,
			      (char *)NULL);
		} else {
			char *copy = strdup(st->opt->command), *save = NULL;
			char *argv[256];
			int argc = 0;
			for (char *w = strtok_r(copy, " \t", &save);
			     w && argc < 255; w = strtok_r(NULL, " \t", &save))
				argv[argc++] = w;
			argv[argc] = NULL;
			if (argc)
				execvp(argv[0], argv);
		}
		fprintf(stderr, "scry: error: -c %s: cannot run it: %s\n",
			st->opt->command, strerror(errno));
		_exit(127);
	}
	close(go[0]);
	st->child = pid;
	st->child_go = go[1];
	return 0;
}

static void release_child(struct rt_state *st)
{
	if (st->child_go > 0) {
		if (write(st->child_go, "g", 1) != 1)
			sys_warn("-c: could not start the command");
		close(st->child_go);
		st->child_go = -1;
	}
}

static void reap_child(struct rt_state *st, bool wait)
{
	int status;
	pid_t r;

	if (!st->child || st->child_exited)
		return;
	r = waitpid(st->child, &status, wait ? 0 : WNOHANG);
	if (r == st->child) {
		st->child_exited = true;
		st->child_status = status;
	}
}

/* ---- the loop -------------------------------------------------------- */

static void handle_signal(struct rt_state *st)
{
	struct signalfd_siginfo si;

	while (read(st->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD) {
			reap_child(st, false);
			if (st->child_exited)
				st->stop = true;
			continue;
		}
		/* pass the signal on to the command, then stop */
		if (st->child && !st->child_exited)
			kill(st->child, si.ssi_signo);
		st->interrupted = true;
		st->stop = true;
	}
}

/* Slot i of the problem counters (an array of u64 in .bss). */
static uint64_t counter(struct rt_state *st, uint32_t slot)
{
	size_t n = 1 + st->plan->nmaps;
	uint64_t vals[n];
	uint32_t key = 0;

	if (st->counters_fd < 0 ||
	    bpf_map_lookup_elem(st->counters_fd, &key, vals))
		return 0;
	return slot < n ? vals[slot] : 0;
}

/* "Lost N events": records the full ring buffer refused since the last
 * report. Nothing is dropped silently. */
static void report_lost(struct rt_state *st)
{
	uint64_t lost = counter(st, 0), n = lost - st->lost_reported;

	if (!n)
		return;
	st->lost_reported = lost;
	fflush(st->printer.out);
	if (st->printer.json)
		fprintf(st->printer.out, "{\"type\": \"lost_events\", "
			"\"count\": %llu, \"data\": {\"events\": %llu}}\n",
			(unsigned long long)n, (unsigned long long)n);
	else
		fprintf(stderr, "Lost %llu events\n", (unsigned long long)n);
}

/* Updates dropped because a map was full, by map, at exit. */
static void report_full_maps(struct rt_state *st)
{
	for (size_t i = 0; i < st->plan->nmaps; i++) {
		uint64_t n = counter(st, 1 + i);
		if (n)
			sys_warn("map '%s' was full (%u keys): %llu update%s "
				 "dropped; %s sets its size",
				 st->plan->maps[i].name,
				 st->plan->maps[i].max_entries,
				 (unsigned long long)n, n == 1 ? " was" : "s were",
				 st->plan->maps[i].declared ? "its declaration"
				 : "SCRY_MAP_KEYS");
	}
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
}

static void event_loop(struct rt_state *st)
{
	struct epoll_event evs[4];
	uint64_t last_check = now_ms();

	while (!st->stop) {
		int n = epoll_wait(st->epfd, evs, 4, st->rb ? POLL_MS : -1);

		if (n < 0 && errno != EINTR)
			break;
		for (int i = 0; i < n; i++) {
			if (evs[i].data.fd == st->sigfd)
				handle_signal(st);
			else if (st->pidfd > 0 && evs[i].data.fd == st->pidfd)
				st->stop = true;	/* -p PID exited */
		}
		rt_drain(st);
		if (now_ms() - last_check >= 1000) {
			report_lost(st);
			last_check = now_ms();
		}
	}
}

/* The config map's slots (stdlib/builtins.h): the start time for
 * elapsed and the -c child's pid for cpid, known only now. */
static void set_config(struct rt_state *st)
{
	struct timespec ts;
	uint64_t now, cpid = st->child > 0 ? st->child : 0;
	uint32_t key = RT_CONFIG_START, ckey = RT_CONFIG_CPID;
	int fd;

	if (!st->plan->config_name)
		return;
	fd = bpf_object__find_map_fd_by_name(st->obj, st->plan->config_name);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
	bpf_map_update_elem(fd, &key, &now, BPF_ANY);
	bpf_map_update_elem(fd, &ckey, &cpid, BPF_ANY);
}

static bool has_tracepoints(const struct rt_plan *plan)
{
	for (size_t i = 0; i < plan->nprogs; i++)
		if (plan->progs[i].kind != RT_PROG_BEGIN &&
		    plan->progs[i].kind != RT_PROG_END)
			return true;
	return false;
}

static void state_fini(struct rt_state *st)
{
	rt_detach(st);
	ring_buffer__free(st->rb);
	bpf_object__close(st->obj);
	free(st->progs);
	if (st->epfd > 0)
		close(st->epfd);
	if (st->sigfd > 0)
		close(st->sigfd);
	if (st->pidfd > 0)
		close(st->pidfd);
	if (st->child_go > 0)
		close(st->child_go);
}

static int finish_child(struct rt_state *st)
{
	if (!st->child)
		return 0;
	if (!st->child_exited) {
		release_child(st);	/* never started: let it go and end */
		kill(st->child, SIGTERM);
		reap_child(st, true);
	}
	if (WIFEXITED(st->child_status) && WEXITSTATUS(st->child_status) == 127)
		return 1;
	return 0;
}

int rt_run(struct rt_plan *plan, const struct rt_options *opt)
{
	struct rt_state st = { .plan = plan, .opt = opt, .child_go = -1 };
	sigset_t set;
	int err, status = 0;

	st.printer.out = opt->out;
	st.printer.plan = plan;
	st.printer.json = opt->json;
	block_signals(&set);
	st.sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (opt->command && (err = start_child(&st))) {
		if (err == -ENOENT)
			sys_error("-c %s: command not found", opt->command);
		else
			sys_error("-c %s: cannot start it: %s", opt->command,
				  strerror(-err));
		status = 1;
		goto out;
	}
	if ((err = rt_load(&st)) || (err = rt_events_init(&st))) {
		status = 1;
		goto out;
	}
	set_config(&st);
	st.counters_fd = plan->counters_name
		? bpf_object__find_map_fd_by_name(st.obj, plan->counters_name)
		: -1;
	err = rt_attach(&st);
	if (err && err != -EINTR) {
		status = 1;
		goto out;
	}
	if (!opt->quiet && !err && opt->json)	/* as bpftrace -f json */
		fprintf(opt->out, "{\"type\": \"attached_probes\", \"count\": "
			"%u, \"data\": {\"probes\": %u}}\n", st.attached,
			st.attached);
	else if (!opt->quiet && !err)
		fprintf(stderr, "Attached %u probe%s\n", st.attached,
			st.attached == 1 ? "" : "s");
	if (!err && !rt_run_special(&st, RT_PROG_BEGIN)) {
		rt_drain(&st);
		release_child(&st);
		if (has_tracepoints(plan) || opt->command || opt->target_pid)
			event_loop(&st);
	}
	/* stop: END runs after the last event, then the maps print; a
	 * second Ctrl-C during that ends scry at once (the kernel frees
	 * every program and map when the process goes) */
	if (st.interrupted) {
		sigset_t intr;
		sigemptyset(&intr);
		sigaddset(&intr, SIGINT);
		sigprocmask(SIG_UNBLOCK, &intr, NULL);
	}
	/* as bpftrace: every probe is detached before END runs, so END
	 * and the maps see no event that came after the stop */
	rt_detach(&st);
	rt_drain(&st);
	st.exit_seen = false;	/* END may print */
	rt_run_special(&st, RT_PROG_END);
	rt_drain(&st);
	rt_print_maps(&st.printer);
	fflush(opt->out);
	report_lost(&st);
	report_full_maps(&st);
	status = finish_child(&st);
	if (!status)
		status = st.exit_code;
out:
	state_fini(&st);
	rt_usym_reset();	/* the symbol tables usym() read */
	/* signals stay blocked: one that arrived after the last read of the
	 * signalfd would otherwise kill scry now, with the wrong status */
	return status;
}

void rt_plan_free(struct rt_plan *plan)
{
	free(plan->obj);
	for (size_t i = 0; i < plan->nmaps; i++) {
		free((char *)plan->maps[i].name);
		free((char *)plan->maps[i].bpf_name);
		for (unsigned j = 0; j < plan->maps[i].nkeys; j++)
			rt_field_fini(&plan->maps[i].keys[j]);
		free(plan->maps[i].keys);
		rt_field_fini(&plan->maps[i].value);
	}
	free(plan->maps);
	for (size_t i = 0; i < plan->nevents; i++) {
		fmt_free(&plan->events[i].fmt);
		for (unsigned j = 0; j < plan->events[i].nargs; j++)
			rt_field_fini(&plan->events[i].args[j]);
		free(plan->events[i].args);
		free(plan->events[i].text);
	}
	free(plan->events);
	for (size_t i = 0; i < plan->nprogs; i++) {
		struct rt_prog *p = &plan->progs[i];
		for (size_t j = 0; j < p->ntargets; j++) {
			free((char *)p->targets[j].category);
			free((char *)p->targets[j].event);
		}
		free(p->targets);
		free(p->dispatch);
		free((char *)p->dispatch_map);
		free((char *)p->bpf_name);
		free((char *)p->probe);
	}
	free(plan->progs);
	for (size_t i = 0; i < plan->nprobe_names; i++)
		free((char *)plan->probe_names[i]);
	free(plan->probe_names);
	for (size_t i = 0; i < plan->ntime_formats; i++)
		free((char *)plan->time_formats[i]);
	free(plan->time_formats);
	free((char *)plan->ringbuf_name);
	free((char *)plan->config_name);
	free((char *)plan->counters_name);
	memset(plan, 0, sizeof(*plan));
}
