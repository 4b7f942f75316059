/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Expressions and the simplest builtins (pid, comm, str...): integers
 * are computed as i64, strings are buffers of their type's size. The
 * builtins that send records are in records.c, the others in
 * builtins.c. */
#include <string.h>
#include <stdlib.h>
#include "codegen/internal.h"
#include "stdlib/builtins.h"

LLVMValueRef cg_to_bool(struct cg *cg, LLVMValueRef v)
{
	return LLVMBuildICmp(cg->b, LLVMIntNE, v, cg_i64(cg, 0), "");
}

static LLVMValueRef zext_bool(struct cg *cg, LLVMValueRef b)
{
	return LLVMBuildZExt(cg->b, b, cg->i64, "");
}

LLVMValueRef cg_str_resize(struct cg *cg, LLVMValueRef v, unsigned from,
			   unsigned to)
{
	LLVMValueRef buf;

	if (from == to)
		return v;
	buf = cg_strbuf(cg, to);
	cg_memset0(cg, buf, to);
	cg_memcpy(cg, buf, v, from < to ? from : to - 1);
	return buf;
}

void cg_store_as(struct cg *cg, LLVMValueRef dst, const struct type *dt,
		 LLVMValueRef v, const struct type *vt)
{
	const struct type_tuple *d = dt->tuple, *t = vt->tuple;
	unsigned n;

	if (dt->kind == TY_TUPLE && d && t && !type_equal(dt, vt)) {
		for (unsigned i = 0; i < d->n && i < t->n; i++) {
			LLVMValueRef src = cg_gep(cg, v, t->off[i]);

			if (!type_is_buffer(t->elem[i].kind))
				src = LLVMBuildLoad2(cg->b, cg->i64, src, "");
			cg_store_as(cg, cg_gep(cg, dst, d->off[i]), &d->elem[i],
				    src, &t->elem[i]);
		}
		return;
	}
	if (!type_is_buffer(dt->kind)) {
		LLVMBuildStore(cg->b, v, dst);
		return;
	}
	/* a string cut short keeps its NUL, as cg_str_resize does */
	n = vt->size <= dt->size ? vt->size : dt->size ? dt->size - 1 : 0;
	cg_memcpy(cg, dst, v, n);
}

LLVMValueRef cg_convert(struct cg *cg, LLVMValueRef v, const struct type *vt,
			const struct type *dt)
{
	LLVMValueRef buf;

	if (!type_is_buffer(dt->kind) || type_equal(vt, dt))
		return v;
	if (dt->kind == TY_STR)
		return cg_str_resize(cg, v, vt->size, dt->size);
	buf = cg_alloca(cg, dt->size, "conv");
	cg_memset0(cg, buf, dt->size);
	cg_store_as(cg, buf, dt, v, vt);
	return buf;
}

/* (a, b, ...): the elements at their offsets in a zeroed buffer (keys
 * compare every byte), in scratch space when large */
static LLVMValueRef tuple_literal(struct cg *cg, struct ast_node *n)
{
	const struct type_tuple *t = n->type.tuple;
	LLVMValueRef buf = cg_alloca(cg, n->type.size, "tuple");
	unsigned i = 0;

	cg_memset0(cg, buf, n->type.size);
	for (struct ast_node *a = n->list; a; a = a->next, i++)
		cg_store_as(cg, cg_gep(cg, buf, t->off[i]), &t->elem[i],
			    cg_expr(cg, a), &a->type);
	return buf;
}

/* ---- tracepoint records ---------------------------------------------- */

const struct tpf_field *cg_target_field(struct cg *cg,
					 struct ast_node *n)
{
	/* fields were checked against every target; offsets may differ
	 * between targets only when the probe was split per target */
	if (cg->target && cg->target->fmt)
		return tpf_field(cg->target->fmt, n->name);
	return n->sym;
}

