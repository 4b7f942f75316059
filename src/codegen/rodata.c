/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Constant tables the programs read, in .rodata: libbpf makes it a
 * frozen map, so the verifier knows its contents never change. */
#include <stdlib.h>
#include <string.h>
#include "codegen/internal.h"
#include "providers/provider.h"
#include "stdlib/builtins.h"

#define UNKNOWN_SYSCALL "Unknown syscall"

/* char scry_syscall_names[n][SYSCALL_NAME_LEN]: the name of each number
 * below n - 1, UNKNOWN_SYSCALL for the gaps and in the last slot, where
 * numbers out of range go. */
static LLVMValueRef syscall_table(struct cg *cg, unsigned *n_out)
{
	LLVMTypeRef et = LLVMArrayType(cg->i8, SYSCALL_NAME_LEN), t;
	LLVMValueRef *names, g;
	LLVMMetadataRef chr, sub[2], arr, gve;
	unsigned n = 0;

	for (long nr = 0; nr < TP_SYSCALL_MAX; nr++)
		if (syscall_name_by_nr(nr))
			n = nr + 2;
	names = xcalloc(n, sizeof(*names));
	for (unsigned i = 0; i < n; i++) {
		const char *name = syscall_name_by_nr(i);
		char buf[SYSCALL_NAME_LEN] = { 0 };

		if (!name || i == n - 1)
			name = UNKNOWN_SYSCALL;
		strncpy(buf, name, sizeof(buf) - 1);
		names[i] = LLVMConstStringInContext(cg->ctx, buf, sizeof(buf),
						    true);
	}
	t = LLVMArrayType(et, n);
	g = LLVMAddGlobal(cg->mod, t, "scry_syscall_names");
	LLVMSetInitializer(g, LLVMConstArray(et, names, n));
	free(names);
	LLVMSetGlobalConstant(g, true);
	LLVMSetSection(g, ".rodata");
	LLVMSetAlignment(g, 8);
	/* libbpf needs the debug info to make .rodata a map */
	chr = LLVMDIBuilderCreateBasicType(cg->di, "char", 4, 8, 0x06,
					   LLVMDIFlagZero);
	sub[0] = LLVMDIBuilderGetOrCreateSubrange(cg->di, 0, n);
	sub[1] = LLVMDIBuilderGetOrCreateSubrange(cg->di, 0, SYSCALL_NAME_LEN);
	arr = LLVMDIBuilderCreateArrayType(cg->di, 8ull * n * SYSCALL_NAME_LEN,
					   8, chr, sub, 2);
	gve = LLVMDIBuilderCreateGlobalVariableExpression(
		cg->di, cg->di_cu, "scry_syscall_names", 18,
		"scry_syscall_names", 18, cg->di_file, 0, arr, false,
		LLVMDIBuilderCreateExpression(cg->di, NULL, 0), NULL, 64);
	LLVMGlobalSetMetadata(g, LLVMGetMDKindIDInContext(cg->ctx, "dbg", 3),
			      gve);
	*n_out = n;
	return g;
}

void *cg_bi_syscall_name(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef nr = cg_expr(cg, n->list), in, idx, buf;
	unsigned count;

	if (!cg->syscall_names)
		cg->syscall_names = syscall_table(cg, &count);
	else
		count = LLVMGetArrayLength(LLVMGlobalGetValueType(
			cg->syscall_names));
	/* unsigned: a negative number is out of range too */
	in = LLVMBuildICmp(cg->b, LLVMIntULT, nr, cg_i64(cg, count - 1), "");
	idx = LLVMBuildSelect(cg->b, in, nr, cg_i64(cg, count - 1), "");
	buf = cg_strbuf(cg, SYSCALL_NAME_LEN);
	cg_memcpy(cg, buf,
		  LLVMBuildGEP2(cg->b, cg->i8, cg->syscall_names,
				(LLVMValueRef[]){ LLVMBuildMul(
					cg->b, idx,
					cg_i64(cg, SYSCALL_NAME_LEN), "") },
				1, "name"),
		  SYSCALL_NAME_LEN);
	return buf;
}
