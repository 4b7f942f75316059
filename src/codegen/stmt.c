/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Statements: assignments, if/else, blocks, loops; a for loop over a map
 * becomes a callback of bpf_for_each_map_elem. */
#include <stdlib.h>
#include "codegen/internal.h"
#include "stdlib/builtins.h"


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
		val = cg_arith(cg, n->op, cg_expr(cg, t), val,
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

	tb = cg_new_block(cg, "if.then");
	eb = cg_new_block(cg, "if.else");
	done = cg_new_block(cg, "if.done");
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

/* Code after return/break/continue is unreachable but still emitted:
 * it goes in a block of its own that nothing branches to. */
static void jump(struct cg *cg, LLVMBasicBlockRef to)
{
	LLVMBuildBr(cg->b, to);
	LLVMPositionBuilderAtEnd(cg->b, cg_new_block(cg, "dead"));
}

/* A loop: cond -> body -> step (NULL: none) -> cond. A range loop has
 * no cond node: it runs while its variable is below the end slot. */
static void loop(struct cg *cg, struct ast_node *cond, struct ast_node *body,
		 struct ast_node *step_var, LLVMValueRef end)
{
	LLVMBasicBlockRef head = cg_new_block(cg, "loop.head");
	LLVMBasicBlockRef in = cg_new_block(cg, "loop.body");
	LLVMBasicBlockRef next = cg_new_block(cg, "loop.next");
	LLVMBasicBlockRef out = cg_new_block(cg, "loop.end");

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

void cg_return(struct cg *cg)
{
	if (cg->in_callback) {	/* stop iterating; the caller returns */
		if (cg->cb_ret)
			LLVMBuildStore(cg->b, cg_i64(cg, 1), cg->cb_ret);
		LLVMBuildRet(cg->b, cg_i64(cg, 1));
	} else {
		LLVMBuildRet(cg->b, cg_i32(cg, 0));
	}
	LLVMPositionBuilderAtEnd(cg->b, cg_new_block(cg, "dead"));
}

/* ---- for ($kv : @m) ----------------------------------------------------
 * The body is a function of its own, called by bpf_for_each_map_elem
 * for each entry with the map, the key, the value and a context: a
 * struct on the caller's stack (struct loop_ctx) holding a pointer to
 * each variable of the probe the body uses, so that it reads and writes
 * the caller's. The callback returns 0 to go on, 1 to stop (break,
 * return; a return also sets a flag the caller then tests). */

struct loop_scan {
	struct sema_var *entry;		/* the loop's own $kv */
	bool *used;			/* per variable index */
	bool ret;			/* a return or exit() in the body */
	bool keys, value;		/* $kv.0 and $kv.1 are read */
};

static bool is_entry_elem(struct ast_node *n, struct sema_var *v)
{
	return n->kind == AST_FIELD && n->aux == SEMA_FIELD_TUPLE &&
	       n->a->kind == AST_VAR && n->a->sym == v;
}

static void scan(struct loop_scan *sc, struct ast_node *n)
{
	const struct builtin *b;
	struct sema_var *v;

	if (!n)
		return;
	switch (n->kind) {
	case AST_FIELD:
		if (is_entry_elem(n, sc->entry)) {
			if (n->ival == 0)
				sc->keys = true;
			else
				sc->value = true;
			return;
		}
		break;
	case AST_VAR:
	case AST_LET:
		if ((v = n->sym)) {
			sc->used[v->index] = true;
			if (v == sc->entry)	/* the whole of it */
				sc->keys = sc->value = true;
		}
		break;
	case AST_FOR:
		if ((v = n->sym))
			sc->used[v->index] = true;
		break;
	case AST_RETURN:
		sc->ret = true;
		break;
	case AST_CALL:
		b = n->sym;
		sc->ret |= b && b->id == BI_EXIT;
		break;
	default:
		break;
	}
	scan(sc, n->a);
	scan(sc, n->b);
	scan(sc, n->c);
	for (struct ast_node *l = n->list; l; l = l->next)
		scan(sc, l);
}

/* Copy what the body reads of the entry into $kv's buffer: the key
 * fields, and the value (an aggregation's merged over the CPUs). */
static void fill_entry(struct cg *cg, struct cg_map *cm, struct loop_scan *sc,
		       LLVMValueRef key, LLVMValueRef val)
{
	struct sema_map *m = cm->sm;
	const struct type_tuple *t = sc->entry->type.tuple;
	const struct type_tuple *kt = m->nkeys > 1 ? t->elem[0].tuple : NULL;
	LLVMValueRef slot = cg_var_slot(cg, sc->entry), dst;
	const struct type *et;
	unsigned n;

	for (unsigned i = 0; sc->keys && i < m->nkeys; i++) {
		et = kt ? &kt->elem[i] : &t->elem[0];
		dst = cg_gep(cg, slot, t->off[0] + (kt ? kt->off[i] : 0));
		if (type_is_buffer(et->kind)) {
			n = et->size < m->keys[i].size ? et->size
						       : m->keys[i].size;
			LLVMBuildMemCpy(cg->b, dst, 8, cg_gep(cg, key,
				cm->key_off[i]), 8, cg_i64(cg, n));
		} else {
			LLVMBuildStore(cg->b, LLVMBuildLoad2(cg->b, cg->i64,
				cg_gep(cg, key, cm->key_off[i]), ""), dst);
		}
	}
	if (!sc->value)
		return;
	et = &t->elem[1];
	dst = cg_gep(cg, slot, t->off[1]);
	if (m->agg != RT_AGG_NONE) {
		LLVMBuildStore(cg->b, cg_map_percpu_value(cg, cm, key), dst);
	} else if (type_is_buffer(et->kind)) {
		n = et->size < m->value.size ? et->size : m->value.size;
		LLVMBuildMemCpy(cg->b, dst, 8, val, 8, cg_i64(cg, n));
	} else {
		LLVMBuildStore(cg->b, LLVMBuildLoad2(cg->b, cg->i64, val, ""),
			       dst);
	}
}

/* The context's layout: the words the body needs, in this order (-1:
 * absent): the return flag, the program's context (args, probe), the
 * dispatch's probe id, then one per captured variable. */
struct loop_ctx {
	int ret, prog, probe, vars;
	unsigned words;
};

static void loop_ctx_layout(struct cg *cg, struct loop_scan *sc,
			    unsigned nvars, struct loop_ctx *lc)
{
	int w = 0;

	lc->ret = sc->ret ? w++ : -1;
	lc->prog = cg->probe->uses_args || cg->probe->uses_probe ? w++ : -1;
	lc->probe = cg->dispatch_probe ? w++ : -1;
	lc->vars = w;
	for (unsigned i = 0; i < nvars; i++)
		w += sc->used[i];
	lc->words = w;
}

/* The callback: its context's words become the function's state. */
static LLVMValueRef loop_callback(struct cg *cg, struct ast_node *n,
				  struct loop_scan *sc, unsigned nvars,
				  const struct loop_ctx *lc)
{
	struct cg_map *cm = &cg->maps[((struct sema_map *)n->a->sym)->index];
	size_t len;
	const char *name = arena_printf(cg->s->arena, "%s_for%u",
					LLVMGetValueName2(cg->fn, &len),
					cg->ncallbacks++);
	LLVMValueRef lctx, fn, *vars;
	unsigned w = lc->vars;

	vars = xcalloc(nvars + 1, sizeof(*vars));
	cg_callback_begin(cg, name, n->b->loc);
	fn = cg->fn;
	cg->vars = vars;
	lctx = LLVMGetParam(fn, 3);
	/* the words are read in the entry block, so they dominate all */
	LLVMPositionBuilderAtEnd(cg->b, cg->entry);
	if (lc->prog >= 0)
		cg->ctxarg = LLVMBuildLoad2(cg->b, cg->ptr,
					    cg_gep(cg, lctx, 8 * lc->prog),
					    "prog_ctx");
	if (lc->probe >= 0)
		cg->dispatch_probe = LLVMBuildLoad2(
			cg->b, cg->i64, cg_gep(cg, lctx, 8 * lc->probe),
			"probe");
	if (lc->ret >= 0)
		cg->cb_ret = cg_gep(cg, lctx, 8 * lc->ret);
	for (unsigned i = 0; i < nvars; i++)
		if (sc->used[i])
			vars[i] = LLVMBuildLoad2(cg->b, cg->ptr,
						 cg_gep(cg, lctx, 8 * w++), "");
	LLVMPositionBuilderAtEnd(cg->b, cg->body);
	fill_entry(cg, cm, sc, LLVMGetParam(fn, 1), LLVMGetParam(fn, 2));
	cg_block(cg, n->b);
	cg_callback_end(cg);
	free(vars);
	return fn;
}

static void for_map(struct cg *cg, struct ast_node *n)
{
	struct sema_map *sm = n->a->sym;
	struct sema_probe *p = cg->probe;
	struct loop_scan sc = { .entry = n->sym };
	struct cg_fn_state st;
	struct loop_ctx lc;
	LLVMValueRef lctx = NULL, fn, args[4];
	unsigned w, nvars = p->vars.n;

	if (!sm || !sc.entry || sc.entry->type.kind != TY_TUPLE)
		return;		/* sema reported it */
	sc.used = xcalloc(nvars + 1, sizeof(*sc.used));
	scan(&sc, n->b);
	/* variables declared in the body (and $kv) are the callback's own;
	 * the others are the caller's, reached through the context */
	for (unsigned i = 0; i < nvars; i++)
		sc.used[i] &= ((struct sema_var *)p->vars.v[i])->for_depth <
			      sc.entry->for_depth;
	loop_ctx_layout(cg, &sc, nvars, &lc);
	/* the caller's side: its variables exist before the call */
	if (lc.words)
		lctx = cg_stack_alloca(cg, 8 * lc.words, "loop_ctx");
	if (lc.ret >= 0)
		LLVMBuildStore(cg->b, cg_i64(cg, 0),
			       cg_gep(cg, lctx, 8 * lc.ret));
	if (lc.prog >= 0)
		LLVMBuildStore(cg->b, cg->ctxarg,
			       cg_gep(cg, lctx, 8 * lc.prog));
	if (lc.probe >= 0)
		LLVMBuildStore(cg->b, cg->dispatch_probe,
			       cg_gep(cg, lctx, 8 * lc.probe));
	w = lc.vars;
	for (unsigned i = 0; i < nvars; i++)
		if (sc.used[i])
			LLVMBuildStore(cg->b, cg_var_slot(cg, p->vars.v[i]),
				       cg_gep(cg, lctx, 8 * w++));

	cg_fn_save(cg, &st);
	fn = loop_callback(cg, n, &sc, nvars, &lc);
	cg_fn_restore(cg, &st);

	args[0] = cg->maps[sm->index].global;
	args[1] = fn;
	args[2] = lctx ? lctx : LLVMConstNull(cg->ptr);
	args[3] = cg_i64(cg, 0);
	cg_helper(cg, HELPER_for_each_map_elem, cg->i64, args, 4);
	if (lc.ret >= 0) {	/* the body returned: so does the caller */
		LLVMBasicBlockRef ret = cg_new_block(cg, "for.return");
		LLVMBasicBlockRef out = cg_new_block(cg, "for.end");
		LLVMValueRef flag = LLVMBuildLoad2(
			cg->b, cg->i64, cg_gep(cg, lctx, 8 * lc.ret), "");
		LLVMBuildCondBr(cg->b, cg_to_bool(cg, flag), ret, out);
		LLVMPositionBuilderAtEnd(cg->b, ret);
		cg_return(cg);
		LLVMBuildBr(cg->b, out);
		LLVMPositionBuilderAtEnd(cg->b, out);
	}
	free(sc.used);
}

/* len(@m): bpf_for_each_map_elem counts the entries it visits; the
 * callback only goes on. */
void *cg_bi_len(struct cg *cg, struct ast_node *n)
{
	struct sema_map *sm = n->list->sym;
	LLVMValueRef args[4];

	if (!cg->len_cb) {
		struct cg_fn_state st;
		cg_fn_save(cg, &st);
		cg_callback_begin(cg, "scry_len_cb", n->loc);
		cg->len_cb = cg->fn;
		cg_callback_end(cg);
		cg_fn_restore(cg, &st);
	}
	args[0] = cg->maps[sm->index].global;
	args[1] = cg->len_cb;
	args[2] = LLVMConstNull(cg->ptr);
	args[3] = cg_i64(cg, 0);
	return cg_helper(cg, HELPER_for_each_map_elem, cg->i64, args, 4);
}

static void stmt_inner(struct cg *cg, struct ast_node *n);

static void let_zero(struct cg *cg, struct sema_var *v)
{
	LLVMValueRef slot = cg_var_slot(cg, v);

	if (type_is_buffer(v->type.kind))
		cg_memset0(cg, slot, v->type.size);
	else
		LLVMBuildStore(cg->b, cg_i64(cg, 0), slot);
}

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
		if (n->c)
			for_range(cg, n);
		else
			for_map(cg, n);
		break;
	case AST_LET:
		if (n->b)
			cg_var_store(cg, &(struct ast_node){ .kind = AST_VAR,
				     .sym = n->sym }, cg_expr(cg, n->b),
				     &n->b->type);
		else if (n->sym)	/* starts at 0 or "" on each run of
					   the statement (in a loop, too) */
			let_zero(cg, n->sym);
		break;
	case AST_RETURN:
		cg_return(cg);
		break;
	case AST_BREAK:
	case AST_CONTINUE:
		if (cg->in_callback && cg->nloops == cg->loop_base) {
			/* the loop is the callback's caller: 1 stops it */
			LLVMBuildRet(cg->b, cg_i64(cg, n->kind == AST_BREAK));
			LLVMPositionBuilderAtEnd(cg->b, cg_new_block(cg, "dead"));
		} else if (cg->nloops && cg->nloops <= 32)
			jump(cg, n->kind == AST_BREAK
					 ? cg->loop_end[cg->nloops - 1]
					 : cg->loop_next[cg->nloops - 1]);
		break;
	default:
		break;
	}
}

