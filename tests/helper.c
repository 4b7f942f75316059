/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Trigger program for the runtime tests: each subcommand makes a known set
 * of system calls, so a test can trace it by comm ("helper") and count. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static const char usage[] =
	"usage: helper [-v] COMMAND [ARGS]\n"
	"  open PATH [N]      openat(PATH) then close, N times (default 1)\n"
	"  fork N             fork N children that exit at once, wait for each\n"
	"  exec PATH [ARGS]   fork, execve PATH with ARGS, wait; exit with its status\n"
	"  write N [SIZE]     N writes of SIZE bytes (default 1) to /dev/null\n"
	"  sleep MS           sleep MS milliseconds\n"
	"  connect [N]        N TCP connections to its own listener on 127.0.0.1\n"
	"  getppid N          the getppid system call, N times\n"
	"  syscall NR...      each system call NR with invalid arguments (-1, 0...),\n"
	"                     in a child of its own, in order\n"
	"  usym [MS]          write(-1, ADDR, 0) with the addresses of its own\n"
	"                     helper_usym_target() then libc's qsort(), then sleep\n"
	"                     MS milliseconds (default 200)\n"
	"-v prints \"helper pid PID\" on stdout first.\n";

static void die(const char *what)
{
	fprintf(stderr, "helper: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* A non-negative decimal argument, or usage error. */
static long num(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || v < 0) {
		fprintf(stderr, "helper: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

static int cmd_open(int argc, char **argv)
{
	long n = argc > 1 ? num(argv[1]) : 1;

	/* a missing file is fine: the openat call is what is traced */
	for (long i = 0; i < n; i++) {
		int fd = openat(AT_FDCWD, argv[0], O_RDONLY);
		if (fd >= 0)
			close(fd);
	}
	return 0;
}

static int cmd_fork(int argc, char **argv)
{
	long n = num(argv[0]);

	for (long i = 0; i < n; i++) {
		pid_t p = fork();
		if (p < 0)
			die("fork");
		if (p == 0)
			_exit(0);
		if (waitpid(p, NULL, 0) < 0)
			die("waitpid");
	}
	return 0;
}

static int cmd_exec(int argc, char **argv)
{
	int status;
	pid_t p = fork();

	if (p < 0)
		die("fork");
	if (p == 0) {
		execve(argv[0], argv, environ);
		fprintf(stderr, "helper: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(p, &status, 0) < 0)
		die("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int cmd_write(int argc, char **argv)
{
	long n = num(argv[0]);
	long size = argc > 1 ? num(argv[1]) : 1;
	char *buf = calloc(1, size ? size : 1);
	int fd = open("/dev/null", O_WRONLY);

	if (!buf)
		die("calloc");
	if (fd < 0)
		die("/dev/null");
	for (long i = 0; i < n; i++)
		if (write(fd, buf, size) < 0)
			die("write");
	close(fd);
	free(buf);
	return 0;
}

static int cmd_sleep(int argc, char **argv)
{
	long ms = num(argv[0]);
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0)
		if (errno != EINTR)
			die("nanosleep");
	return 0;
}

static int cmd_connect(int argc, char **argv)
{
	long n = argc > 0 ? num(argv[0]) : 1;
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);

	if (lfd < 0)
		die("socket");
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("bind 127.0.0.1");
	if (listen(lfd, 8) < 0)
		die("listen");
	if (getsockname(lfd, (struct sockaddr *)&sa, &len) < 0)
		die("getsockname");
	for (long i = 0; i < n; i++) {
		int cfd = socket(AF_INET, SOCK_STREAM, 0), afd;
		if (cfd < 0)
			die("socket");
		if (connect(cfd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			die("connect");
		afd = accept(lfd, NULL, NULL);
		if (afd < 0)
			die("accept");
		close(afd);
		close(cfd);
	}
	close(lfd);
	return 0;
}

static int cmd_getppid(int argc, char **argv)
{
	long n = num(argv[0]);

	/* the raw system call: libc might answer from a cache */
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	return 0;
}

/* Checks scry's table of syscall numbers against the running kernel:
 * each call is made with harmless invalid arguments in a child, so one
 * that kills its caller (uretprobe outside a trampoline) harms nothing. */
static int cmd_syscall(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		long nr = num(argv[i]);
		pid_t p = fork();

		if (p < 0)
			die("fork");
		if (p == 0) {
			syscall(nr, -1L, 0L, 0L, 0L, 0L, 0L);
			_exit(0);
		}
		waitpid(p, NULL, 0);
	}
	return 0;
}

/* A function of the helper itself for usym(): not static, not inlined
 * and not empty, so it keeps its own address and symbol. */
__attribute__((noinline)) int helper_usym_target(int x)
{
	static volatile int sink;

	sink += x;
	return sink;
}

/* usym() tests: code addresses handed to the kernel as write()'s buffer
 * (count 0 on fd -1 reads nothing), one in the PIE executable and one in
 * a shared library; the sleep keeps the process (and its maps) alive
 * while the tracer resolves them. */
static int cmd_usym(int argc, char **argv)
{
	long ms = argc > 0 ? num(argv[0]) : 200;
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	helper_usym_target(1);
	if (write(-1, (const void *)(uintptr_t)&helper_usym_target, 0) >= 0 ||
	    write(-1, (const void *)(uintptr_t)&qsort, 0) >= 0)
		return 1;
	while (nanosleep(&ts, &ts) < 0)
		if (errno != EINTR)
			die("nanosleep");
	return 0;
}

static const struct {
	const char *name;
	int min_args, max_args;	/* max -1: any number */
	int (*fn)(int argc, char **argv);
} cmds[] = {
	{ "open", 1, 2, cmd_open },
	{ "fork", 1, 1, cmd_fork },
	{ "exec", 1, -1, cmd_exec },
	{ "write", 1, 2, cmd_write },
	{ "sleep", 1, 1, cmd_sleep },
	{ "connect", 0, 1, cmd_connect },
	{ "getppid", 1, 1, cmd_getppid },
	{ "syscall", 1, -1, cmd_syscall },
	{ "usym", 0, 1, cmd_usym },
};

int main(int argc, char **argv)
{
	int i = 1;

	if (i < argc && strcmp(argv[i], "-v") == 0) {
		printf("helper pid %d\n", (int)getpid());
		fflush(stdout);
		i++;
	}
	if (i >= argc) {
		fputs(usage, stderr);
		return 2;
	}
	for (size_t c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++) {
		int nargs = argc - i - 1;
		if (strcmp(argv[i], cmds[c].name))
			continue;
		if (nargs < cmds[c].min_args ||
		    (cmds[c].max_args >= 0 && nargs > cmds[c].max_args)) {
			fputs(usage, stderr);
			return 2;
		}
		return cmds[c].fn(nargs, argv + i + 1);
	}
	fprintf(stderr, "helper: unknown command '%s'\n%s", argv[i], usage);
	return 2;
}