static LLVMValueRef load_ctx_int(struct cg *cg, unsigned off, unsigned size,
				 bool is_signed)
{
	LLVMTypeRef t = LLVMIntTypeInContext(cg->ctx, size * 8);
	LLVMValueRef v = LLVMBuildLoad2(cg->b, t, cg_gep(cg, cg->ctxarg, off),
					"");

	if (size == 8)
		return v;
	return is_signed ? LLVMBuildSExt(cg->b, v, cg->i64, "")
			 : LLVMBuildZExt(cg->b, v, cg->i64, "");
}

/* Read a NUL-terminated string into a buffer of size bytes, zeroed
 * first when pad says the bytes after the NUL matter (keys, values,
 * variables; see cg_expr_text). At the maximum length (marked) one byte
 * more is read: a string that does not fit then fills the whole buffer
 * with no NUL, which the printer shows with a ".." trailer, as bpftrace
 * does. An explicit str(p, n) cuts silently, also as bpftrace does. */
static LLVMValueRef read_str(struct cg *cg, int helper, LLVMValueRef src,
			     unsigned size, bool mark, bool pad)
{
	unsigned n = size + (mark ? 1 : 0);
	LLVMValueRef buf = cg_alloca(cg, n, "str"), args[3];

	if (pad)
		cg_memset0(cg, buf, n);
	args[0] = buf;
	args[1] = cg_i32(cg, n);
	args[2] = src;
	cg_helper(cg, helper, cg->i64, args, 3);
	return buf;
}

static LLVMValueRef read_field(struct cg *cg, struct ast_node *n)
{
	const struct tpf_field *f = cg_target_field(cg, n);
	LLVMValueRef buf, args[3];

	switch (f->kind) {
	case TPF_INT: {	/* the low bytes hold the declared type's value */
		struct type t = sema_field_type(f);
		return load_ctx_int(cg, f->offset, t.size, t.is_signed);
	}
	case TPF_PTR:
		return load_ctx_int(cg, f->offset, f->size, false);
	case TPF_CHAR_ARRAY:
		buf = cg_alloca(cg, n->type.size, "field");
		args[0] = buf;
		args[1] = cg_i32(cg, n->type.size);
		args[2] = cg_gep(cg, cg->ctxarg, f->offset);
		cg_helper(cg, HELPER_probe_read_kernel, cg->i64, args, 3);
		return buf;
	case TPF_DATA_LOC_STR: {
		/* u32: length << 16 | offset from the record's start */
		LLVMValueRef loc = load_ctx_int(cg, f->offset, 4, false);
		LLVMValueRef off = LLVMBuildAnd(cg->b, loc,
						cg_i64(cg, 0xffff), "");
		return read_str(cg, HELPER_probe_read_kernel_str,
				LLVMBuildGEP2(cg->b, cg->i8, cg->ctxarg, &off,
					      1, ""),
				n->type.size, true, true);
	}
	default:
		return cg_i64(cg, 0);	/* sema rejected it */
	}
}

/* $t.N: the element's bytes in the tuple's buffer */
static LLVMValueRef read_tuple_elem(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef p = cg_gep(cg, cg_expr(cg, n->a),
				n->a->type.tuple->off[n->ival]);

	if (type_is_buffer(n->type.kind))
		return p;
	return LLVMBuildLoad2(cg->b, cg->i64, p, "");
}

static LLVMValueRef read_index(struct cg *cg, struct ast_node *n)
{
	const struct tpf_field *f = cg_target_field(cg, n->a);

	return load_ctx_int(cg, f->offset + n->b->ival * f->elem_size,
			    f->elem_size, f->is_signed);
}

/* ---- operators ------------------------------------------------------- */

/* a == b on strings: equal up to the first NUL within the shorter
 * buffer. Unrolled; LLVM folds the comparisons with a literal. */
