/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Maps: their BTF declarations in .maps, key layout, and the operations:
 * aggregations increment in place through the pointer a lookup returns
 * (per-CPU, so no atomics), plain assignments update. */
#include <string.h>
#include <linux/bpf.h>
#include <bpf/libbpf.h>
#include "codegen/internal.h"

static unsigned round8(unsigned n)
{
	return (n + 7) & ~7u;
}

/* A map variable as libbpf wants it: a struct of pointers to int arrays
 * whose length carries each number (type, max_entries, key/value size).
 * The global comes first; its debug info may follow once the sizes are
 * known (the scratch map's size is known only after codegen). */
LLVMValueRef cg_map_global(struct cg *cg, const char *name, bool sizes)
{
	LLVMTypeRef ptrs[4] = { cg->ptr, cg->ptr, cg->ptr, cg->ptr };
	LLVMTypeRef sty = LLVMStructTypeInContext(cg->ctx, ptrs,
						  sizes ? 4 : 2, false);
	LLVMValueRef g = LLVMAddGlobal(cg->mod, sty, name);

	LLVMSetInitializer(g, LLVMConstNull(sty));
	LLVMSetSection(g, ".maps");
	LLVMSetAlignment(g, 8);
	return g;
}

void cg_map_debuginfo(struct cg *cg, LLVMValueRef g, unsigned type,
		      unsigned key_size, unsigned value_size,
		      unsigned max_entries)
{
	static const char *const fields[] = { "type", "max_entries",
					      "key_size", "value_size" };
	unsigned vals[4] = { type, max_entries, key_size, value_size };
	unsigned n = key_size ? 4 : 2;
	size_t len;
	const char *name = LLVMGetValueName2(g, &len);
	LLVMMetadataRef members[4], st, gve, sub, arr, pt;

	for (unsigned i = 0; i < n; i++) {
		sub = LLVMDIBuilderGetOrCreateSubrange(cg->di, 0, vals[i]);
		arr = LLVMDIBuilderCreateArrayType(cg->di, 32ull * vals[i], 32,
						   cg->di_int, &sub, 1);
		pt = LLVMDIBuilderCreatePointerType(cg->di, arr, 64, 64, 0,
						    NULL, 0);
		members[i] = LLVMDIBuilderCreateMemberType(
			cg->di, cg->di_file, fields[i], strlen(fields[i]),
			cg->di_file, 0, 64, 64, 64 * i, LLVMDIFlagZero, pt);
	}
	st = LLVMDIBuilderCreateStructType(cg->di, cg->di_file, "", 0,
					   cg->di_file, 0, 64 * n, 64,
					   LLVMDIFlagZero, NULL, members, n, 0,
					   NULL, "", 0);
	gve = LLVMDIBuilderCreateGlobalVariableExpression(
		cg->di, cg->di_cu, name, len, name, len, cg->di_file, 0, st,
		false, LLVMDIBuilderCreateExpression(cg->di, NULL, 0), NULL,
		64);
	LLVMGlobalSetMetadata(g, LLVMGetMDKindIDInContext(cg->ctx, "dbg", 3),
			      gve);
}

LLVMValueRef cg_declare_map(struct cg *cg, const char *name, unsigned type,
			    unsigned key_size, unsigned value_size,
			    unsigned max_entries)
{
	LLVMValueRef g = cg_map_global(cg, name, key_size != 0);

	cg_map_debuginfo(cg, g, type, key_size, value_size, max_entries);
	return g;
}

static unsigned value_size(const struct sema_map *m)
{
	switch (m->agg) {
	case RT_AGG_COUNT:
	case RT_AGG_SUM:
		return 8;
	case RT_AGG_HIST:
	case RT_AGG_LHIST:
		return 8;
	case RT_AGG_MIN:
	case RT_AGG_MAX:
	case RT_AGG_AVG:
	case RT_AGG_STATS:
		return 16;
	case RT_AGG_NONE:
		break;
	}
	/* an empty tuple () still needs a value the map can hold */
	if (type_is_buffer(m->value.kind))
		return m->value.size ? round8(m->value.size) : 8;
	return 8;
}

