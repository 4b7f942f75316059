/* SPDX-License-Identifier: GPL-2.0-or-later */
/* scry's command line: read a program, compile it, run it (or list
 * tracepoints, or dump what the compiler made of a program).
 * Exit status: 0 ok, 1 error in the program or while tracing, 2 usage,
 * N after exit(N). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "arena.h"
#include "compile.h"
#include "config.h"
#include "providers/provider.h"

static const char usage_text[] =
"usage: scry [options] -e 'PROGRAM' [ARG...]\n"
"       scry [options] FILE [ARG...]     (ARGs are $1, $2 ...; $# counts them)\n"
"       ... -- --NAME=VALUE             (named options, read by getopt(\"NAME\"))\n"
"       scry -l [PATTERN]       list tracepoints (-lv: with their fields)\n"
"\n"
"options:\n"
"  -e PROGRAM      run PROGRAM\n"
"  -c 'CMD'        run CMD, trace while it runs, stop when it exits\n"
"  -p PID          trace only process PID; stop when it exits\n"
"  -o FILE         write the program's output to FILE\n"
"  -f FORMAT       output format: text (the default) or json\n"
"  -l [PATTERN]    list tracepoints matching PATTERN (tracepoint:CAT:NAME,\n"
"                  CAT:NAME or NAME, with the globs * ? [...])\n"
"  -v              with -l: show each tracepoint's fields\n"
"  -d WHAT         print what the compiler made and exit: ast (as parsed),\n"
"                  types (after sema), ir, ir-raw (before optimisation),\n"
"                  bpf (several: -d ast,bpf)\n"
"  -q              quiet: do not say when probes are attached\n"
"  --unsafe        allow signal() and system()\n"
"  -h, --help      show this help\n"
"  -V, --version   show the version\n"
"\n"
"Example: scry -e 'tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }'\n";

static void usage(FILE *out)
{
	fputs(usage_text, out);
}

static char *read_all(FILE *f, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = xmalloc(cap);

	for (;;) {
		size_t r;
		if (n + 1 >= cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		r = fread(buf + n, 1, cap - n - 1, f);
		if (!r)
			break;
		n += r;
	}
	buf[n] = 0;
	*len = n;
	return ferror(f) ? (free(buf), NULL) : buf;
}

static int parse_dump(const char *arg, unsigned *dump)
{
	char *copy = xstrdup(arg), *save = NULL;
	int ok = 0;

	for (char *w = strtok_r(copy, ",", &save); w;
	     w = strtok_r(NULL, ",", &save)) {
		if (!strcmp(w, "ast"))
			*dump |= DUMP_AST;
		else if (!strcmp(w, "types"))
			*dump |= DUMP_TYPES;
		else if (!strcmp(w, "ir"))
			*dump |= DUMP_IR;
		else if (!strcmp(w, "ir-raw"))
			*dump |= DUMP_IR_RAW;
		else if (!strcmp(w, "bpf"))
			*dump |= DUMP_BPF;
		else {
			fprintf(stderr, "scry: error: -d %s: unknown dump; use "
				"ast, types, ir, ir-raw or bpf\n", w);
			ok = -1;
		}
	}
	free(copy);
	return ok;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "unsafe", no_argument, NULL, 'U' },
		{ NULL, 0, NULL, 0 },
	};
	const char *prog_text = NULL, *command = NULL, *out_path = NULL;
	bool json = false;
	long target_pid = 0;
	bool list = false, verbose = false, quiet = false;
	struct compile_options copt = { .dump_out = stdout };
	struct source src = { 0 };
	char *file_text = NULL;
	struct rt_plan plan;
	struct diag diag;
	int c, ret;

	/* getopt_long moves "--" and what precedes it: remember what
	 * followed it, where named options (--name=value) may be */
	char **after_dashes = NULL;
	int nafter = 0;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			after_dashes = argv + i + 1;
			nafter = argc - i - 1;
			break;
		}
	/* static: held until exit, whichever way main returns */
	static char **orig;
	if (after_dashes) {
		orig = xcalloc(nafter + 1, sizeof(char *));
		memcpy(orig, after_dashes, nafter * sizeof(char *));
	}

	while ((c = getopt_long(argc, argv, "e:c:d:p:o:f:lvqhV", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'e':
			prog_text = optarg;
			break;
		case 'c':
			command = optarg;
			break;
		case 'p': {
			char *end;
			target_pid = strtol(optarg, &end, 10);
			if (*end || target_pid <= 0 || target_pid > 0x3fffffff) {
				fprintf(stderr, "scry: error: -p %s: not a "
					"process id\n", optarg);
				return 2;
			}
			if (kill(target_pid, 0) && errno == ESRCH) {
				fprintf(stderr, "scry: error: -p %ld: no such "
					"process\n", target_pid);
				return 1;
			}
			break;
		}
		case 'o':
			out_path = optarg;
			break;
		case 'f':
			if (!strcmp(optarg, "json")) {
				json = true;
			} else if (strcmp(optarg, "text")) {
				fprintf(stderr, "scry: error: -f %s: unknown "
					"output format; use text or json\n",
					optarg);
				return 2;
			}
			break;
		case 'd':
			if (parse_dump(optarg, &copt.dump))
				return 2;
			break;
		case 'l':
			list = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'U':
			copt.unsafe = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("scry %s (LLVM %s)\n", PACKAGE_VERSION,
			       SCRY_LLVM_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (list) {
		if (optind + 1 < argc) {
			fputs("scry: error: -l takes one pattern\n", stderr);
			return 2;
		}
		ret = provider_list(optind < argc ? argv[optind] : NULL,
				    verbose, stdout);
		if (ret < 0) {
			fprintf(stderr, "scry: error: cannot list tracepoints: "
				"%s\n", strerror(-ret));
			return 1;
		}
		return 0;
	}
	if (prog_text) {
		src.name = "<stdin>";
		src.text = prog_text;
		src.len = strlen(prog_text);
	} else if (optind < argc) {
		const char *path = argv[optind];
		FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
		if (!f) {
			fprintf(stderr, "scry: error: cannot open '%s': %s\n",
				path, strerror(errno));
			return 1;
		}
		file_text = read_all(f, &src.len);
		if (f != stdin)
			fclose(f);
		if (!file_text) {
			fprintf(stderr, "scry: error: cannot read '%s'\n", path);
			return 1;
		}
		src.name = strcmp(path, "-") ? path : "<stdin>";
		src.text = file_text;
		optind++;
	} else {
		usage(stderr);
		return 2;
	}

	/* what is left are the positional parameters, and after a "--"
	 * the named ones, --name[=value], for getopt() */
	copt.params = xcalloc(argc + 1, sizeof(char *));
	copt.named = xcalloc(argc + 1, sizeof(char *));
	for (; optind < argc; optind++) {
		char *a = argv[optind];
		bool after = false;

		for (int i = 0; i < nafter && !after; i++)
			after = orig[i] == a;
		if (after && !strncmp(a, "--", 2) && a[2] && a[2] != '=')
			copt.named[copt.nnamed++] = a;
		else
			copt.params[copt.nparams++] = a;
	}
	copt.target_pid = target_pid;
	copt.has_command = command != NULL;
	if (compile_options_from_env(&copt)) {
		free(file_text);
		free(copt.params);
		free(copt.named);
		return 2;
	}
	diag_init(&diag, &src, stderr);
	/* running (not just compiling) needs privileges: say so before
	 * tracefs reads fail in confusing ways */
	if (!copt.dump && rt_check_privileges(false)) {
		free(file_text);
		free(copt.params);
		free(copt.named);
		return 1;
	}
	ret = compile_program(&src, &diag, &copt, &plan);
	if (ret || copt.dump) {
		rt_plan_free(&plan);
		free(file_text);
		free(copt.params);
		free(copt.named);
		return ret ? 1 : 0;
	}
	struct rt_options ropt = { .command = command, .out = stdout,
				   .quiet = quiet, .json = json,
				   .target_pid = target_pid };
	if (out_path && !(ropt.out = fopen(out_path, "w"))) {
		fprintf(stderr, "scry: error: -o %s: cannot open it: %s\n",
			out_path, strerror(errno));
		rt_plan_free(&plan);
		free(file_text);
		free(copt.params);
		free(copt.named);
		return 1;
	}
	ret = rt_run(&plan, &ropt);
	if (out_path && fclose(ropt.out)) {
		fprintf(stderr, "scry: error: -o %s: writing failed: %s\n",
			out_path, strerror(errno));
		ret = 1;
	}
	rt_plan_free(&plan);
	free(file_text);
	free(copt.params);
	free(copt.named);
	return ret;
}
