/* SPDX-License-Identifier: GPL-2.0-or-later */
/* -d bpf: the BPF instructions of each program, through LLVM's BPF
 * disassembler, as libbpf sees them before loading. */
#include <errno.h>
#include <string.h>
#include <bpf/libbpf.h>
#include <llvm-c/Disassembler.h>
#include "codegen/codegen.h"

int cg_disassemble(const struct rt_plan *plan, FILE *out)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .object_name = "scry");
	struct bpf_object *obj;
	struct bpf_program *prog;
	LLVMDisasmContextRef dc;

	obj = bpf_object__open_mem(plan->obj, plan->obj_len, &oo);
	if (!obj)
		return -errno;
	dc = LLVMCreateDisasm("bpfel", NULL, 0, NULL, NULL);
	bpf_object__for_each_program(prog, obj) {
		const struct bpf_insn *insns = bpf_program__insns(prog);
		size_t n = bpf_program__insn_cnt(prog);
		const char *probe = bpf_program__name(prog);

		for (size_t i = 0; i < plan->nprogs; i++)
			if (!strcmp(plan->progs[i].bpf_name, probe))
				probe = plan->progs[i].probe;
		fprintf(out, "%s (%s, %zu instructions):\n", probe,
			bpf_program__section_name(prog), n);
		for (size_t i = 0; i < n;) {
			char text[128];
			size_t len = dc ? LLVMDisasmInstruction(
						  dc, (uint8_t *)&insns[i],
						  (n - i) * 8, 0, text,
						  sizeof(text))
					: 0;
			if (!len) {
				fprintf(out, "%5zu: <unknown>\n", i);
				i++;
				continue;
			}
			fprintf(out, "%5zu: %s\n", i, text[0] == '\t' ? text + 1 : text);
			i += len / 8;
		}
		fputc('\n', out);
	}
	if (dc)
		LLVMDisasmDispose(dc);
	bpf_object__close(obj);
	return 0;
}
