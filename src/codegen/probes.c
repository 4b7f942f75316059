/* SPDX-License-Identifier: GPL-2.0-or-later */
/* How probes become programs: one per probe over its targets (the probe
 * id from the BPF cookie), on raw tracepoints when it does not read args,
 * one per target when it does, one on raw_syscalls for a group of
 * syscall tracepoints; the limits on how many; and each program's
 * prologue (syscall dispatch, -p PID), predicate and body. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include "codegen/internal.h"
#include "providers/provider.h"

/* The prologue of a program on raw_syscalls standing for many syscall
 * tracepoints: look the syscall number up; leave unless it is traced. */
static void dispatch_prologue(struct cg *cg, LLVMValueRef map)
{
	LLVMValueRef id, key, p, v, args[2];
	LLVMBasicBlockRef known, traced, skip;

	id = LLVMBuildLoad2(cg->b, cg->i64, cg_gep(cg, cg->ctxarg, 8), "id");
	known = cg_new_block(cg, "sys.known");
	traced = cg_new_block(cg, "sys.traced");
	skip = cg_new_block(cg, "sys.skip");
	LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntULT, id,
					     cg_i64(cg, TP_SYSCALL_MAX), ""),
			known, skip);
	LLVMPositionBuilderAtEnd(cg->b, known);
	key = cg_alloca(cg, 4, "sysnr");
	LLVMBuildStore(cg->b, LLVMBuildTrunc(cg->b, id, cg->i32, ""), key);
	args[0] = map;
	args[1] = key;
	p = cg_helper(cg, HELPER_map_lookup_elem, cg->ptr, args, 2);
	LLVMBasicBlockRef hit = cg_new_block(cg, "sys.hit");
	LLVMBuildCondBr(cg->b, LLVMBuildIsNull(cg->b, p, ""), skip, hit);
	LLVMPositionBuilderAtEnd(cg->b, hit);
	v = LLVMBuildZExt(cg->b, LLVMBuildLoad2(cg->b, cg->i32, p, ""),
			  cg->i64, "");
	LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, v,
					     cg_i64(cg, 0), ""),
			skip, traced);
	LLVMPositionBuilderAtEnd(cg->b, skip);
	LLVMBuildRet(cg->b, cg_i32(cg, 0));
	LLVMPositionBuilderAtEnd(cg->b, traced);
	cg->dispatch_probe = LLVMBuildSub(cg->b, v, cg_i64(cg, 1), "probe");
}

/* -p PID: leave at once when another process fired the probe */
static void pid_filter(struct cg *cg)
{
	LLVMValueRef pid = cg_bi_pid(cg, NULL);
	LLVMBasicBlockRef ok = cg_new_block(cg, "pid.ok");
	LLVMBasicBlockRef other = cg_new_block(cg, "pid.other");

	LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, pid,
					     cg_i64(cg, cg->s->target_pid), ""),
			ok, other);
	LLVMPositionBuilderAtEnd(cg->b, other);
	LLVMBuildRet(cg->b, cg_i32(cg, 0));
	LLVMPositionBuilderAtEnd(cg->b, ok);
}

struct prog_spec {
	struct sema_target *only;	/* one target of a split probe */
	struct ptrvec targets;		/* what the program attaches to */
	bool dispatch, is_exit;		/* one program on raw_syscalls */
	bool raw;			/* a raw tracepoint program */
};

static void emit_program(struct cg *cg, struct sema_probe *p,
			 struct prog_spec *ps, struct rt_prog *rp)
{
	struct ast_node *pn = p->node;
	LLVMValueRef dmap = NULL;
	const char *name;