static LLVMValueRef str_eq_n(struct cg *cg, LLVMValueRef pa, LLVMValueRef pb,
			     unsigned n)
{
	LLVMBasicBlockRef yes = cg_new_block(cg, "streq.yes");
	LLVMBasicBlockRef no = cg_new_block(cg, "streq.no");
	LLVMBasicBlockRef done = cg_new_block(cg, "streq.done");
	LLVMValueRef phi, one = cg_i64(cg, 1), zero = cg_i64(cg, 0);

	for (unsigned i = 0; i < n; i++) {
		LLVMValueRef ca = LLVMBuildLoad2(cg->b, cg->i8, cg_gep(cg, pa, i), "");
		LLVMValueRef cb = LLVMBuildLoad2(cg->b, cg->i8, cg_gep(cg, pb, i), "");
		LLVMBasicBlockRef same = cg_new_block(cg, "streq.same");
		LLVMBasicBlockRef next = cg_new_block(cg, "streq.next");

		LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, ca, cb, ""),
				same, no);
		LLVMPositionBuilderAtEnd(cg->b, same);
		LLVMBuildCondBr(cg->b,
				LLVMBuildICmp(cg->b, LLVMIntEQ, ca,
					      LLVMConstInt(cg->i8, 0, false), ""),
				yes, next);
		LLVMPositionBuilderAtEnd(cg->b, next);
	}
	LLVMBuildBr(cg->b, yes);
	LLVMPositionBuilderAtEnd(cg->b, yes);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, no);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
	phi = LLVMBuildPhi(cg->b, cg->i64, "streq");
	LLVMAddIncoming(phi, &one, &yes, 1);
	LLVMAddIncoming(phi, &zero, &no, 1);
	return phi;
}

static unsigned min_u(unsigned a, unsigned b)
{
	return a < b ? a : b;
}

static LLVMValueRef str_eq(struct cg *cg, struct ast_node *a,
			   struct ast_node *b)
{
	LLVMValueRef pa = cg_expr_text(cg, a), pb = cg_expr_text(cg, b);

	return str_eq_n(cg, pa, pb, min_u(a->type.size, b->type.size));
}

/* strncmp(a, b, n): 0 when the first n characters are equal */
void *cg_bi_strncmp(struct cg *cg, struct ast_node *n)
{
	struct ast_node *a = n->list, *b = a->next, *len = b->next;
	LLVMValueRef pa = cg_expr_text(cg, a), pb = cg_expr_text(cg, b);
	unsigned k = min_u(min_u(a->type.size, b->type.size), len->ival);

	return LLVMBuildXor(cg->b, str_eq_n(cg, pa, pb, k), cg_i64(cg, 1),
			    "strncmp");
}

/* strcontains(h, "lit"): 1 when the literal occurs in h */
void *cg_bi_strcontains(struct cg *cg, struct ast_node *n)
{
	struct ast_node *h = n->list, *lit = h->next;
	LLVMValueRef at = cg_str_find(cg, cg_expr_text(cg, h), h->type.size,
				      lit->str, lit->slen);

	return zext_bool(cg, LLVMBuildICmp(cg->b, LLVMIntSGE, at,
					   cg_i64(cg, 0), ""));
}

static LLVMValueRef logical(struct cg *cg, struct ast_node *n)
{
	bool is_and = n->op == OP_LAND;
	LLVMValueRef l = cg_to_bool(cg, cg_expr(cg, n->a)), r, phi;
	LLVMBasicBlockRef from = LLVMGetInsertBlock(cg->b);
	LLVMBasicBlockRef rhs = cg_new_block(cg, "logic.rhs");
	LLVMBasicBlockRef done = cg_new_block(cg, "logic.done");
	LLVMValueRef shortv = cg_i64(cg, is_and ? 0 : 1);

	if (is_and)
		LLVMBuildCondBr(cg->b, l, rhs, done);
	else
		LLVMBuildCondBr(cg->b, l, done, rhs);
	LLVMPositionBuilderAtEnd(cg->b, rhs);
	r = zext_bool(cg, cg_to_bool(cg, cg_expr(cg, n->b)));
	rhs = LLVMGetInsertBlock(cg->b);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
	phi = LLVMBuildPhi(cg->b, cg->i64, "logic");
	LLVMAddIncoming(phi, &shortv, &from, 1);
	LLVMAddIncoming(phi, &r, &rhs, 1);
	return phi;
}

