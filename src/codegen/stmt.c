/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Statements: assignments, if/else, blocks. */
#include "codegen/internal.h"
#include "stdlib/builtins.h"


static LLVMValueRef compound(struct cg *cg, enum ast_op op, LLVMValueRef l,
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

static LLVMBasicBlockRef block(struct cg *cg, const char *name)
{
	return LLVMAppendBasicBlockInContext(cg->ctx, cg->fn, name);
}

/* Code after return/break/continue is unreachable but still emitted:
 * it goes in a block of its own that nothing branches to. */
static void jump(struct cg *cg, LLVMBasicBlockRef to)
{
	LLVMBuildBr(cg->b, to);
	LLVMPositionBuilderAtEnd(cg->b, block(cg, "dead"));
}

/* A loop: cond -> body -> step (NULL: none) -> cond. A range loop has
 * no cond node: it runs while its variable is below the end slot. */
static void loop(struct cg *cg, struct ast_node *cond, struct ast_node *body,
		 struct ast_node *step_var, LLVMValueRef end)
{
	LLVMBasicBlockRef head = block(cg, "loop.head");
	LLVMBasicBlockRef in = block(cg, "loop.body");
	LLVMBasicBlockRef next = block(cg, "loop.next");
	LLVMBasicBlockRef out = block(cg, "loop.end");

	LLVMBuildBr(cg->b, head);
	LLVMPositionBuilderAtEnd(cg->b, head);
	LLVMValueRef c = cond ? cg_to_bool(cg, cg_expr(cg, cond))
		: LLVMBuildICmp(cg->b, LLVMIntSLT,
				LLVMBuildLoad2(cg->b, cg->i64,
					       cg_var_slot(cg, step_var->sym), ""),
				LLVMBuildLoad2(cg->b, cg->i64, end, ""), "");
	LLVMBuildCondBr(cg->b, c, in, out);
	LLVMPositionBuilderAtEnd(cg->b, in);
	if (cg->nloops < 32) {
		cg->loop_next[cg->nloops] = next;
		cg->loop_end[cg->nloops] = out;
	}
	cg->nloops++;
	cg_block(cg, body);
	cg->nloops--;
	LLVMBuildBr(cg->b, next);
	LLVMPositionBuilderAtEnd(cg->b, next);
	if (step_var) {
		LLVMValueRef slot = cg_var_slot(cg, step_var->sym);
		LLVMBuildStore(cg->b, LLVMBuildAdd(cg->b,
			LLVMBuildLoad2(cg->b, cg->i64, slot, ""),
			cg_i64(cg, 1), ""), slot);
	}
	LLVMBuildBr(cg->b, head);
	LLVMPositionBuilderAtEnd(cg->b, out);
}

/* for ($i : a..b): $i = a; while ($i < b) { body; $i++ } */
static void for_range(struct cg *cg, struct ast_node *n)
{
	struct sema_var *v = n->sym;
	struct ast_node var = { .kind = AST_VAR, .name = n->name, .sym = v,
				.type = v->type };
	LLVMValueRef start = cg_expr(cg, n->a);
	LLVMValueRef end = cg_alloca(cg, 8, "range_end");

	/* the range is evaluated once, before the first iteration */
	LLVMBuildStore(cg->b, cg_expr(cg, n->c), end);
	LLVMBuildStore(cg->b, start, cg_var_slot(cg, v));
	loop(cg, NULL, n->b, &var, end);
}

static void stmt_inner(struct cg *cg, struct ast_node *n);

static void stmt(struct cg *cg, struct ast_node *n)
{
	size_t mark = cg_tmp_mark(cg);

	stmt_inner(cg, n);
	cg_tmp_release(cg, mark);
}

static void stmt_inner(struct cg *cg, struct ast_node *n)
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
	case AST_WHILE:
		loop(cg, n->a, n->b, NULL, NULL);
		break;
	case AST_UNROLL:
		for (uint64_t i = 0; i < n->a->ival; i++)
			cg_block(cg, n->b);
		break;
	case AST_FOR:
		for_range(cg, n);
		break;
	case AST_LET:
		if (n->b)
			cg_var_store(cg, &(struct ast_node){ .kind = AST_VAR,
				     .sym = n->sym }, cg_expr(cg, n->b),
				     &n->b->type);
		else if (n->sym)	/* a declared variable starts at 0 */
			LLVMBuildStore(cg->b, cg_i64(cg, 0),
				       cg_var_slot(cg, n->sym));
		break;
	case AST_RETURN:
		LLVMBuildRet(cg->b, cg_i32(cg, 0));
		LLVMPositionBuilderAtEnd(cg->b, block(cg, "dead"));
		break;
	case AST_BREAK:
	case AST_CONTINUE:
		if (cg->nloops && cg->nloops <= 32)
			jump(cg, n->kind == AST_BREAK
					 ? cg->loop_end[cg->nloops - 1]
					 : cg->loop_next[cg->nloops - 1]);
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
