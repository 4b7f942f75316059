/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Records sent to user space through the ring buffer, and the builtins
 * that send them: printf, print, clear/zero, time, join, exit. A record
 * is an event id and its words or fields (runtime.h). */
#include <string.h>
#include <stdlib.h>
#include "codegen/internal.h"
#include "stdlib/builtins.h"

/* The flags of a record's output or submission: wake the reader now
 * (force), or only once enough is pending: a wake-up per record costs
 * microseconds per event */
static LLVMValueRef ringbuf_flags(struct cg *cg, bool force)
{
	LLVMValueRef q[2] = { cg->ringbuf, cg_i64(cg, 0) }, avail, many;
	unsigned wake = cg->s->ringbuf_size / 4 < CG_RB_WAKE_BYTES
				? cg->s->ringbuf_size / 4 : CG_RB_WAKE_BYTES;

	if (force)
		return cg_i64(cg, 2);	/* BPF_RB_FORCE_WAKEUP */
	avail = cg_helper(cg, HELPER_ringbuf_query, cg->i64, q, 2);
	many = LLVMBuildICmp(cg->b, LLVMIntUGE, avail, cg_i64(cg, wake), "");
	return LLVMBuildSelect(cg->b, many, cg_i64(cg, 2), cg_i64(cg, 1),
			       "rbflags");
}

static void ringbuf_output(struct cg *cg, LLVMValueRef rec, unsigned size,
			   bool force)
{
	LLVMValueRef args[4], flags = ringbuf_flags(cg, force);

	args[0] = cg->ringbuf;
	args[1] = rec;
	args[2] = cg_i64(cg, size);
	args[3] = flags;
	LLVMValueRef r = cg_helper(cg, HELPER_ringbuf_output, cg->i64, args, 4);
	/* a full buffer refuses the record: count it as lost */
	LLVMBasicBlockRef lost = cg_new_block(cg, "rb.lost");
	LLVMBasicBlockRef done = cg_new_block(cg, "rb.done");
	LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntNE, r,
					     cg_i64(cg, 0), ""), lost, done);
	LLVMPositionBuilderAtEnd(cg->b, lost);
	cg_count_problem(cg, 0);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
}

/* comm: bpf_get_current_comm fills (and zero-pads) all 16 bytes, so
 * it can write straight into a key or a record */
bool cg_is_comm(struct ast_node *n)
{
	const struct builtin *b = n->kind == AST_IDENT || n->kind == AST_CALL
					  ? n->sym : NULL;

	return b && b->id == BI_COMM && n->type.size == 16;
}

/* An argument cheap to keep across the ring buffer's reserve: LLVM
 * sinks an argument's code to its one use, between reserve and submit,
 * where a string scan such as strlen()'s (hundreds of live compares)
 * overflowed the 512-byte stack */
static bool cheap_arg(struct ast_node *a)
{
	switch (a->kind) {
	case AST_INT:
	case AST_IDENT:		/* pid, comm, nsecs ... */
		return true;
	case AST_VAR:
	case AST_FIELD:
		return !type_is_buffer(a->type.kind);
	default:
		return false;
	}
}

/* Reserve size bytes in the ring buffer and branch: to the returned
 * record, or (none free) to count a lost event and go to done. */
static LLVMValueRef ringbuf_reserve(struct cg *cg, unsigned size,
				    LLVMBasicBlockRef done)
{
	LLVMValueRef args[3] = { cg->ringbuf, cg_i64(cg, size),
				 cg_i64(cg, 0) };
	LLVMBasicBlockRef have = cg_new_block(cg, "rb.have");
	LLVMBasicBlockRef lost = cg_new_block(cg, "rb.lost");
	LLVMValueRef rec = cg_helper(cg, HELPER_ringbuf_reserve, cg->ptr,
				     args, 3);

	/* records are 8-byte aligned: LLVM may copy 8 bytes at a time */
	LLVMAddCallSiteAttribute(rec, LLVMAttributeReturnIndex,
				 LLVMCreateEnumAttribute(cg->ctx,
					LLVMGetEnumAttributeKindForName(
						"align", 5), 8));
	LLVMBuildCondBr(cg->b, LLVMBuildIsNull(cg->b, rec, ""), lost, have);
	LLVMPositionBuilderAtEnd(cg->b, lost);
	cg_count_problem(cg, 0);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, have);
	return rec;
}

/* A printf record: the event id, then each argument at an 8-aligned
 * offset the event's fields describe for the runtime (a tuple is one
 * field, its elements inside it). One too large for the stack is built
 * in place in the ring buffer (reserve, fill, submit), as the limit
 * programs do: no scratch space, no copy by bpf_ringbuf_output. */
static void printf_record(struct cg *cg, struct ast_node *n,
			  struct ast_node *args)
{
	struct rt_event *ev = &cg->plan->events[n->aux];
	unsigned off = 8, i = 0, nf = 0;
	LLVMValueRef vals[40], sub[2];
	LLVMValueRef rec;
	LLVMBasicBlockRef done;
	bool inplace;

