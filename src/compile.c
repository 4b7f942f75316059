/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one place the stages are listed, in order. Each stops the pipeline
 * when it reported errors; each has a dump flag. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "btf.h"
#include "codegen/codegen.h"
#include "compile.h"
#include "lexer.h"
#include "preproc.h"
#include "sema.h"

int compile_program(const struct source *src, struct diag *diag,
		    const struct compile_options *opt, struct rt_plan *plan)
{
	struct arena arena;
	struct ast_node *prog = NULL, *defines = NULL;
	struct source text, defs;
	struct diag defs_diag;
	struct sema s = { 0 };
	struct cg_options co = { 0 };
	int ret = 1;

	arena_init(&arena);
	memset(plan, 0, sizeof(*plan));
	if (preprocess(&arena, diag, src, &text, &defs))
		goto out;
	if (parse_program(&arena, diag, &text, &prog) || !prog)
		goto out;
	if (defs.text) {	/* the #defines, as macros */
		diag_init(&defs_diag, &defs, diag->out);
		defs_diag.color = diag->color;
		if (parse_program(&arena, &defs_diag, &defs, &defines) ||
		    !defines) {
			diag->errors += defs_diag.errors ? defs_diag.errors : 1;
			goto out;
		}
	}
	if (opt->dump & DUMP_AST)
		ast_dump(opt->dump_out, prog, 0);
	s.arena = &arena;
	s.diag = diag;
	s.defines = defines ? defines->list : NULL;
	s.params = opt->params;
	s.nparams = opt->nparams;
	s.named = opt->named;
	s.nnamed = opt->nnamed;
	s.named_used = xcalloc(opt->nnamed + 1, sizeof(bool));
	s.target_pid = opt->target_pid;
	s.has_command = opt->has_command;
	s.unsafe = opt->unsafe;
	s.strlen_default = opt->max_strlen;
	s.map_keys = opt->map_keys;	/* 0: the config block's or default */
	s.ringbuf_size = opt->ringbuf_size;
	s.max_bpf_progs = opt->max_bpf_progs;
	s.max_probes = opt->max_probes;
	if (sema_run(&s, prog))
		goto out;
	sema_check_map_decls(&s);
	for (int i = 0; i < opt->nnamed; i++)
		if (!s.named_used[i]) {
			fprintf(diag->out, "scry: error: %s: the program has no "
				"getopt() of that name\n", opt->named[i]);
			diag->errors++;
		}
	if (diag->errors)
		goto out;
	if (opt->dump & DUMP_TYPES)
		ast_dump(opt->dump_out, prog, 0);
	if (cg_check_limits(&s))
		goto out;
	if (opt->dump & DUMP_IR)
		co.dump_ir = opt->dump_out;
	if (opt->dump & DUMP_IR_RAW)
		co.dump_ir_raw = opt->dump_out;
	ret = cg_compile(&s, plan, &co) ? 2 : 0;
	if (!ret && (opt->dump & DUMP_BPF))
		cg_disassemble(plan, opt->dump_out);
out:
	kbtf_fini();	/* the offsets are in the program: free ~10 MB */
	free(s.named_used);
	sema_fini(&s);
	arena_fini(&arena);
	return ret;
}

/* One setting: SCRY_NAME, else bpftrace's BPFTRACE_NAME. */
static int env_uint(const char *scry, const char *bpftrace, unsigned lo,
		    unsigned hi, unsigned *out)
{
	const char *name = scry, *v = getenv(scry);
	char *end;
	unsigned long n;

	if (!v) {
		name = bpftrace;
		v = getenv(bpftrace);
	}
	if (!v)
		return 0;
	n = strtoul(v, &end, 10);
	if (!*v || *end || n < lo || n > hi) {
		fprintf(stderr, "scry: error: %s=%s: expected a number from "
			"%u to %u\n", name, v, lo, hi);
		return -1;
	}
	*out = n;
	return 0;
}

int compile_options_from_env(struct compile_options *o)
{
	unsigned pages = 0;

	if (env_uint("SCRY_MAX_STRLEN", "BPFTRACE_MAX_STRLEN", 1,
		     SCRY_MAX_STRLEN, &o->max_strlen) ||
	    env_uint("SCRY_MAP_KEYS", "BPFTRACE_MAP_KEYS", 1, 1 << 24,
		     &o->map_keys) ||
	    env_uint("SCRY_RINGBUF_PAGES", "BPFTRACE_PERF_RB_PAGES", 1,
		     1 << 16, &pages) ||
	    env_uint("SCRY_MAX_BPF_PROGS", "BPFTRACE_MAX_BPF_PROGS", 1,
		     1 << 24, &o->max_bpf_progs) ||
	    env_uint("SCRY_MAX_PROBES", "BPFTRACE_MAX_PROBES", 1, 1 << 24,
		     &o->max_probes))
		return -1;
	if (pages) {	/* the kernel wants a power-of-2 number of pages */
		unsigned p2 = 1;
		while (p2 < pages)
			p2 <<= 1;
		o->ringbuf_size = p2 * (unsigned)sysconf(_SC_PAGESIZE);
	}
	return 0;
}