/* Division and remainder. BPF before cpu v4 has no signed division:
 * divide the magnitudes and give the result its sign (C's: the
 * quotient truncates toward zero, the remainder has the dividend's
 * sign). Division by zero gives 0, as the BPF instruction does. */
LLVMValueRef cg_div(struct cg *cg, LLVMValueRef l, LLVMValueRef r, bool sign,
		    bool rem)
{
	LLVMValueRef zero = cg_i64(cg, 0), nl, nr, ul, ur, q;

	if (!sign)
		return rem ? LLVMBuildURem(cg->b, l, r, "")
			   : LLVMBuildUDiv(cg->b, l, r, "");
	nl = LLVMBuildICmp(cg->b, LLVMIntSLT, l, zero, "");
	nr = LLVMBuildICmp(cg->b, LLVMIntSLT, r, zero, "");
	ul = LLVMBuildSelect(cg->b, nl, LLVMBuildNeg(cg->b, l, ""), l, "");
	ur = LLVMBuildSelect(cg->b, nr, LLVMBuildNeg(cg->b, r, ""), r, "");
	q = rem ? LLVMBuildURem(cg->b, ul, ur, "")
		: LLVMBuildUDiv(cg->b, ul, ur, "");
	return LLVMBuildSelect(cg->b, rem ? nl : LLVMBuildXor(cg->b, nl, nr, ""),
			       LLVMBuildNeg(cg->b, q, ""), q, "");
}

/* The arithmetic and bitwise operators, for expressions and op= */
LLVMValueRef cg_arith(struct cg *cg, enum ast_op op, LLVMValueRef l,
		      LLVMValueRef r, bool sign)
{
	switch (op) {
	case OP_ADD: return LLVMBuildAdd(cg->b, l, r, "");
	case OP_SUB: return LLVMBuildSub(cg->b, l, r, "");
	case OP_MUL: return LLVMBuildMul(cg->b, l, r, "");
	case OP_DIV: return cg_div(cg, l, r, sign, false);
	case OP_MOD: return cg_div(cg, l, r, sign, true);
	case OP_BAND: return LLVMBuildAnd(cg->b, l, r, "");
	case OP_BOR: return LLVMBuildOr(cg->b, l, r, "");
	case OP_BXOR: return LLVMBuildXor(cg->b, l, r, "");
	case OP_SHL: return LLVMBuildShl(cg->b, l, r, "");
	case OP_SHR: return sign ? LLVMBuildAShr(cg->b, l, r, "")
				 : LLVMBuildLShr(cg->b, l, r, "");
	default: return r;
	}
}

static LLVMValueRef binary(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef l, r, v;
	bool sign = n->type.is_signed, uns = n->aux;

	if (n->op == OP_LAND || n->op == OP_LOR)
		return logical(cg, n);
	if (n->a->type.kind == TY_STR) {
		v = str_eq(cg, n->a, n->b);
		if (n->op == OP_NE)
			v = LLVMBuildXor(cg->b, v, cg_i64(cg, 1), "");
		return v;
	}
	l = cg_expr(cg, n->a);
	r = cg_expr(cg, n->b);
	switch (n->op) {
	case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_MOD:
	case OP_BAND: case OP_BOR: case OP_BXOR: case OP_SHL:
		return cg_arith(cg, n->op, l, r, sign);
	case OP_SHR:	/* the shifted value's sign decides */
		return cg_arith(cg, n->op, l, r, n->a->type.is_signed);
	case OP_EQ: v = LLVMBuildICmp(cg->b, LLVMIntEQ, l, r, ""); break;
	case OP_NE: v = LLVMBuildICmp(cg->b, LLVMIntNE, l, r, ""); break;
	case OP_LT: v = LLVMBuildICmp(cg->b, uns ? LLVMIntULT : LLVMIntSLT, l, r, ""); break;
	case OP_LE: v = LLVMBuildICmp(cg->b, uns ? LLVMIntULE : LLVMIntSLE, l, r, ""); break;
	case OP_GT: v = LLVMBuildICmp(cg->b, uns ? LLVMIntUGT : LLVMIntSGT, l, r, ""); break;
	case OP_GE: v = LLVMBuildICmp(cg->b, uns ? LLVMIntUGE : LLVMIntSGE, l, r, ""); break;
	default: return cg_i64(cg, 0);
	}
	return zext_bool(cg, v);
}