struct rt_field cg_rt_field(const struct type *t, unsigned off)
{
	struct rt_field f = { RT_INT, t->is_signed, off, 8 };

	if (t->kind == TY_TUPLE && t->tuple) {
		f.kind = RT_TUPLE;
		f.size = t->size;
		f.nelems = t->tuple->n;
		f.elems = xcalloc(f.nelems + 1, sizeof(*f.elems));
		for (unsigned i = 0; i < f.nelems; i++)
			f.elems[i] = cg_rt_field(&t->tuple->elem[i],
						 t->tuple->off[i]);
	} else if (t->kind == TY_STR) {
		f.kind = RT_STR;
		f.size = t->size;
	} else if (t->kind == TY_INET) {
		f.kind = RT_INET;
		f.size = 24;
	} else if (t->kind == TY_PROBE) {
		f.kind = RT_PROBE;
	} else if (t->kind == TY_USYM) {
		f.kind = RT_USYM;
		f.size = 16;
	} else if (t->kind == TY_KSYM) {
		f.kind = RT_KSYM;
	} else if (t->kind == TY_USER) {
		f.kind = RT_USER;
	} else if (t->kind == TY_TIME) {
		f.kind = RT_TIME;
	}
	return f;
}

static void declare_one(struct cg *cg, struct cg_map *cm, struct rt_map *rm)
{
	struct sema_map *m = cm->sm;
	unsigned off = 0, type, max;
	const char *bpf_name;
	struct ast_node *decl;
	bool lru;

	for (unsigned i = 0; i < m->nkeys; i++) {
		cm->key_off[i] = off;
		off += type_is_buffer(m->keys[i].kind) ? round8(m->keys[i].size)
						   : 8;
	}
	cm->hist = m->agg == RT_AGG_HIST || m->agg == RT_AGG_LHIST;
	if (cm->hist)	/* the bucket index ends the key */
		off += 8;
	cm->array = m->nkeys == 0 && !cm->hist;
	cm->percpu = m->agg != RT_AGG_NONE;
	cm->key_size = cm->array ? 4 : off;
	cm->value_size = value_size(m);
	decl = cm->array ? NULL : sema_map_decl(cg->s, m->name);
	lru = decl && strstr(decl->b->name, "lru");
	if (cm->percpu)
		type = cm->array ? BPF_MAP_TYPE_PERCPU_ARRAY
		       : lru ? BPF_MAP_TYPE_LRU_PERCPU_HASH
			     : BPF_MAP_TYPE_PERCPU_HASH;
	else
		type = lru ? BPF_MAP_TYPE_LRU_HASH : BPF_MAP_TYPE_HASH;
	max = cm->array ? 1 : decl ? (unsigned)decl->a->ival : cg->s->map_keys;
	/* BPF object names are short: the printed name stays in the plan */
	bpf_name = arena_printf(cg->s->arena, "m%u_%.10s", m->index,
				m->name[1] ? m->name + 1 : "");
	cm->global = cg_declare_map(cg, bpf_name, type, cm->key_size,
				    cm->value_size, max);
	rm->name = xstrdup(m->name);
	rm->bpf_name = xstrdup(bpf_name);
	rm->agg = m->agg;
	rm->percpu = cm->percpu;
	rm->array = cm->array;
	rm->lru = lru;
	rm->declared = decl != NULL;
	rm->max_entries = max;
	rm->key_size = cm->key_size;
	rm->value_size = cm->value_size;
	rm->nkeys = m->nkeys;
	rm->keys = xcalloc(m->nkeys + 1, sizeof(*rm->keys));
	for (unsigned i = 0; i < m->nkeys; i++)
		rm->keys[i] = cg_rt_field(&m->keys[i], cm->key_off[i]);
	rm->value = cg_rt_field(&m->value, 0);
	if (m->agg != RT_AGG_NONE)
		rm->value.kind = RT_INT;
	rm->hist_bits = m->hist_bits;
	rm->lhist_min = m->lhist_min;
	rm->lhist_max = m->lhist_max;
	rm->lhist_step = m->lhist_step;
	rm->fd = -1;
}

/* u64 scry_counters[n] in .bss, with the debug info libbpf needs to
 * turn .bss into a map */