	/* evaluate first: arguments may branch and allocate their own
	 * buffers, and the code between reserve and submit must not; comm
	 * alone is read straight into the record, later */
	for (struct ast_node *a = args; a; a = a->next)
		vals[i++] = cg_is_comm(a) ? NULL : cg_expr_text(cg, a);
	for (i = 0; ev->args && i < ev->nargs; i++)
		rt_field_fini(&ev->args[i]);
	free(ev->args);
	nf = ast_count(args);
	ev->args = xcalloc(nf + 1, sizeof(*ev->args));
	ev->nargs = nf;
	nf = 0;
	for (struct ast_node *a = args; a; a = a->next) {
		unsigned size = type_is_buffer(a->type.kind) ? a->type.size : 8;
		struct rt_field *f = &ev->args[nf++];

		*f = cg_rt_field(&a->type, off);
		off += (size + 7) & ~7u;
	}
	ev->size = off;
	done = cg_new_block(cg, "printf.done");
	/* a small record is built on the stack and copied by one helper
	 * call; a large one would need scratch space and two copies */
	inplace = off >= CG_SCRATCH_MIN;
	for (struct ast_node *a = args; a; a = a->next)
		inplace &= cheap_arg(a);
	if (inplace)
		rec = ringbuf_reserve(cg, off, done);
	else
		rec = cg_alloca(cg, off, "printf");
	LLVMBuildStore(cg->b, cg_i64(cg, n->aux), rec);
	i = 0;
	off = 8;
	for (struct ast_node *a = args; a; a = a->next, i++) {
		if (!vals[i]) {	/* comm */
			LLVMValueRef ca[2] = { cg_gep(cg, rec, off),
					       cg_i32(cg, 16) };
			cg_helper(cg, HELPER_get_current_comm, cg->i64, ca, 2);
			off += 16;
		} else if (type_is_buffer(a->type.kind)) {
			cg_memcpy(cg, cg_gep(cg, rec, off), vals[i],
				  a->type.size);
			off += (a->type.size + 7) & ~7u;
		} else {
			LLVMBuildStore(cg->b, vals[i], cg_gep(cg, rec, off));
			off += 8;
		}
	}
	if (inplace) {
		sub[0] = rec;
		sub[1] = ringbuf_flags(cg, false);
		cg_helper(cg, HELPER_ringbuf_submit, cg->voidt, sub, 2);
	} else {
		ringbuf_output(cg, rec, off, false);
	}
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
}

void *cg_bi_printf(struct cg *cg, struct ast_node *n)
{
	printf_record(cg, n, n->list->next);
	return NULL;
}

/* A record of u64 words: the event id, then words[0..n). */
static void word_record(struct cg *cg, unsigned id, LLVMValueRef *words,
			unsigned n, bool wake)
{
	LLVMValueRef rec = cg_alloca(cg, 8 * (n + 1), "rec");

	cg->plan->events[id].size = 8 * (n + 1);
	LLVMBuildStore(cg->b, cg_i64(cg, id), rec);
	for (unsigned i = 0; i < n; i++)
		LLVMBuildStore(cg->b, words[i], cg_gep(cg, rec, 8 * (i + 1)));
	ringbuf_output(cg, rec, 8 * (n + 1), wake);
}

static unsigned map_index(struct ast_node *m)
{
	return ((struct sema_map *)m->sym)->index;
}

/* print(args): "{ .field = value, ... }" for this program's tracepoint.
 * Records differ between tracepoints, so each program gets an event of
 * its own, made here. */
static void print_args(struct cg *cg, struct ast_node *n)
{
	const struct tpf_format *f = cg->target ? cg->target->fmt : NULL;
	struct ast_node *fields = NULL, *last = NULL;
	struct rt_plan *plan = cg->plan;
	char *text = NULL, *shape = NULL, err[64];
	size_t len = 0, slen = 0, id;
	unsigned off;
	FILE *m, *j;

	if (!f)
		return;
	m = open_memstream(&text, &len);
	j = open_memstream(&shape, &slen);	/* the JSON object */
	fputs("{ ", m);
	fputc('{', j);
	for (size_t i = 0; i < f->nfields; i++) {
		const struct tpf_field *fl = &f->fields[i];
		struct ast_node *x;

		if (fl->common || (fl->kind != TPF_INT && fl->kind != TPF_PTR &&
				   fl->kind != TPF_CHAR_ARRAY &&
				   fl->kind != TPF_DATA_LOC_STR))
			continue;
		x = arena_alloc(cg->s->arena, sizeof(*x));
		x->kind = AST_FIELD;
		x->name = fl->name;
		x->sym = (void *)fl;
		if (fl->kind == TPF_INT)
			x->type = sema_field_type(fl);
		else if (fl->kind == TPF_PTR)
			x->type = type_int(8, false);
		else
			x->type = type_string(fl->kind == TPF_CHAR_ARRAY
						      ? fl->count : cg->s->strlen_default);
		fprintf(m, "%s.%s = %s", fields ? ", " : "", fl->name,
			fl->kind == TPF_PTR ? "0x%lx" : fl->kind == TPF_INT
			? (sema_field_type(fl).is_signed ? "%ld" : "%lu") : "%s");
		fprintf(j, "%s\"%s\": %%", fields ? ", " : "", fl->name);
		if (last)
			last->next = x;
		else
			fields = x;
		last = x;
	}
	fputs(" }\n", m);
	fclose(m);
	fputc('}', j);
	fclose(j);
	id = plan->nevents++;
	plan->events = xrealloc(plan->events, plan->nevents *
				sizeof(*plan->events));
	memset(&plan->events[id], 0, sizeof(plan->events[id]));
	plan->events[id].kind = RT_EV_VALUE;
	plan->events[id].text = shape;
	fmt_parse(text, strlen(text), &plan->events[id].fmt, err, sizeof(err),
		  &off);
	free(text);
	n->aux = id;
	printf_record(cg, n, fields);
}