static LLVMValueRef ternary(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef c = cg_to_bool(cg, cg_expr(cg, n->a)), a, b, phi;
	LLVMBasicBlockRef tb = cg_new_block(cg, "cond.then");
	LLVMBasicBlockRef eb = cg_new_block(cg, "cond.else");
	LLVMBasicBlockRef done = cg_new_block(cg, "cond.done");

	LLVMBuildCondBr(cg->b, c, tb, eb);
	LLVMPositionBuilderAtEnd(cg->b, tb);
	a = cg_convert(cg, cg_expr(cg, n->b), &n->b->type, &n->type);
	tb = LLVMGetInsertBlock(cg->b);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, eb);
	b = cg_convert(cg, cg_expr(cg, n->c), &n->c->type, &n->type);
	eb = LLVMGetInsertBlock(cg->b);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
	phi = LLVMBuildPhi(cg->b, LLVMTypeOf(a), "cond");
	LLVMAddIncoming(phi, &a, &tb, 1);
	LLVMAddIncoming(phi, &b, &eb, 1);
	return phi;
}

static LLVMValueRef unary(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef v = cg_expr(cg, n->a);

	switch (n->op) {
	case OP_NOT:
		return zext_bool(cg, LLVMBuildICmp(cg->b, LLVMIntEQ, v,
						   cg_i64(cg, 0), ""));
	case OP_BNOT:
		return LLVMBuildNot(cg->b, v, "");
	case OP_NEG:
		return LLVMBuildNeg(cg->b, v, "");
	default:
		return v;
	}
}

LLVMValueRef cg_var_slot(struct cg *cg, struct sema_var *v)
{
	if (!cg->vars[v->index]) {	/* lives for the whole probe */
		bool tmp = cg->tmp_active;
		unsigned size = type_is_buffer(v->type.kind) ? v->type.size : 8;
		LLVMBasicBlockRef cur = LLVMGetInsertBlock(cg->b);

		/* made in the init block, and zeroed there when it may be
		 * read before it is set (cg_vars_to_zero): a variable set
		 * only in a branch that did not run reads 0 (or ""), never
		 * garbage */
		cg->tmp_active = false;
		LLVMPositionBuilderAtEnd(cg->b, cg->init);
		cg->vars[v->index] = cg_alloca(cg, size, v->name);
		if (!cg->var_zero || cg->var_zero[v->index])
			cg_memset0(cg, cg->vars[v->index], size);
		LLVMPositionBuilderAtEnd(cg->b, cur);
		cg->tmp_active = tmp;
	}
	return cg->vars[v->index];
}

static LLVMValueRef incdec(struct cg *cg, struct ast_node *n)
{
	struct ast_node *t = n->a;
	bool inc = n->op == OP_PRE_INC || n->op == OP_POST_INC;
	bool post = n->op == OP_POST_INC || n->op == OP_POST_DEC;
	LLVMValueRef old, nv;

	old = t->kind == AST_VAR
		      ? LLVMBuildLoad2(cg->b, cg->i64, cg_var_slot(cg, t->sym), "")
		      : cg_map_read(cg, t);
	nv = inc ? LLVMBuildAdd(cg->b, old, cg_i64(cg, 1), "")
		 : LLVMBuildSub(cg->b, old, cg_i64(cg, 1), "");
	if (t->kind == AST_VAR)
		LLVMBuildStore(cg->b, nv, cg_var_slot(cg, t->sym));
	else
		cg_map_store(cg, t, nv, &t->type);
	return post ? old : nv;
}