/* ---- which variables start at zero ------------------------------------
 * A variable set only in a branch that did not run must read 0 (or ""),
 * and the verifier refuses reads of stack never written; but zeroing
 * every variable on each run is work most programs do not need. Only a
 * variable that may be read before it is set is zeroed: one read
 * anywhere except after a plain assignment (or let) among the probe's
 * top-level statements, which run in order. Reads in loops, branches
 * and for-map bodies count before any assignment nested with them. */
struct zero_scan {
	bool *set, *zero;	/* per variable index */
};

static void scan_reads(struct zero_scan *zs, struct ast_node *n)
{
	struct sema_var *v;

	if (!n)
		return;
	if (n->kind == AST_VAR && (v = n->sym)) {
		zs->zero[v->index] |= !zs->set[v->index];
		return;
	}
	/* $x = v writes all of $x's slot (cg_var_store): not a read */
	if (n->kind == AST_ASSIGN && !n->op && n->a->kind == AST_VAR) {
		scan_reads(zs, n->b);
		return;
	}
	scan_reads(zs, n->a);
	scan_reads(zs, n->b);
	scan_reads(zs, n->c);
	for (struct ast_node *l = n->list; l; l = l->next)
		scan_reads(zs, l);
}

bool *cg_vars_to_zero(struct sema_probe *p)
{
	struct zero_scan zs;
	struct sema_var *v;

	zs.set = xcalloc(p->vars.n + 1, sizeof(*zs.set));
	zs.zero = xcalloc(p->vars.n + 1, sizeof(*zs.zero));
	scan_reads(&zs, p->node->a);	/* the predicate */
	for (struct ast_node *s = p->node->body->list; s; s = s->next) {
		scan_reads(&zs, s);
		v = NULL;
		if (s->kind == AST_ASSIGN && !s->op && s->a->kind == AST_VAR)
			v = s->a->sym;
		else if (s->kind == AST_LET)	/* let $x; stores 0 itself */
			v = s->sym;
		if (v)
			zs.set[v->index] = true;
	}
	free(zs.set);
	return zs.zero;
}

void cg_block(struct cg *cg, struct ast_node *b)
{
	for (struct ast_node *n = b->list; n; n = n->next)
		stmt(cg, n);
}
