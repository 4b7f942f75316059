/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The code of the builtins that compute a value: cheap helper calls
 * (cpu, jiffies, numaid, rand, cgroup, curtask), cpid from the config map,
 * the string and byte functions strlen, strstr, bswap, and the values
 * user space formats (strftime, ksym, usym, ntop), kaddr, signal,
 * has_key and delete. */
#include "codegen/internal.h"

/* A helper that returns a u32 in a 64-bit register: only the low half
 * is the value. */
static LLVMValueRef helper_u32(struct cg *cg, int id, const char *name)
{
	return LLVMBuildZExt(cg->b, cg_helper(cg, id, cg->i32, NULL, 0),
			     cg->i64, name);
}

void *cg_bi_jiffies(struct cg *cg, struct ast_node *n)
{
	return cg_helper(cg, HELPER_jiffies64, cg->i64, NULL, 0);
}

void *cg_bi_cpu(struct cg *cg, struct ast_node *n)
{
	return helper_u32(cg, HELPER_get_smp_processor_id, "cpu");
}

void *cg_bi_numaid(struct cg *cg, struct ast_node *n)
{
	return helper_u32(cg, HELPER_get_numa_node_id, "numaid");
}

void *cg_bi_rand(struct cg *cg, struct ast_node *n)
{
	return helper_u32(cg, HELPER_get_prandom_u32, "rand");
}

void *cg_bi_cgroup(struct cg *cg, struct ast_node *n)
{
	return cg_helper(cg, HELPER_get_current_cgroup_id, cg->i64, NULL, 0);
}

void *cg_bi_curtask(struct cg *cg, struct ast_node *n)
{
	return cg_helper(cg, HELPER_get_current_task, cg->i64, NULL, 0);
}

LLVMValueRef cg_config_load(struct cg *cg, unsigned slot)
{
	LLVMValueRef key = cg_alloca(cg, 4, "cfgkey");
	LLVMValueRef args[2] = { cg->config, key }, p, v, phi;
	LLVMBasicBlockRef from, have = cg_new_block(cg, "cfg.have"),
				done = cg_new_block(cg, "cfg.done");
	LLVMValueRef zero = cg_i64(cg, 0);

	LLVMBuildStore(cg->b, cg_i32(cg, slot), key);
	p = cg_helper(cg, HELPER_map_lookup_elem, cg->ptr, args, 2);
	from = LLVMGetInsertBlock(cg->b);
	/* the verifier insists on the NULL check, though an array map's
	 * slot is always there */
	LLVMBuildCondBr(cg->b, LLVMBuildIsNull(cg->b, p, ""), done, have);
	LLVMPositionBuilderAtEnd(cg->b, have);
	v = LLVMBuildLoad2(cg->b, cg->i64, p, "");
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
	phi = LLVMBuildPhi(cg->b, cg->i64, "config");
	LLVMAddIncoming(phi, &zero, &from, 1);
	LLVMAddIncoming(phi, &v, &have, 1);
	return phi;
}

void *cg_bi_cpid(struct cg *cg, struct ast_node *n)
{
	return cg_config_load(cg, RT_CONFIG_CPID);
}

/* A loop over i from 0 while i < n, a real loop (the verifier walks
 * bounded loops): the caller fills the body, which branches back to
 * *next or out. Returns i, with the builder in the body. */
static LLVMValueRef loop_start(struct cg *cg, unsigned n,
			       LLVMBasicBlockRef exit_bb, LLVMValueRef exit_v,
			       LLVMValueRef phi_out, LLVMBasicBlockRef *head,
			       LLVMBasicBlockRef *next)
{
	LLVMBasicBlockRef entry = LLVMGetInsertBlock(cg->b);
	LLVMBasicBlockRef body = cg_new_block(cg, "loop.body");
	LLVMValueRef i, zero = cg_i64(cg, 0);

	*head = cg_new_block(cg, "loop.head");
	*next = cg_new_block(cg, "loop.next");
	LLVMBuildBr(cg->b, *head);
	LLVMPositionBuilderAtEnd(cg->b, *head);
	i = LLVMBuildPhi(cg->b, cg->i64, "i");
	LLVMAddIncoming(i, &zero, &entry, 1);
	LLVMAddIncoming(phi_out, &exit_v, head, 1);
	LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntULT, i,
					     cg_i64(cg, n), ""),
			body, exit_bb);
	LLVMPositionBuilderAtEnd(cg->b, *next);
	LLVMValueRef inc = LLVMBuildAdd(cg->b, i, cg_i64(cg, 1), "");
	LLVMAddIncoming(i, &inc, next, 1);
	LLVMBuildBr(cg->b, *head);
	LLVMPositionBuilderAtEnd(cg->b, body);
	return i;
}