/* $x = v and $x op= v */
void cg_var_store(struct cg *cg, struct ast_node *t, LLVMValueRef v,
		  const struct type *vt)
{
	struct sema_var *var = t->sym;
	LLVMValueRef slot = cg_var_slot(cg, var);

	if (type_is_buffer(var->type.kind)) {
		if (vt->size < var->type.size || !type_equal(vt, &var->type))
			cg_memset0(cg, slot, var->type.size);
		cg_store_as(cg, slot, &var->type, v, vt);
	} else {
		LLVMBuildStore(cg->b, v, slot);
	}
}

/* (int8) ... (uint64): keep the low bits, extend by the new sign;
 * (bool): 0 or 1 */
static LLVMValueRef cast(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef v = cg_expr(cg, n->a);
	LLVMTypeRef t = LLVMIntTypeInContext(cg->ctx, n->type.size * 8);

	if (n->name[0] == 'b')
		return zext_bool(cg, cg_to_bool(cg, v));
	if (n->type.size == 8)
		return v;
	v = LLVMBuildTrunc(cg->b, v, t, "");
	return n->type.is_signed ? LLVMBuildSExt(cg->b, v, cg->i64, "")
				 : LLVMBuildZExt(cg->b, v, cg->i64, "");
}

/* A string literal, with its NUL, in a scratch buffer (8-byte aligned).
 * It is stored 8 bytes at a time: an array constant would be stored a
 * byte at a time, and a 1,000-byte key took 3,000 instructions. */
static LLVMValueRef string_literal(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef buf = cg_strbuf(cg, n->type.size);
	size_t len = n->slen + 1, off = 0;

	while (off < len) {
		unsigned w = len - off >= 8 ? 8 : len - off >= 4 ? 4 :
			     len - off >= 2 ? 2 : 1;
		uint64_t v = 0;
		LLVMValueRef st;

		for (unsigned i = 0; i < w; i++)	/* little-endian */
			v |= (uint64_t)(unsigned char)(off + i < n->slen ?
					n->str[off + i] : 0) << (8 * i);
		st = LLVMBuildStore(cg->b,
				    LLVMConstInt(LLVMIntTypeInContext(cg->ctx,
							8 * w), v, false),
				    cg_gep(cg, buf, off));
		LLVMSetAlignment(st, w);
		off += w;
	}
	return buf;
}

LLVMValueRef cg_expr(struct cg *cg, struct ast_node *n)
{
	switch (n->kind) {
	case AST_INT:
		return cg_i64(cg, n->ival);
	case AST_STRING:
		return string_literal(cg, n);
	case AST_IDENT:
	case AST_CALL: {
		const struct builtin *b = n->sym;
		return b && b->emit ? b->emit(cg, n) : cg_i64(cg, 0);
	}
	case AST_VAR: {
		struct sema_var *v = n->sym;
		/* a tuple read before a wider one was assigned: its layout
		 * as the read expects it */
		if (v->type.kind == TY_TUPLE)
			return cg_convert(cg, cg_var_slot(cg, v), &v->type,
					  &n->type);
		if (type_is_buffer(v->type.kind))
			return cg_var_slot(cg, v);
		return LLVMBuildLoad2(cg->b, cg->i64, cg_var_slot(cg, v), "");
	}
	case AST_MAP:
		return cg_map_read(cg, n);
	case AST_BINARY:
		return binary(cg, n);
	case AST_UNARY:
		return unary(cg, n);
	case AST_TERNARY:
		return ternary(cg, n);
	case AST_FIELD:
		if (n->aux == SEMA_FIELD_TUPLE)
			return read_tuple_elem(cg, n);
		return read_field(cg, n);
	case AST_INDEX:
		return read_index(cg, n);
	case AST_INCDEC:
		return incdec(cg, n);
	case AST_CAST:
		return cast(cg, n);
	case AST_TUPLE:
		return tuple_literal(cg, n);
	default:
		return cg_i64(cg, 0);
	}
}