static LLVMValueRef problem_counters(struct cg *cg, unsigned n)
{
	LLVMTypeRef t = LLVMArrayType(cg->i64, n);
	LLVMValueRef g = LLVMAddGlobal(cg->mod, t, "scry_counters");
	LLVMMetadataRef u64, sub, arr, gve;

	LLVMSetInitializer(g, LLVMConstNull(t));
	LLVMSetSection(g, ".bss");
	LLVMSetAlignment(g, 8);
	u64 = LLVMDIBuilderCreateBasicType(cg->di, "unsigned long long", 18, 64,
					   0x07, LLVMDIFlagZero);
	sub = LLVMDIBuilderGetOrCreateSubrange(cg->di, 0, n);
	arr = LLVMDIBuilderCreateArrayType(cg->di, 64ull * n, 64, u64, &sub, 1);
	gve = LLVMDIBuilderCreateGlobalVariableExpression(
		cg->di, cg->di_cu, "scry_counters", 13, "scry_counters", 13,
		cg->di_file, 0, arr, false,
		LLVMDIBuilderCreateExpression(cg->di, NULL, 0), NULL, 64);
	LLVMGlobalSetMetadata(g, LLVMGetMDKindIDInContext(cg->ctx, "dbg", 3),
			      gve);
	return g;
}

void cg_maps_declare(struct cg *cg)
{
	struct sema *s = cg->s;
	struct rt_plan *plan = cg->plan;

	cg->maps = xcalloc(s->maps.n + 1, sizeof(*cg->maps));
	plan->maps = xcalloc(s->maps.n + 1, sizeof(*plan->maps));
	for (size_t i = 0; i < s->maps.n; i++) {
		cg->maps[i].sm = s->maps.v[i];
		declare_one(cg, &cg->maps[i], &plan->maps[i]);
	}
	plan->nmaps = s->maps.n;
	/* only programs that print or exit need a ring buffer */
	if (s->events.n || s->uses_exit) {
		cg->ringbuf = cg_declare_map(cg, "ringbuf",
					     BPF_MAP_TYPE_RINGBUF, 0, 0,
					     s->ringbuf_size);
		plan->ringbuf_name = xstrdup("ringbuf");
		plan->ringbuf_size = s->ringbuf_size;
	}
	/* lost events and dropped map updates are counted, never silent:
	 * in a global array, bumped atomically on the failure paths only
	 * (a direct address: no lookup, four instructions) */
	cg->counters = problem_counters(cg, 1 + s->maps.n);
	plan->counters_name = xstrdup(".bss");
	plan->map_keys = s->map_keys;
	if (s->uses_elapsed || s->uses_cpid) {
		cg->config = cg_declare_map(cg, "config", BPF_MAP_TYPE_ARRAY,
					    4, 8, RT_CONFIG_SLOTS);
		plan->config_name = xstrdup("config");
	}
}

/* @m[(1, "a")], @m[$kv.0]: each element of the tuple goes to its key
 * field (their layouts agree but for the sizes of strings). */
void cg_map_key_from_tuple(struct cg *cg, struct cg_map *cm,
			   LLVMValueRef key, LLVMValueRef tuple,
			   const struct type *t)
{
	struct sema_map *m = cm->sm;

	for (unsigned i = 0; t->tuple && i < t->tuple->n && i < m->nkeys;
	     i++) {
		const struct type *et = &t->tuple->elem[i];
		LLVMValueRef src = cg_gep(cg, tuple, t->tuple->off[i]);

		if (!type_is_buffer(et->kind))
			src = LLVMBuildLoad2(cg->b, cg->i64, src, "");
		cg_store_as(cg, cg_gep(cg, key, cm->key_off[i]), &m->keys[i],
			    src, et);
	}
}

/* Key field i is comm, read straight into it: no copy through the
 * stack. At 16 bytes the helper writes every byte of the field. */
static bool comm_key(const struct sema_map *m, unsigned i,
		     struct ast_node *k)
{
	return k && cg_is_comm(k) && m->keys[i].kind == TY_STR &&
	       m->keys[i].size >= 16;
}

