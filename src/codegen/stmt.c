/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Statements: assignments, if/else, blocks. */
#include "codegen/internal.h"
#include "stdlib/builtins.h"

void cg_var_store(struct cg *cg, struct ast_node *t, LLVMValueRef v,
		  const struct type *vt);

static LLVMValueRef compound(struct cg *cg, enum ast_op op, LLVMValueRef l,
			     LLVMValueRef r, bool sign)
{
	switch (op) {
	case OP_ADD: return LLVMBuildAdd(cg->b, l, r, "");
	case OP_SUB: return LLVMBuildSub(cg->b, l, r, "");
	case OP_MUL: return LLVMBuildMul(cg->b, l, r, "");
	case OP_DIV: return sign ? LLVMBuildSDiv(cg->b, l, r, "")
				 : LLVMBuildUDiv(cg->b, l, r, "");
	case OP_MOD: return sign ? LLVMBuildSRem(cg->b, l, r, "")
				 : LLVMBuildURem(cg->b, l, r, "");
	case OP_BAND: return LLVMBuildAnd(cg->b, l, r, "");
	case OP_BOR: return LLVMBuildOr(cg->b, l, r, "");
	case OP_BXOR: return LLVMBuildXor(cg->b, l, r, "");
	case OP_SHL: return LLVMBuildShl(cg->b, l, r, "");
	case OP_SHR: return sign ? LLVMBuildAShr(cg->b, l, r, "")
				 : LLVMBuildLShr(cg->b, l, r, "");
	default: return r;
	}
}

static void assign(struct cg *cg, struct ast_node *n)
{
	struct ast_node *t = n->a, *v = n->b;
	const struct builtin *b = v->kind == AST_CALL ? v->sym : NULL;
	LLVMValueRef val;

	if (b && b->kind == BI_AGG) {
		cg_map_aggregate(cg, t, v);
		return;
	}
	val = cg_expr(cg, v);
	if (n->op)
		val = compound(cg, n->op, cg_expr(cg, t), val,
			       t->type.is_signed);
	if (t->kind == AST_MAP)
		cg_map_store(cg, t, val, &v->type);
	else
		cg_var_store(cg, t, val, &v->type);
}

static void if_stmt(struct cg *cg, struct ast_node *n)
{
	LLVMBasicBlockRef tb, eb, done;
	LLVMValueRef c = cg_to_bool(cg, cg_expr(cg, n->a));

	tb = LLVMAppendBasicBlockInContext(cg->ctx, cg->fn, "if.then");
	eb = LLVMAppendBasicBlockInContext(cg->ctx, cg->fn, "if.else");
	done = LLVMAppendBasicBlockInContext(cg->ctx, cg->fn, "if.done");
	LLVMBuildCondBr(cg->b, c, tb, eb);
	LLVMPositionBuilderAtEnd(cg->b, tb);
	cg_block(cg, n->b);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, eb);
	if (n->c && n->c->kind == AST_IF)
		if_stmt(cg, n->c);
	else if (n->c)
		cg_block(cg, n->c);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
}

static void stmt(struct cg *cg, struct ast_node *n)
{
	cg_set_loc(cg, n->loc);
	switch (n->kind) {
	case AST_EXPR_STMT:
		cg_expr(cg, n->a);
		break;
	case AST_ASSIGN:
		assign(cg, n);
		break;
	case AST_IF:
		if_stmt(cg, n);
		break;
	case AST_BLOCK:
		cg_block(cg, n);
		break;
	default:
		break;
	}
}

void cg_block(struct cg *cg, struct ast_node *b)
{
	for (struct ast_node *n = b->list; n; n = n->next)
		stmt(cg, n);
}