/* ---- builtins -------------------------------------------------------- */

static LLVMValueRef helper0(struct cg *cg, int id)
{
	return cg_helper(cg, id, cg->i64, NULL, 0);
}

void *cg_bi_pid(struct cg *cg, struct ast_node *n)
{
	return LLVMBuildLShr(cg->b, helper0(cg, HELPER_get_current_pid_tgid),
			     cg_i64(cg, 32), "pid");
}

void *cg_bi_tid(struct cg *cg, struct ast_node *n)
{
	return LLVMBuildAnd(cg->b, helper0(cg, HELPER_get_current_pid_tgid),
			    cg_i64(cg, 0xffffffff), "tid");
}

void *cg_bi_uid(struct cg *cg, struct ast_node *n)
{
	return LLVMBuildAnd(cg->b, helper0(cg, HELPER_get_current_uid_gid),
			    cg_i64(cg, 0xffffffff), "uid");
}

void *cg_bi_gid(struct cg *cg, struct ast_node *n)
{
	return LLVMBuildLShr(cg->b, helper0(cg, HELPER_get_current_uid_gid),
			     cg_i64(cg, 32), "gid");
}

void *cg_bi_comm(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef buf = cg_alloca(cg, 16, "comm");
	LLVMValueRef args[2] = { buf, cg_i32(cg, 16) };

	cg_helper(cg, HELPER_get_current_comm, cg->i64, args, 2);
	return buf;
}

void *cg_bi_nsecs(struct cg *cg, struct ast_node *n)
{
	return helper0(cg, HELPER_ktime_get_ns);
}

/* nsecs minus the start time the runtime stored in the config map */
void *cg_bi_elapsed(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef now = helper0(cg, HELPER_ktime_get_ns);

	return LLVMBuildSub(cg->b, now, cg_config_load(cg, RT_CONFIG_START),
			    "elapsed");
}

/* A program attached to one target knows its probe; one shared by
 * several reads the id from the BPF cookie it was attached with. */
void *cg_bi_probe(struct cg *cg, struct ast_node *n)
{
	struct sema_probe *p = cg->probe;

	if (cg->dispatch_probe)
		return cg->dispatch_probe;
	if (cg->target)
		return cg_i64(cg, cg->target->probe_id);
	if (p->targets.n == 1)
		return cg_i64(cg, ((struct sema_target *)p->targets.v[0])->probe_id);
	return cg_helper(cg, HELPER_get_attach_cookie, cg->i64, &cg->ctxarg, 1);
}

static LLVMValueRef str_call(struct cg *cg, struct ast_node *n, bool pad)
{
	struct ast_node *a = n->list;
	LLVMValueRef v = cg_expr(cg, a);

	if (a->type.kind == TY_STR)
		return cg_str_resize(cg, v, a->type.size, n->type.size);
	return read_str(cg, HELPER_probe_read_str,
			LLVMBuildIntToPtr(cg->b, v, cg->ptr, ""), n->type.size,
			!a->next, pad);
}

void *cg_bi_str(struct cg *cg, struct ast_node *n)
{
	return str_call(cg, n, true);
}

/* A string whose bytes after the NUL nobody reads: a printf argument
 * (the printer stops at the NUL), an operand of ==, strncmp() or
 * strcontains() (they stop there too). A str() read then need not zero
 * its buffer first. */
LLVMValueRef cg_expr_text(struct cg *cg, struct ast_node *n)
{
	const struct builtin *b = n->kind == AST_CALL ? n->sym : NULL;

	if (b && b->id == BI_STR)
		return str_call(cg, n, false);
	return cg_expr(cg, n);
}
