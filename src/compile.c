/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one place the stages are listed, in order. Each stops the pipeline
 * when it reported errors; each has a dump flag. */
#include <string.h>
#include "codegen/codegen.h"
#include "compile.h"
#include "lexer.h"
#include "sema.h"

int compile_program(const struct source *src, struct diag *diag,
		    const struct compile_options *opt, struct rt_plan *plan)
{
	struct arena arena;
	struct ast_node *prog = NULL;
	struct sema s = { 0 };
	struct cg_options co = { 0 };
	int ret = 1;

	arena_init(&arena);
	memset(plan, 0, sizeof(*plan));
	if (parse_program(&arena, diag, src, &prog) || !prog)
		goto out;
	if (opt->dump & DUMP_AST)
		ast_dump(opt->dump_out, prog, 0);
	s.arena = &arena;
	s.diag = diag;
	s.params = opt->params;
	s.nparams = opt->nparams;
	s.target_pid = opt->target_pid;
	if (sema_run(&s, prog))
		goto out;
	if (opt->dump & DUMP_TYPES)
		ast_dump(opt->dump_out, prog, 0);
	if (opt->dump & DUMP_IR)
		co.dump_ir = opt->dump_out;
	if (opt->dump & DUMP_IR_RAW)
		co.dump_ir_raw = opt->dump_out;
	ret = cg_compile(&s, plan, &co) ? 2 : 0;
	if (!ret && (opt->dump & DUMP_BPF))
		cg_disassemble(plan, opt->dump_out);
out:
	sema_fini(&s);
	arena_fini(&arena);
	return ret;
}