/* Build the key of n (a MAP node) on the stack; returns its address. */
static LLVMValueRef build_key(struct cg *cg, struct cg_map *cm,
			      struct ast_node *n, LLVMValueRef bucket)
{
	struct sema_map *m = cm->sm;
	LLVMValueRef key = cg_alloca(cg, cm->key_size, "key");
	struct ast_node *k = n->list;
	bool has_str = false;

	if (cm->array) {
		LLVMBuildStore(cg->b, cg_i32(cg, 0), key);
		return key;
	}
	/* strings are zero-padded (keys compare every byte), but for a
	 * comm that fills its field */
	for (unsigned i = 0; i < m->nkeys; i++, k = k ? k->next : NULL)
		has_str |= type_is_buffer(m->keys[i].kind) &&
			   !(comm_key(m, i, k) && m->keys[i].size == 16);
	k = n->list;
	if (has_str)
		cg_memset0(cg, key, cm->key_size);
	/* @m[(1, "a")] is @m[1, "a"] (sema: check_map_keys) */
	if (k && !k->next && k->type.kind == TY_TUPLE) {
		cg_map_key_from_tuple(cg, cm, key, cg_expr(cg, k), &k->type);
		k = NULL;
	}
	for (unsigned i = 0; k; k = k->next, i++) {
		LLVMValueRef dst = cg_gep(cg, key, cm->key_off[i]);

		if (comm_key(m, i, k)) {
			LLVMValueRef args[2] = { dst, cg_i32(cg, 16) };
			cg_helper(cg, HELPER_get_current_comm, cg->i64, args,
				  2);
			continue;
		}
		cg_store_as(cg, dst, &m->keys[i], cg_expr(cg, k), &k->type);
	}
	if (bucket)
		LLVMBuildStore(cg->b, bucket,
			       cg_gep(cg, key, cm->key_size - 8));
	return key;
}

static LLVMValueRef lookup(struct cg *cg, struct cg_map *cm, LLVMValueRef key)
{
	LLVMValueRef args[2] = { cm->global, key };

	return cg_helper(cg, HELPER_map_lookup_elem, cg->ptr, args, 2);
}

static LLVMValueRef update(struct cg *cg, struct cg_map *cm,
			   LLVMValueRef key, LLVMValueRef val, uint64_t flags)
{
	LLVMValueRef args[4] = { cm->global, key, val, cg_i64(cg, flags) };

	return cg_helper(cg, HELPER_map_update_elem, cg->i64, args, 4);
}

static LLVMValueRef load64(struct cg *cg, LLVMValueRef p, unsigned off)
{
	return LLVMBuildLoad2(cg->b, cg->i64, cg_gep(cg, p, off), "");
}

static void store64(struct cg *cg, LLVMValueRef v, LLVMValueRef p,
		    unsigned off)
{
	LLVMBuildStore(cg->b, v, cg_gep(cg, p, off));
}

/* The comparison by which a value beats the kept one in min()/max() */
static LLVMIntPredicate beats(const struct sema_map *m)
{
	if (m->agg == RT_AGG_MIN)
		return m->value.is_signed ? LLVMIntSLT : LLVMIntULT;
	return m->value.is_signed ? LLVMIntSGT : LLVMIntUGT;
}

