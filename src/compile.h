/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The compiler's stages in order: parse, sema, codegen. */
#ifndef SCRY_COMPILE_H
#define SCRY_COMPILE_H
#include <stdio.h>
#include "diag.h"
#include "runtime/runtime.h"

enum compile_dump {
	DUMP_NONE = 0,
	DUMP_AST = 1,
	DUMP_IR = 2,
	DUMP_BPF = 4,
	DUMP_IR_RAW = 8,
	DUMP_TYPES = 16,
};

struct compile_options {
	unsigned dump;		/* enum compile_dump bits */
	FILE *dump_out;
	char **params;		/* positional parameters $1 ... */
	int nparams;
	char **named;		/* named options --name[=value] (getopt) */
	int nnamed;
	int target_pid;		/* -p PID: only events of this process */
	bool has_command;	/* -c CMD: cpid can be used */
	bool unsafe;		/* --unsafe */
	unsigned max_strlen;	/* 0: the defaults below */
	unsigned map_keys;
	unsigned ringbuf_size;
	unsigned max_bpf_progs;
	unsigned max_probes;
};

/* Settings from the environment (SCRY_* or bpftrace's BPFTRACE_*
 * names): returns 0, or -1 after printing what is wrong. */
int compile_options_from_env(struct compile_options *o);

/* Compile src into plan. Returns 0, or 1 after reporting user errors
 * through diag, or 2 on internal/system errors. */
int compile_program(const struct source *src, struct diag *diag,
		    const struct compile_options *opt, struct rt_plan *plan);

#endif