static LLVMValueRef load_at(struct cg *cg, LLVMValueRef p, LLVMValueRef i)
{
	return LLVMBuildLoad2(cg->b, cg->i8,
			      LLVMBuildGEP2(cg->b, cg->i8, p, &i, 1, ""), "");
}

/* The bytes before the first NUL of a buffer of size bytes, in a loop:
 * unrolled, a 256-byte string made a thousand instructions. */
static LLVMValueRef buf_strlen(struct cg *cg, LLVMValueRef p, unsigned size)
{
	LLVMBasicBlockRef done = cg_new_block(cg, "strlen.done"), head, next;
	LLVMValueRef nul = LLVMConstInt(cg->i8, 0, false), len, i, c;
	LLVMBasicBlockRef start = LLVMGetInsertBlock(cg->b), body;

	LLVMPositionBuilderAtEnd(cg->b, done);
	len = LLVMBuildPhi(cg->b, cg->i64, "strlen");
	LLVMPositionBuilderAtEnd(cg->b, start);
	i = loop_start(cg, size, done, cg_i64(cg, size), len, &head, &next);
	c = load_at(cg, p, i);
	body = LLVMGetInsertBlock(cg->b);
	LLVMAddIncoming(len, &i, &body, 1);
	LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, c, nul, ""),
			done, next);
	LLVMPositionBuilderAtEnd(cg->b, done);
	return len;
}

/* strlen(s) of a string counts in its buffer; of a pointer, reads the
 * string (at most the default size) and takes the helper's count,
 * which includes the NUL. */
void *cg_bi_strlen(struct cg *cg, struct ast_node *n)
{
	struct ast_node *a = n->list;
	LLVMValueRef v = cg_expr(cg, a), buf, args[3], r;
	unsigned size = cg->s->strlen_default;

	if (a->type.kind == TY_STR)
		return buf_strlen(cg, v, a->type.size);
	buf = cg_strbuf(cg, size);
	args[0] = buf;
	args[1] = cg_i32(cg, size);
	args[2] = LLVMBuildIntToPtr(cg->b, v, cg->ptr, "");
	r = cg_helper(cg, HELPER_probe_read_str, cg->i64, args, 3);
	/* a failed read (negative) is an empty string */
	return LLVMBuildSelect(cg->b, LLVMBuildICmp(cg->b, LLVMIntSGT, r,
						    cg_i64(cg, 0), ""),
			       LLVMBuildSub(cg->b, r, cg_i64(cg, 1), ""),
			       cg_i64(cg, 0), "strlen");
}

/* A loop over the start positions of the haystack: each stops the
 * search at the haystack's NUL, or compares the literal's bytes
 * (unrolled: it is short) and on a match ends with its index. Unrolled
 * over the positions too, a 256-byte haystack made thousands of
 * instructions and seconds of LLVM time. */
LLVMValueRef cg_str_find(struct cg *cg, LLVMValueRef ph, unsigned hs,
			 const char *lit, unsigned ls)
{
	LLVMBasicBlockRef start = LLVMGetInsertBlock(cg->b);
	LLVMBasicBlockRef done = cg_new_block(cg, "find.done"), head, next, cur;
	LLVMValueRef nul = LLVMConstInt(cg->i8, 0, false), phi, v, i, none;

	LLVMPositionBuilderAtEnd(cg->b, done);
	phi = LLVMBuildPhi(cg->b, cg->i64, "find");
	LLVMPositionBuilderAtEnd(cg->b, start);
	none = cg_i64(cg, -1);
	if (!ls || ls > hs) {	/* "" is at 0, as in bpftrace */
		v = ls ? none : cg_i64(cg, 0);
		LLVMAddIncoming(phi, &v, &start, 1);
		LLVMBuildBr(cg->b, done);
		LLVMPositionBuilderAtEnd(cg->b, done);
		return phi;
	}
	i = loop_start(cg, hs - ls + 1, done, none, phi, &head, &next);
	for (unsigned j = 0; j < ls; j++) {
		LLVMValueRef c = load_at(cg, ph, LLVMBuildAdd(cg->b, i,
							      cg_i64(cg, j), ""));
		LLVMBasicBlockRef ok = cg_new_block(cg, "find.ok");

		if (j == 0) {	/* the haystack ends: not found */
			LLVMBasicBlockRef more = cg_new_block(cg, "find.more");
			cur = LLVMGetInsertBlock(cg->b);
			LLVMAddIncoming(phi, &none, &cur, 1);
			LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ,
							     c, nul, ""),
					done, more);
			LLVMPositionBuilderAtEnd(cg->b, more);
		}
		LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, c,
				LLVMConstInt(cg->i8, (unsigned char)lit[j], false),
				""), ok, next);
		LLVMPositionBuilderAtEnd(cg->b, ok);
	}
	cur = LLVMGetInsertBlock(cg->b);
	LLVMAddIncoming(phi, &i, &cur, 1);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
	return phi;
}