/* Update the value at p (a per-CPU slot) with v for the aggregation. */
static void aggregate_in_place(struct cg *cg, struct cg_map *cm,
			       LLVMValueRef p, LLVMValueRef v)
{
	struct sema_map *m = cm->sm;
	LLVMValueRef cur, better, set;
	LLVMBasicBlockRef upd, done;

	switch (m->agg) {
	case RT_AGG_COUNT:
	case RT_AGG_HIST:
	case RT_AGG_LHIST:
		v = cg_i64(cg, 1);
		/* fall through */
	case RT_AGG_SUM:
		store64(cg, LLVMBuildAdd(cg->b, load64(cg, p, 0), v, ""), p, 0);
		break;
	case RT_AGG_AVG:
	case RT_AGG_STATS:
		store64(cg, LLVMBuildAdd(cg->b, load64(cg, p, 0), v, ""), p, 0);
		store64(cg, LLVMBuildAdd(cg->b, load64(cg, p, 8),
					 cg_i64(cg, 1), ""), p, 8);
		break;
	case RT_AGG_MIN:
	case RT_AGG_MAX:
		cur = load64(cg, p, 0);
		set = LLVMBuildICmp(cg->b, LLVMIntEQ, load64(cg, p, 8),
				    cg_i64(cg, 0), "");
		better = LLVMBuildICmp(
			cg->b,
			beats(m),
			v, cur, "");
		upd = cg_new_block(cg, "minmax.set");
		done = cg_new_block(cg, "minmax.done");
		LLVMBuildCondBr(cg->b, LLVMBuildOr(cg->b, set, better, ""),
				upd, done);
		LLVMPositionBuilderAtEnd(cg->b, upd);
		store64(cg, v, p, 0);
		store64(cg, cg_i64(cg, 1), p, 8);
		LLVMBuildBr(cg->b, done);
		LLVMPositionBuilderAtEnd(cg->b, done);
		break;
	case RT_AGG_NONE:
		break;
	}
}

static LLVMValueRef sel(struct cg *cg, LLVMValueRef c, LLVMValueRef a,
			LLVMValueRef b)
{
	return LLVMBuildSelect(cg->b, c, a, b, "");
}

/* hist(n, k)'s bucket, branch-free (the layout is in runtime.h): 0 for
 * n < 0, n + 1 below 2^k, else ((l - k + 1) << k) + the k bits after
 * the leading 1 (at l) + 1. */
static LLVMValueRef log2_bucket(struct cg *cg, LLVMValueRef n, unsigned k)
{
	LLVMValueRef mask = cg_i64(cg, (1ull << k) - 1), x = n, l = cg_i64(cg, 0);
	LLVMValueRef r, frac, big;

	for (int i = 5; i >= 0; i--) {
		LLVMValueRef ge = LLVMBuildICmp(cg->b, LLVMIntUGE, x,
						cg_i64(cg, 1ull << (1u << i)), "");
		LLVMValueRef sh = sel(cg, ge, cg_i64(cg, 1u << i), cg_i64(cg, 0));
		x = LLVMBuildLShr(cg->b, x, sh, "");
		l = LLVMBuildAdd(cg->b, l, sh, "");
	}
	l = LLVMBuildSub(cg->b, l, cg_i64(cg, k), "");
	frac = LLVMBuildAnd(cg->b, LLVMBuildLShr(cg->b, n, l, ""), mask, "");
	big = LLVMBuildShl(cg->b, LLVMBuildAdd(cg->b, l, cg_i64(cg, 1), ""),
			   cg_i64(cg, k), "");
	big = LLVMBuildAdd(cg->b, LLVMBuildAdd(cg->b, big, frac, ""),
			   cg_i64(cg, 1), "");
	r = sel(cg, LLVMBuildICmp(cg->b, LLVMIntULE, n, mask, ""),
		LLVMBuildAdd(cg->b, n, cg_i64(cg, 1), ""), big);
	return sel(cg, LLVMBuildICmp(cg->b, LLVMIntSLT, n, cg_i64(cg, 0), ""),
		   cg_i64(cg, 0), r);
}

/* lhist(n, min, max, step)'s bucket: 0 below min, the last at max */
static LLVMValueRef linear_bucket(struct cg *cg, LLVMValueRef n,
				  const struct sema_map *m)
{
	int64_t lo = m->lhist_min, hi = m->lhist_max, step = m->lhist_step;
	LLVMValueRef in = LLVMBuildAdd(
		cg->b,
		LLVMBuildUDiv(cg->b, LLVMBuildSub(cg->b, n, cg_i64(cg, lo), ""),
			      cg_i64(cg, step), ""),
		cg_i64(cg, 1), "");
	LLVMValueRef r = sel(cg, LLVMBuildICmp(cg->b, LLVMIntSGE, n,
					       cg_i64(cg, hi), ""),
			     cg_i64(cg, 1 + (hi - lo) / step), in);

	return sel(cg, LLVMBuildICmp(cg->b, LLVMIntSLT, n, cg_i64(cg, lo), ""),
		   cg_i64(cg, 0), r);
}