	if (p->prov->prog_kind == RT_PROG_BEGIN)
		name = arena_printf(cg->s->arena, "scry_begin_%u", p->index);
	else if (p->prov->prog_kind == RT_PROG_END)
		name = arena_printf(cg->s->arena, "scry_end_%u", p->index);
	else
		name = arena_printf(cg->s->arena, "scry_%u_%zu", p->index,
				    cg->plan->nprogs - 1);
	cg->probe = p;
	cg->target = ps->only ? ps->only
		     : ps->targets.n == 1 && !ps->dispatch ? ps->targets.v[0]
							   : NULL;
	cg->dispatch_probe = NULL;
	cg->vars = xcalloc(p->vars.n + 1, sizeof(*cg->vars));
	cg->var_zero = cg_vars_to_zero(p);
	cg_begin_function(cg, name, ps->raw ? "raw_tp" : p->prov->section,
		       pn->loc);
	if (ps->dispatch) {
		const char *mname = arena_printf(cg->s->arena, "sys_%zu",
						 cg->plan->nprogs - 1);
		dmap = cg_declare_map(cg, mname, BPF_MAP_TYPE_ARRAY, 4, 4,
				      TP_SYSCALL_MAX);
		dispatch_prologue(cg, dmap);
		rp->dispatch_map = xstrdup(mname);
	}
	/* -p PID filters the events of processes, not timers */
	if (cg->s->target_pid && p->prov->prog_kind == RT_PROG_TRACEPOINT)
		pid_filter(cg);
	if (pn->a) {	/* the predicate: return early when false */
		LLVMBasicBlockRef body = cg_new_block(cg, "pred.true");
		LLVMBasicBlockRef skip = cg_new_block(cg, "pred.false");
		cg_set_loc(cg, pn->a->loc);
		LLVMBuildCondBr(cg->b, cg_to_bool(cg, cg_expr(cg, pn->a)),
				body, skip);
		LLVMPositionBuilderAtEnd(cg->b, skip);
		LLVMBuildRet(cg->b, cg_i32(cg, 0));
		LLVMPositionBuilderAtEnd(cg->b, body);
	}
	cg_block(cg, pn->body);
	cg_end_function(cg, pn->loc);
	free(cg->vars);
	cg->vars = NULL;
	free(cg->var_zero);
	cg->var_zero = NULL;
	cg->dispatch_probe = NULL;
	rp->kind = ps->raw ? RT_PROG_RAW_TRACEPOINT : p->prov->prog_kind;
	rp->bpf_name = xstrdup(name);
	rp->probe = xstrdup(pn->list->name);
}

static void add_target(struct rt_prog *rp, const char *cat,
		       const char *event, uint64_t cookie)
{
	struct rt_target *rt;

	rp->targets = xrealloc(rp->targets,
			       (rp->ntargets + 1) * sizeof(*rp->targets));
	rt = &rp->targets[rp->ntargets++];
	rt->category = xstrdup(cat);
	rt->event = xstrdup(event);
	rt->cookie = cookie;
}

static void add_period_target(struct rt_prog *rp, uint64_t period,
			      uint64_t cookie)
{
	add_target(rp, "", "", cookie);
	rp->targets[rp->ntargets - 1].period_ns = period;
}

static struct rt_prog *new_prog(struct rt_plan *plan)
{
	struct rt_prog *rp;

	plan->progs = xrealloc(plan->progs,
			       (plan->nprogs + 1) * sizeof(*plan->progs));
	rp = &plan->progs[plan->nprogs++];
	memset(rp, 0, sizeof(*rp));
	return rp;
}

static void emit_spec(struct cg *cg, struct sema_probe *p,
		      struct prog_spec *ps)
{
	struct rt_prog *rp = new_prog(cg->plan);

	emit_program(cg, p, ps, rp);
	if (ps->dispatch) {
		bool is_exit;
		add_target(rp, "raw_syscalls",
			   ps->is_exit ? "sys_exit" : "sys_enter", 0);
		rp->dispatch = xcalloc(ps->targets.n, sizeof(*rp->dispatch));
		for (size_t i = 0; i < ps->targets.n; i++) {
			struct sema_target *t = ps->targets.v[i];
			rp->dispatch[i].nr = tp_syscall_nr(t->category,
							   t->event, &is_exit);
			rp->dispatch[i].probe_id = t->probe_id;
		}
		rp->ndispatch = ps->targets.n;
	} else {
		for (size_t i = 0; i < ps->targets.n; i++) {
			struct sema_target *t = ps->targets.v[i];
			if (t->period_ns)
				add_period_target(rp, t->period_ns,
						  t->probe_id);
			else if (t->category)	/* BEGIN/END have none */
				add_target(rp, t->category, t->event,
					   t->probe_id);
		}
	}
	ptrvec_free(&ps->targets);
}

/* A probe that does not read args runs as well on a raw tracepoint,
 * which skips building the record and detaches at once, where closing a
 * perf-attached tracepoint waits ~70 ms for RCU. Several targets share
 * one program through the BPF cookie, which raw links carry only on
 * newer kernels. */
static bool runs_raw(struct sema_probe *p, struct sema_target *t)
{
	return p->prov->prog_kind == RT_PROG_TRACEPOINT && !p->uses_args &&
	       t->category && tp_is_kernel_tracepoint(t->category, t->event) &&
	       (p->targets.n == 1 || !p->uses_probe || tp_raw_cookies());
}

/* How a probe becomes programs: one for its targets (the probe id comes
 * from the BPF cookie), on raw tracepoints when it can; one per target
 * when it reads args, as records differ (split_probe); and one on
 * raw_syscalls for each group of two or more syscall tracepoints,
 * entries and exits apart. Fills specs[] in the order the programs are
 * made and returns how many there are. */
