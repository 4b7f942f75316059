/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Constant tables the programs read, in .rodata: libbpf makes it a
 * frozen map, so the verifier knows its contents never change. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "codegen/internal.h"
#include "providers/provider.h"
#include "stdlib/builtins.h"

#define UNKNOWN_SYSCALL "Unknown syscall"

/* const char NAME[n][width] in .rodata, from strs (NULL: an empty
 * row). libbpf needs the debug info to make .rodata a map. */
static LLVMValueRef string_table(struct cg *cg, const char *name,
				 const char *const *strs, unsigned n,
				 unsigned width)
{
	LLVMTypeRef et = LLVMArrayType(cg->i8, width);
	LLVMValueRef *rows = xcalloc(n, sizeof(*rows)), g;
	LLVMMetadataRef chr, sub[2], arr, gve;
	char *buf = xcalloc(1, width);

	for (unsigned i = 0; i < n; i++) {
		memset(buf, 0, width);
		if (strs[i])
			strncpy(buf, strs[i], width - 1);
		rows[i] = LLVMConstStringInContext(cg->ctx, buf, width, true);
	}
	free(buf);
	g = LLVMAddGlobal(cg->mod, LLVMArrayType(et, n), name);
	LLVMSetInitializer(g, LLVMConstArray(et, rows, n));
	free(rows);
	LLVMSetGlobalConstant(g, true);
	LLVMSetSection(g, ".rodata");
	LLVMSetAlignment(g, 8);
	chr = LLVMDIBuilderCreateBasicType(cg->di, "char", 4, 8, 0x06,
					   LLVMDIFlagZero);
	sub[0] = LLVMDIBuilderGetOrCreateSubrange(cg->di, 0, n);
	sub[1] = LLVMDIBuilderGetOrCreateSubrange(cg->di, 0, width);
	arr = LLVMDIBuilderCreateArrayType(cg->di, 8ull * n * width, 8, chr,
					   sub, 2);
	gve = LLVMDIBuilderCreateGlobalVariableExpression(
		cg->di, cg->di_cu, name, strlen(name), name, strlen(name),
		cg->di_file, 0, arr, false,
		LLVMDIBuilderCreateExpression(cg->di, NULL, 0), NULL, 64);
	LLVMGlobalSetMetadata(g, LLVMGetMDKindIDInContext(cg->ctx, "dbg", 3),
			      gve);
	return g;
}

/* char scry_syscall_names[n][SYSCALL_NAME_LEN]: the name of each number
 * below n - 1, UNKNOWN_SYSCALL for the gaps and in the last slot, where
 * numbers out of range go. */
static LLVMValueRef syscall_table(struct cg *cg, unsigned *n_out)
{
	const char **names;
	LLVMValueRef g;
	unsigned n = 0;

	for (long nr = 0; nr < TP_SYSCALL_MAX; nr++)
		if (syscall_name_by_nr(nr))
			n = nr + 2;
	names = xcalloc(n, sizeof(*names));
	for (unsigned i = 0; i < n; i++) {
		names[i] = syscall_name_by_nr(i);
		if (!names[i] || i == n - 1)
			names[i] = UNKNOWN_SYSCALL;
	}
	g = string_table(cg, "scry_syscall_names", names, n, SYSCALL_NAME_LEN);
	free(names);
	*n_out = n;
	return g;
}

/* Copy row idx (an i64 already below the table's length) of a string
 * table into a fresh string buffer. */
static LLVMValueRef table_row(struct cg *cg, LLVMValueRef table,
			      LLVMValueRef idx, unsigned width)
{
	LLVMValueRef buf = cg_strbuf(cg, width);
	LLVMValueRef off = LLVMBuildMul(cg->b, idx, cg_i64(cg, width), "");

	cg_memcpy(cg, buf, LLVMBuildGEP2(cg->b, cg->i8, table, &off, 1, "row"),
		  width);
	return buf;
}

void *cg_bi_syscall_name(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef nr = cg_expr(cg, n->list), in, idx;
	unsigned count;

	if (!cg->syscall_names)
		cg->syscall_names = syscall_table(cg, &count);
	else
		count = LLVMGetArrayLength(LLVMGlobalGetValueType(
			cg->syscall_names));
	/* unsigned: a negative number is out of range too */
	in = LLVMBuildICmp(cg->b, LLVMIntULT, nr, cg_i64(cg, count - 1), "");
	idx = LLVMBuildSelect(cg->b, in, nr, cg_i64(cg, count - 1), "");
	return table_row(cg, cg->syscall_names, idx, SYSCALL_NAME_LEN);
}

/* strerror()'s table: bpftrace's texts by errno, "Unknown error" for
 * the gaps and in the last slot */
#define UNKNOWN_ERROR "Unknown error"
#define SCRY_ERRNO(name, text) [name] = text,
static const char *const errno_texts[] = {
	[0] = "Success",
#include "stdlib/errno_text.h"
};
#undef SCRY_ERRNO
#define ERRNO_ROWS (sizeof(errno_texts) / sizeof(*errno_texts) + 1)

/* strerror(e): e or -e (syscalls return -errno) indexes the table */
void *cg_bi_strerror(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef e = cg_expr(cg, n->list), neg, in, idx;
	const char *rows[ERRNO_ROWS];

	if (!cg->errno_texts) {
		for (unsigned i = 0; i < ERRNO_ROWS; i++)
			rows[i] = i < ERRNO_ROWS - 1 && errno_texts[i]
					  ? errno_texts[i] : UNKNOWN_ERROR;
		cg->errno_texts = string_table(cg, "scry_errno_texts", rows,
					       ERRNO_ROWS, STRERROR_LEN);
	}
	/* bpftrace takes the errno as an int32 */
	e = LLVMBuildSExt(cg->b, LLVMBuildTrunc(cg->b, e, cg->i32, ""),
			  cg->i64, "");
	neg = LLVMBuildICmp(cg->b, LLVMIntSLT, e, cg_i64(cg, 0), "");
	e = LLVMBuildSelect(cg->b, neg, LLVMBuildNeg(cg->b, e, ""), e, "");
	in = LLVMBuildICmp(cg->b, LLVMIntULT, e, cg_i64(cg, ERRNO_ROWS - 1), "");
	idx = LLVMBuildSelect(cg->b, in, e, cg_i64(cg, ERRNO_ROWS - 1), "");
	return table_row(cg, cg->errno_texts, idx, STRERROR_LEN);
}