/* @m[k] = count() and friends: look up; on first sight insert a zeroed
 * slot (another CPU may win the race: then look up again); then update
 * in place. */
void cg_map_aggregate(struct cg *cg, struct ast_node *target,
		      struct ast_node *call)
{
	struct sema_map *sm = target->sym;
	struct cg_map *cm = &cg->maps[sm->index];
	LLVMValueRef v = call->list ? cg_expr(cg, call->list) : NULL;
	LLVMValueRef bucket = NULL, key, p, p2, phi, zero;

	if (sm->agg == RT_AGG_HIST)
		bucket = log2_bucket(cg, v, sm->hist_bits);
	else if (sm->agg == RT_AGG_LHIST)
		bucket = linear_bucket(cg, v, sm);
	key = build_key(cg, cm, target, bucket);
	LLVMBasicBlockRef first = LLVMGetInsertBlock(cg->b), init, have, inc,
			  done;

	p = lookup(cg, cm, key);
	if (cm->array) {	/* an array's one slot always exists */
		inc = cg_new_block(cg, "agg.inc");
		done = cg_new_block(cg, "agg.done");
		LLVMBuildCondBr(cg->b, LLVMBuildIsNull(cg->b, p, ""), done,
				inc);
		LLVMPositionBuilderAtEnd(cg->b, inc);
		aggregate_in_place(cg, cm, p, v);
		LLVMBuildBr(cg->b, done);
		LLVMPositionBuilderAtEnd(cg->b, done);
		return;
	}
	first = LLVMGetInsertBlock(cg->b);
	init = cg_new_block(cg, "agg.init");
	have = cg_new_block(cg, "agg.have");
	inc = cg_new_block(cg, "agg.inc");
	done = cg_new_block(cg, "agg.done");
	LLVMBuildCondBr(cg->b, LLVMBuildIsNull(cg->b, p, ""), init, have);

	LLVMPositionBuilderAtEnd(cg->b, init);
	zero = cg_alloca(cg, cm->value_size, "zero");
	cg_memset0(cg, zero, cm->value_size);
	update(cg, cm, key, zero, BPF_NOEXIST);
	p2 = lookup(cg, cm, key);
	LLVMBuildBr(cg->b, have);

	LLVMPositionBuilderAtEnd(cg->b, have);
	phi = LLVMBuildPhi(cg->b, cg->ptr, "slot");
	LLVMAddIncoming(phi, &p, &first, 1);
	LLVMAddIncoming(phi, &p2, &init, 1);
	/* still no slot: the map is full; count the dropped update */
	LLVMBasicBlockRef full = cg_new_block(cg, "agg.full");
	LLVMBuildCondBr(cg->b, LLVMBuildIsNull(cg->b, phi, ""), full, inc);
	LLVMPositionBuilderAtEnd(cg->b, full);
	cg_count_problem(cg, 1 + sm->index);
	LLVMBuildBr(cg->b, done);

	LLVMPositionBuilderAtEnd(cg->b, inc);
	aggregate_in_place(cg, cm, phi, v);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
}

void cg_map_store(struct cg *cg, struct ast_node *target, LLVMValueRef v,
		  const struct type *vt)
{
	struct sema_map *sm = target->sym;
	struct cg_map *cm = &cg->maps[sm->index];
	LLVMValueRef key = build_key(cg, cm, target, NULL), val;

	if (type_is_buffer(sm->value.kind)) {
		if (vt->size == cm->value_size && type_equal(vt, &sm->value)) {
			val = v;
		} else {
			val = cg_alloca(cg, cm->value_size, "val");
			cg_memset0(cg, val, cm->value_size);
			cg_store_as(cg, val, &sm->value, v, vt);
		}
	} else {
		val = cg_alloca(cg, 8, "val");
		LLVMBuildStore(cg->b, v, val);
	}
	/* an update can only fail when a new key finds the map full */
	LLVMValueRef r = update(cg, cm, key, val, BPF_ANY);
	LLVMBasicBlockRef full = cg_new_block(cg, "store.full");
	LLVMBasicBlockRef done = cg_new_block(cg, "store.done");
	LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntNE, r,
					     cg_i64(cg, 0), ""), full, done);
	LLVMPositionBuilderAtEnd(cg->b, full);
	cg_count_problem(cg, 1 + sm->index);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
}

