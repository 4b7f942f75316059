/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ppid, pcomm, leader_tid, leader_comm: follow a pointer of the current
 * task_struct, then read a member of the task it points to, at offsets
 * sema found in the kernel's BTF (stdlib/task.c). */
#include "codegen/internal.h"

/* Read size bytes of kernel memory at addr + off into dst. On a fault
 * (a NULL pointer, a task being freed) the helper zeroes dst, so the
 * value is 0 or an empty string, and the verifier sees only a stack
 * write of known size. */
static void read_kernel(struct cg *cg, LLVMValueRef dst, unsigned size,
			LLVMValueRef addr, unsigned off)
{
	LLVMValueRef args[3] = {
		dst, cg_i32(cg, size),
		cg_gep(cg, LLVMBuildIntToPtr(cg->b, addr, cg->ptr, ""), off),
	};

	cg_helper(cg, HELPER_probe_read_kernel, cg->i64, args, 3);
}

/* An unsigned integer of size (1, 2, 4 or 8) bytes at addr + off. */
static LLVMValueRef read_int(struct cg *cg, LLVMValueRef addr, unsigned off,
			     unsigned size, const char *name)
{
	LLVMTypeRef t = LLVMIntTypeInContext(cg->ctx, size * 8);
	LLVMValueRef slot = cg_alloca(cg, size, name), v;

	read_kernel(cg, slot, size, addr, off);
	v = LLVMBuildLoad2(cg->b, t, slot, name);
	return size == 8 ? v : LLVMBuildZExt(cg->b, v, cg->i64, "");
}

void *cg_bi_task(struct cg *cg, struct ast_node *n)
{
	unsigned link_off = n->ival >> 32, field_off = (uint32_t)n->ival;
	unsigned size = n->aux;
	LLVMValueRef task = cg_helper(cg, HELPER_get_current_task, cg->i64,
				      NULL, 0);
	LLVMValueRef other = read_int(cg, task, link_off, 8, "task.link");
	LLVMValueRef buf;

	if (n->type.kind != TY_STR)
		return read_int(cg, other, field_off, size, n->name);
	buf = cg_alloca(cg, n->type.size, n->name);
	read_kernel(cg, buf, size < n->type.size ? size : n->type.size, other,
		    field_off);
	return buf;
}