/* print(@m[, top[, div]]) asks user space to print the map now;
 * print(value) is a printf of the value */
void *cg_bi_print(struct cg *cg, struct ast_node *n)
{
	struct ast_node *a = n->list;
	LLVMValueRef w[3];

	if (a->type.kind == TY_ARGS) {
		print_args(cg, n);
		return NULL;
	}
	if (cg->plan->events[n->aux].kind == RT_EV_VALUE) {
		printf_record(cg, n, a);
		return NULL;
	}
	w[0] = cg_i64(cg, map_index(a));
	w[1] = a->next ? cg_expr(cg, a->next) : cg_i64(cg, 0);
	w[2] = a->next && a->next->next ? cg_expr(cg, a->next->next)
				       : cg_i64(cg, 0);
	word_record(cg, n->aux, w, 3, false);
	return NULL;
}

/* clear(@m) and zero(@m) run in user space, as in bpftrace */
void *cg_bi_mapop(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef w = cg_i64(cg, map_index(n->list));

	word_record(cg, n->aux, &w, 1, false);
	return NULL;
}

/* join(argv): read up to RT_JOIN_MAX pointers and their strings (user
 * memory, as syscall arguments are) into one record */
void *cg_bi_join(struct cg *cg, struct ast_node *n)
{
	unsigned size = 16 + RT_JOIN_MAX * RT_JOIN_LEN;
	LLVMValueRef rec = cg_strbuf(cg, size), base, ptr = cg_alloca(cg, 8, "argp");
	LLVMBasicBlockRef done = cg_new_block(cg, "join.done");
	LLVMValueRef count = cg_gep(cg, rec, 8);

	base = cg_expr(cg, n->list);
	cg_memset0(cg, rec, 16);
	LLVMBuildStore(cg->b, cg_i64(cg, n->aux), rec);
	for (unsigned i = 0; i < RT_JOIN_MAX; i++) {
		LLVMValueRef args[3], p;
		LLVMBasicBlockRef more = cg_new_block(cg, "join.more");

		args[0] = ptr;
		args[1] = cg_i32(cg, 8);
		args[2] = LLVMBuildIntToPtr(cg->b, LLVMBuildAdd(cg->b, base,
				cg_i64(cg, 8 * i), ""), cg->ptr, "");
		cg_helper(cg, HELPER_probe_read_user, cg->i64, args, 3);
		p = LLVMBuildLoad2(cg->b, cg->i64, ptr, "");
		LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, p,
						     cg_i64(cg, 0), ""),
				done, more);
		LLVMPositionBuilderAtEnd(cg->b, more);
		args[0] = cg_gep(cg, rec, 16 + i * RT_JOIN_LEN);
		args[1] = cg_i32(cg, RT_JOIN_LEN);
		args[2] = LLVMBuildIntToPtr(cg->b, p, cg->ptr, "");
		cg_helper(cg, HELPER_probe_read_user_str, cg->i64, args, 3);
		LLVMBuildStore(cg->b, cg_i64(cg, i + 1), count);
	}
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
	cg->plan->events[n->aux].size = size;
	ringbuf_output(cg, rec, size, false);
	return NULL;
}

void *cg_bi_time(struct cg *cg, struct ast_node *n)
{
	word_record(cg, n->aux, NULL, 0, false);
	return NULL;
}

/* exit(): tell the reader at once, and end this probe's run */
void *cg_bi_exit(struct cg *cg, struct ast_node *n)
{
	LLVMValueRef code = n->list ? cg_expr(cg, n->list) : cg_i64(cg, 0);

	word_record(cg, cg->exit_event, &code, 1, true);
	cg_return(cg);
	return NULL;
}