/* @m[k] in an expression: the value, or 0 / "" when absent. */
static LLVMValueRef map_read_plain(struct cg *cg, struct ast_node *n,
				   struct sema_map *sm, struct cg_map *cm);

/* One CPU's slot p folded into (a, b), the running { first, second }
 * words: count and sum add the first; avg adds both; min and max keep
 * the best value (a) of the CPUs that saw one (b: whether any did). */
static void percpu_fold(struct cg *cg, const struct sema_map *m,
			LLVMValueRef p, LLVMValueRef *a, LLVMValueRef *b)
{
	LLVMValueRef v = load64(cg, p, 0), set, better, take;

	switch (m->agg) {
	case RT_AGG_MIN:
	case RT_AGG_MAX:
		set = LLVMBuildICmp(cg->b, LLVMIntNE, load64(cg, p, 8),
				    cg_i64(cg, 0), "");
		better = LLVMBuildICmp(
			cg->b,
			beats(m),
			v, *a, "");
		better = LLVMBuildOr(cg->b, better,
				     LLVMBuildICmp(cg->b, LLVMIntEQ, *b,
						   cg_i64(cg, 0), ""), "");
		take = LLVMBuildAnd(cg->b, set, better, "");
		*a = sel(cg, take, v, *a);
		*b = sel(cg, take, cg_i64(cg, 1), *b);
		break;
	case RT_AGG_AVG:
		*a = LLVMBuildAdd(cg->b, *a, v, "");
		*b = LLVMBuildAdd(cg->b, *b, load64(cg, p, 8), "");
		break;
	default:
		*a = LLVMBuildAdd(cg->b, *a, v, "");
		break;
	}
}

/* An aggregation read in a probe: every CPU's slot, through
 * bpf_map_lookup_percpu_elem (a bounded loop over the possible CPUs),
 * merged as the printer merges them */
LLVMValueRef cg_map_percpu_value(struct cg *cg, struct cg_map *cm,
				 LLVMValueRef key)
{
	LLVMBasicBlockRef pre = LLVMGetInsertBlock(cg->b);
	LLVMBasicBlockRef head = cg_new_block(cg, "pcpu.head");
	LLVMBasicBlockRef have = cg_new_block(cg, "pcpu.have");
	LLVMBasicBlockRef next = cg_new_block(cg, "pcpu.next");
	LLVMBasicBlockRef done = cg_new_block(cg, "pcpu.done");
	LLVMValueRef cpu, a, b, p, a1, b1, a2, b2, cpu2, args[3];
	LLVMValueRef zero = cg_i64(cg, 0);
	int ncpus = libbpf_num_possible_cpus();
	const struct sema_map *m = cm->sm;

	LLVMBuildBr(cg->b, head);
	LLVMPositionBuilderAtEnd(cg->b, head);
	cpu = LLVMBuildPhi(cg->b, cg->i64, "cpu");
	a = LLVMBuildPhi(cg->b, cg->i64, "acc");
	b = LLVMBuildPhi(cg->b, cg->i64, "acc2");
	args[0] = cm->global;
	args[1] = key;
	args[2] = LLVMBuildTrunc(cg->b, cpu, cg->i32, "");
	p = cg_helper(cg, HELPER_map_lookup_percpu_elem, cg->ptr, args, 3);
	LLVMBuildCondBr(cg->b, LLVMBuildIsNull(cg->b, p, ""), next, have);
	LLVMPositionBuilderAtEnd(cg->b, have);
	a1 = a;
	b1 = b;
	percpu_fold(cg, m, p, &a1, &b1);
	have = LLVMGetInsertBlock(cg->b);
	LLVMBuildBr(cg->b, next);
	LLVMPositionBuilderAtEnd(cg->b, next);
	a2 = LLVMBuildPhi(cg->b, cg->i64, "part");
	LLVMAddIncoming(a2, &a, &head, 1);
	LLVMAddIncoming(a2, &a1, &have, 1);
	b2 = LLVMBuildPhi(cg->b, cg->i64, "part2");
	LLVMAddIncoming(b2, &b, &head, 1);
	LLVMAddIncoming(b2, &b1, &have, 1);
	cpu2 = LLVMBuildAdd(cg->b, cpu, cg_i64(cg, 1), "");
	LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntULT, cpu2,
					     cg_i64(cg, ncpus > 0 ? ncpus : 1),
					     ""), head, done);
	LLVMAddIncoming(cpu, &zero, &pre, 1);
	LLVMAddIncoming(cpu, &cpu2, &next, 1);
	LLVMAddIncoming(a, &zero, &pre, 1);
	LLVMAddIncoming(a, &a2, &next, 1);
	LLVMAddIncoming(b, &zero, &pre, 1);
	LLVMAddIncoming(b, &b2, &next, 1);
	LLVMPositionBuilderAtEnd(cg->b, done);
	if (m->agg == RT_AGG_AVG)	/* 0 / 0 is 0 in BPF */
		return cg_div(cg, a2, b2, m->value.is_signed, false);
	return a2;
}