static bool split_probe(const struct sema_probe *p)
{
	return p->uses_args && p->targets.n > 1;
}

static size_t plan_probe(struct sema_probe *p, struct prog_spec specs[4])
{
	struct prog_spec rest = { 0 }, raw = { .raw = true };
	struct prog_spec sys[2] = { { 0 }, { 0 } };
	size_t n = 0;

	for (size_t j = 0; j < p->targets.n; j++) {
		struct sema_target *t = p->targets.v[j];
		bool is_exit = false;

		if (!p->uses_args && p->targets.n > 1 && t->category &&
		    tp_syscall_nr(t->category, t->event, &is_exit) >= 0)
			ptrvec_push(&sys[is_exit].targets, t);
		else if (runs_raw(p, t))
			ptrvec_push(&raw.targets, t);
		else
			ptrvec_push(&rest.targets, t);
	}
	for (int k = 0; k < 2; k++) {
		if (sys[k].targets.n >= 2) {
			sys[k].dispatch = true;
			sys[k].is_exit = k;
			specs[n++] = sys[k];
			continue;
		}
		for (size_t j = 0; j < sys[k].targets.n; j++)
			ptrvec_push(&rest.targets, sys[k].targets.v[j]);
		ptrvec_free(&sys[k].targets);
	}
	if (raw.targets.n)
		specs[n++] = raw;
	if (rest.targets.n || !p->targets.n ||
	    p->prov->prog_kind == RT_PROG_BEGIN ||
	    p->prov->prog_kind == RT_PROG_END)
		specs[n++] = rest;
	else
		ptrvec_free(&rest.targets);
	return n;
}

static void emit_probe(struct cg *cg, struct sema_probe *p)
{
	struct prog_spec specs[4];
	size_t n;

	if (split_probe(p)) {
		for (size_t j = 0; j < p->targets.n; j++) {
			struct prog_spec one = { .only = p->targets.v[j] };
			ptrvec_push(&one.targets, p->targets.v[j]);
			emit_spec(cg, p, &one);
		}
		return;
	}
	n = plan_probe(p, specs);
	for (size_t i = 0; i < n; i++)
		emit_spec(cg, p, &specs[i]);
}

/* How many BPF programs probe p becomes. */
static size_t probe_programs(struct sema_probe *p)
{
	struct prog_spec specs[4];
	size_t n;

	if (split_probe(p))
		return p->targets.n;
	n = plan_probe(p, specs);
	for (size_t i = 0; i < n; i++)
		ptrvec_free(&specs[i].targets);
	return n;
}

/* Report limit exceeded by total, at the probe whose share crosses it
 * (each share is counts[i]). */
static void over_limit(struct sema *s, const size_t *counts, size_t total,
		       unsigned limit, const char *verb, const char *what,
		       const char *setting, const char *env)
{
	size_t sum = 0, i = 0;

	while (i + 1 < s->probes.n && (sum += counts[i]) <= limit)
		i++;
	diag_error(s->diag, ((struct sema_probe *)s->probes.v[i])->node->loc,
		   "the program %s %zu %s; the limit is %u", verb, total,
		   what, limit);
	diag_plain_note(s->diag, "config = { %s = %zu } or %s=%zu raises "
			"the limit", setting, total, env, total);
}

int cg_check_limits(struct sema *s)
{
	size_t *progs = xcalloc(s->probes.n + 1, sizeof(*progs));
	size_t *points = xcalloc(s->probes.n + 1, sizeof(*points));
	size_t nprogs = 0, npoints = 0;

	for (size_t i = 0; i < s->probes.n; i++) {
		struct sema_probe *p = s->probes.v[i];

		progs[i] = probe_programs(p);
		points[i] = p->targets.n;
		nprogs += progs[i];
		npoints += points[i];
	}
	if (nprogs > s->max_bpf_progs)
		over_limit(s, progs, nprogs, s->max_bpf_progs, "makes",
			   "BPF programs",
			   "max_bpf_progs", "SCRY_MAX_BPF_PROGS");
	if (npoints > s->max_probes)
		over_limit(s, points, npoints, s->max_probes, "has",
			   "attach points", "max_probes", "SCRY_MAX_PROBES");
	free(progs);
	free(points);
	return s->diag->errors ? -E2BIG : 0;
}

void cg_emit_programs(struct cg *cg)
{
	for (size_t i = 0; i < cg->s->probes.n; i++)
		emit_probe(cg, cg->s->probes.v[i]);
}
