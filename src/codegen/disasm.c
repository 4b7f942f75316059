/* SPDX-License-Identifier: GPL-2.0-or-later */
/* -d bpf: the BPF instructions of each program, through LLVM's BPF
 * disassembler, as libbpf sees them before loading; then the functions
 * in .text (callbacks of for loops over maps), which libbpf appends to
 * each program that calls them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include <gelf.h>
#include <llvm-c/Disassembler.h>
#include "codegen/codegen.h"

static void print_insns(LLVMDisasmContextRef dc, const void *code, size_t n,
			FILE *out)
{
	const uint8_t *p = code;

	for (size_t i = 0; i < n;) {
		char text[128];
		size_t len = dc ? LLVMDisasmInstruction(
					  dc, (uint8_t *)p + 8 * i,
					  (n - i) * 8, 0, text, sizeof(text))
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

static int by_value(const void *a, const void *b)
{
	const GElf_Sym *x = a, *y = b;

	return x->st_value < y->st_value ? -1 : x->st_value > y->st_value;
}

/* The functions of .text, in the order they are laid out. */
static void print_text(const struct rt_plan *plan, LLVMDisasmContextRef dc,
		       FILE *out)
{
	Elf *e;
	Elf_Scn *scn = NULL, *symscn = NULL;
	Elf_Data *text = NULL, *syms, *strs;
	GElf_Shdr sh, symsh = { 0 };
	size_t shstrndx, textndx = 0, nsyms, nf = 0;
	GElf_Sym *funcs;

	elf_version(EV_CURRENT);
	e = elf_memory(plan->obj, plan->obj_len);
	if (!e || elf_getshdrstrndx(e, &shstrndx))
		goto out;
	while ((scn = elf_nextscn(e, scn))) {
		const char *name;
		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(e, shstrndx, sh.sh_name);
		if (sh.sh_type == SHT_SYMTAB) {
			symscn = scn;
			symsh = sh;
		} else if (name && !strcmp(name, ".text")) {
			textndx = elf_ndxscn(scn);
			text = elf_getdata(scn, NULL);
		}
	}
	if (!text || !symscn || !text->d_size)
		goto out;
	syms = elf_getdata(symscn, NULL);
	strs = elf_getdata(elf_getscn(e, symsh.sh_link), NULL);
	if (!syms || !strs)
		goto out;
	nsyms = symsh.sh_entsize ? symsh.sh_size / symsh.sh_entsize : 0;
	funcs = calloc(nsyms + 1, sizeof(*funcs));
	for (size_t i = 0; funcs && i < nsyms; i++) {
		GElf_Sym sym;
		if (gelf_getsym(syms, i, &sym) &&
		    GELF_ST_TYPE(sym.st_info) == STT_FUNC &&
		    sym.st_shndx == textndx &&
		    sym.st_value + sym.st_size <= text->d_size)
			funcs[nf++] = sym;
	}
	if (funcs)
		qsort(funcs, nf, sizeof(*funcs), by_value);
	for (size_t i = 0; i < nf; i++) {
		fprintf(out, "%s (.text, %zu instructions):\n",
			elf_strptr(e, symsh.sh_link, funcs[i].st_name),
			(size_t)funcs[i].st_size / 8);
		print_insns(dc, (const uint8_t *)text->d_buf +
				funcs[i].st_value,
			    funcs[i].st_size / 8, out);
	}
	free(funcs);
out:
	if (e)
		elf_end(e);
}

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
		print_insns(dc, insns, n, out);
	}
	print_text(plan, dc, out);
	if (dc)
		LLVMDisasmDispose(dc);
	bpf_object__close(obj);
	return 0;
}