/* has_key(@m, k): 1 when the map holds the key */
LLVMValueRef cg_map_has_key(struct cg *cg, struct ast_node *n)
{
	struct sema_map *sm = n->sym;
	struct cg_map *cm = &cg->maps[sm->index];
	LLVMValueRef p = lookup(cg, cm, build_key(cg, cm, n, NULL));

	return LLVMBuildZExt(cg->b, LLVMBuildIsNotNull(cg->b, p, ""), cg->i64,
			     "has_key");
}

LLVMValueRef cg_map_read(struct cg *cg, struct ast_node *n)
{
	struct sema_map *sm = n->sym;
	struct cg_map *cm = &cg->maps[sm->index];

	/* sema lets only the aggregations with one value be read */
	if (sm->agg != RT_AGG_NONE)
		return cg_map_percpu_value(cg, cm, build_key(cg, cm, n, NULL));
	return map_read_plain(cg, n, sm, cm);
}

static LLVMValueRef map_read_plain(struct cg *cg, struct ast_node *n,
				   struct sema_map *sm, struct cg_map *cm)
{
	LLVMValueRef key = build_key(cg, cm, n, NULL), p, res = NULL, phi;
	LLVMBasicBlockRef from = LLVMGetInsertBlock(cg->b), have, done;

	p = lookup(cg, cm, key);
	from = LLVMGetInsertBlock(cg->b);
	have = cg_new_block(cg, "read.have");
	done = cg_new_block(cg, "read.done");
	if (type_is_buffer(sm->value.kind)) {
		res = cg_alloca(cg, cm->value_size, "mapstr");
		cg_memset0(cg, res, cm->value_size);
	}
	LLVMBuildCondBr(cg->b, LLVMBuildIsNull(cg->b, p, ""), done, have);
	LLVMPositionBuilderAtEnd(cg->b, have);
	if (res) {
		cg_memcpy(cg, res, p, sm->value.size);
		LLVMBuildBr(cg->b, done);
		LLVMPositionBuilderAtEnd(cg->b, done);
		return res;
	}
	LLVMValueRef v = load64(cg, p, 0);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
	phi = LLVMBuildPhi(cg->b, cg->i64, "mapval");
	LLVMValueRef zero = cg_i64(cg, 0);
	LLVMAddIncoming(phi, &zero, &from, 1);
	LLVMAddIncoming(phi, &v, &have, 1);
	return phi;
}

/* delete(@m[k]) */
LLVMValueRef cg_map_delete(struct cg *cg, struct ast_node *n)
{
	struct sema_map *sm = n->sym;
	struct cg_map *cm = &cg->maps[sm->index];
	LLVMValueRef args[2] = { cm->global, build_key(cg, cm, n, NULL) };

	return cg_helper(cg, HELPER_map_delete_elem, cg->i64, args, 2);
}

void cg_count_problem(struct cg *cg, unsigned slot)
{
	LLVMValueRef p = cg_gep(cg, cg->counters, 8 * slot);

	LLVMBuildAtomicRMW(cg->b, LLVMAtomicRMWBinOpAdd, p, cg_i64(cg, 1),
			   LLVMAtomicOrderingMonotonic, false);
}