/* strstr(h, "lit"): an int64, -1 when the literal is not in h */
void *cg_bi_strstr(struct cg *cg, struct ast_node *n)
{
	struct ast_node *h = n->list, *lit = h->next;

	return cg_str_find(cg, cg_expr_text(cg, h), h->type.size, lit->str,
			   lit->slen);
}

/* bswap(n): llvm.bswap at n's width (BPF's byte swap instructions);
 * one byte is itself */
void *cg_bi_bswap(struct cg *cg, struct ast_node *n)
{
	struct ast_node *a = n->list;
	LLVMValueRef v = cg_expr(cg, a), fn;
	unsigned size = a->type.size, id;
	LLVMTypeRef t, ft;

	if (size < 2)
		return LLVMBuildAnd(cg->b, v, cg_i64(cg, 0xff), "");
	t = LLVMIntTypeInContext(cg->ctx, 8 * size);
	id = LLVMLookupIntrinsicID("llvm.bswap", 10);
	fn = LLVMGetIntrinsicDeclaration(cg->mod, id, &t, 1);
	ft = LLVMIntrinsicGetType(cg->ctx, id, &t, 1);
	if (size < 8)
		v = LLVMBuildTrunc(cg->b, v, t, "");
	v = LLVMBuildCall2(cg->b, ft, fn, &v, 1, "");
	return size < 8 ? LLVMBuildZExt(cg->b, v, cg->i64, "bswap") : v;
}

/* strftime(fmt, ns): the format's index (sema's n->ival) replaces the
 * low bits of ns (runtime.h: RT_TIME_FMT_BITS) */
void *cg_bi_strftime(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef ns = cg_expr(cg, n->list->next);

	ns = LLVMBuildAnd(cg->b, ns, cg_i64(cg, ~(uint64_t)(RT_TIME_FMT_MAX - 1)),
			  "");
	return LLVMBuildOr(cg->b, ns, cg_i64(cg, n->ival), "strftime");
}

void *cg_bi_ksym(struct cg *cg, struct ast_node *n)
{
	return cg_expr(cg, n->list);
}

/* usym(addr): { u64 addr; u64 pid; }, so user space can find the
 * process's mappings when it prints the value */
void *cg_bi_usym(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef buf = cg_strbuf(cg, 16);

	LLVMBuildStore(cg->b, cg_expr(cg, n->list), buf);
	LLVMBuildStore(cg->b, cg_bi_pid(cg, NULL), cg_gep(cg, buf, 8));
	return buf;
}

/* signal(): bpf_send_signal to the task that fired the probe */
void *cg_bi_signal(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef sig = n->ival ? cg_i64(cg, n->ival)
				   : cg_expr(cg, n->list);
	LLVMValueRef arg = LLVMBuildTrunc(cg->b, sig, cg->i32, "");

	cg_helper(cg, HELPER_send_signal, cg->i64, &arg, 1);
	return NULL;
}

void *cg_bi_kaddr(struct cg *cg, struct ast_node *n)
{
	return cg_i64(cg, n->ival);
}

/* ntop(): { u64 family; u8 addr[16]; } for the printer */
void *cg_bi_ntop(struct cg *cg, struct ast_node *n)
{
	struct ast_node *a = n->list->next ? n->list->next : n->list;
	LLVMValueRef buf = cg_strbuf(cg, 24);
	unsigned family = 2;	/* AF_INET */

	cg_memset0(cg, buf, 24);
	if (a->kind == AST_FIELD && a->aux == 2) {
		const struct tpf_field *f = cg_target_field(cg, a);
		LLVMValueRef args[3] = { cg_gep(cg, buf, 8),
					 cg_i32(cg, f->count),
					 cg_gep(cg, cg->ctxarg, f->offset) };
		if (f->count == 16)
			family = 10;	/* AF_INET6 */
		cg_helper(cg, HELPER_probe_read_kernel, cg->i64, args, 3);
	} else {	/* an IPv4 address as stored: network byte order */
		LLVMBuildStore(cg->b, LLVMBuildTrunc(cg->b, cg_expr(cg, a),
						     cg->i32, ""),
			       cg_gep(cg, buf, 8));
	}
	LLVMBuildStore(cg->b, cg_i64(cg, family), buf);
	return buf;
}

void *cg_bi_has_key(struct cg *cg, struct ast_node *n)
{
	return cg_map_has_key(cg, n->list);
}

void *cg_bi_delete(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef r = cg_map_delete(cg, n->list);

	return LLVMBuildZExt(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, r,
						  cg_i64(cg, 0), ""),
			     cg->i64, "deleted");
}
