/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The LLVM module: one function per BPF program, BTF-defined maps (which
 * need debug info), LLVM's optimiser, and emission of the ELF object. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <llvm-c/Analysis.h>
#include <llvm-c/Disassembler.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>
#include <linux/bpf.h>
#include "codegen/internal.h"
#include "providers/provider.h"

LLVMValueRef cg_i64(struct cg *cg, uint64_t v)
{
	return LLVMConstInt(cg->i64, v, false);
}

LLVMValueRef cg_i32(struct cg *cg, uint32_t v)
{
	return LLVMConstInt(cg->i32, v, false);
}

/* BPF helpers are called through their id cast to a function pointer. */
LLVMValueRef cg_helper(struct cg *cg, int id, LLVMTypeRef ret,
		       LLVMValueRef *args, unsigned n)
{
	LLVMTypeRef at[8];
	LLVMTypeRef fty;

	for (unsigned i = 0; i < n; i++)
		at[i] = LLVMTypeOf(args[i]);
	fty = LLVMFunctionType(ret, at, n, false);
	cg->nhelpers++;
	return LLVMBuildCall2(cg->b, fty,
			      LLVMConstIntToPtr(cg_i64(cg, id), cg->ptr),
			      args, n, "");
}

LLVMBasicBlockRef cg_new_block(struct cg *cg, const char *name)
{
	return LLVMAppendBasicBlockInContext(cg->ctx, cg->fn, name);
}

/* The program's scratch space: one lookup of a per-CPU array, in the
 * prologue; the pointer is checked there once. */
static LLVMValueRef scratch_base(struct cg *cg)
{
	LLVMBasicBlockRef cur = LLVMGetInsertBlock(cg->b);
	LLVMValueRef key, args[2];
	bool tmp = cg->tmp_active;

	if (cg->scratch_ptr)
		return cg->scratch_ptr;
	if (!cg->scratch)
		cg->scratch = cg_map_global(cg, "scratch", true);
	cg->tmp_active = false;	/* used in the prologue, not a statement */
	key = cg_alloca(cg, 4, "scratch_key");
	cg->tmp_active = tmp;
	LLVMPositionBuilderAtEnd(cg->b, cg->entry);
	LLVMBuildStore(cg->b, cg_i32(cg, 0), key);
	args[0] = cg->scratch;
	args[1] = key;
	cg->scratch_ptr = cg_helper(cg, HELPER_map_lookup_elem, cg->ptr,
				    args, 2);
	/* a map value is 8-byte aligned; said so, LLVM copies strings in
	 * the scratch space 8 bytes at a time, not a byte at a time (BPF
	 * has no unaligned loads) */
	LLVMAddCallSiteAttribute(cg->scratch_ptr, LLVMAttributeReturnIndex,
				 LLVMCreateEnumAttribute(cg->ctx,
					LLVMGetEnumAttributeKindForName(
						"align", 5), 8));
	LLVMPositionBuilderAtEnd(cg->b, cur);
	return cg->scratch_ptr;
}

static void lifetime(struct cg *cg, const char *name, LLVMValueRef slot,
		     unsigned size)
{
	unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
	LLVMValueRef fn = LLVMGetIntrinsicDeclaration(cg->mod, id, &cg->ptr, 1);
	LLVMTypeRef fty = LLVMIntrinsicGetType(cg->ctx, id, &cg->ptr, 1);
	LLVMValueRef args[2] = { cg_i64(cg, size), slot };

	LLVMBuildCall2(cg->b, fty, fn, args, 2, "");
}

/* Small slots go in the entry block so LLVM sees a fixed-size frame;
 * strings and records go in scratch space, as the BPF stack has only
 * 512 bytes. */
LLVMValueRef cg_strbuf(struct cg *cg, unsigned size)
{
	LLVMValueRef base = scratch_base(cg);
	unsigned off = cg->scratch_off;

	cg->scratch_off += (size + 7) & ~7u;
	return cg_gep(cg, base, off);
}

LLVMValueRef cg_alloca(struct cg *cg, unsigned size, const char *name)
{
	if (size >= CG_SCRATCH_MIN) {
		LLVMValueRef base = scratch_base(cg);
		unsigned off = cg->scratch_off;

		cg->scratch_off += (size + 7) & ~7u;
		return cg_gep(cg, base, off);
	}
	return cg_stack_alloca(cg, size, name);
}

/* A temporary lives from here to the end of its statement. */
static void push_tmp(struct cg *cg, LLVMValueRef slot, unsigned size)
{
	lifetime(cg, "llvm.lifetime.start", slot, size);
	if (cg->ntmps == cg->cap_tmps) {
		cg->cap_tmps = cg->cap_tmps ? 2 * cg->cap_tmps : 16;
		cg->tmps = xrealloc(cg->tmps, cg->cap_tmps * sizeof(*cg->tmps));
	}
	cg->tmps[cg->ntmps].slot = slot;
	cg->tmps[cg->ntmps++].size = size;
}

/* A slot of this size that an earlier statement of the function no
 * longer needs, or NULL. */
static LLVMValueRef reuse_tmp(struct cg *cg, unsigned size)
{
	for (size_t i = cg->nfree_tmps; i-- > 0;) {
		LLVMValueRef slot = cg->free_tmps[i].slot;

		if (cg->free_tmps[i].size != size)
			continue;
		cg->free_tmps[i] = cg->free_tmps[--cg->nfree_tmps];
		push_tmp(cg, slot, size);
		return slot;
	}
	return NULL;
}

LLVMValueRef cg_stack_alloca(struct cg *cg, unsigned size, const char *name)
{
	LLVMBasicBlockRef cur = LLVMGetInsertBlock(cg->b);
	LLVMValueRef first, a;
	LLVMTypeRef t;

	if (cg->tmp_active && (a = reuse_tmp(cg, size)))
		return a;
	first = LLVMGetFirstInstruction(cg->entry);
	t = size == 8 ? cg->i64 : LLVMArrayType(cg->i8, size ? size : 1);
	if (first)
		LLVMPositionBuilderBefore(cg->b, first);
	else
		LLVMPositionBuilderAtEnd(cg->b, cg->entry);
	a = LLVMBuildAlloca(cg->b, t, name);
	LLVMSetAlignment(a, 8);
	LLVMPositionBuilderAtEnd(cg->b, cur);
	if (cg->tmp_active)
		push_tmp(cg, a, size);
	return a;
}

size_t cg_tmp_mark(struct cg *cg)
{
	cg->tmp_active = true;
	return cg->ntmps;
}

void cg_tmp_release(struct cg *cg, size_t mark)
{
	bool open = !LLVMGetBasicBlockTerminator(LLVMGetInsertBlock(cg->b));

	for (size_t i = mark; i < cg->ntmps; i++) {
		if (open)
			lifetime(cg, "llvm.lifetime.end", cg->tmps[i].slot,
				 cg->tmps[i].size);
		if (cg->nfree_tmps == cg->cap_free_tmps) {
			cg->cap_free_tmps = cg->cap_free_tmps
				? 2 * cg->cap_free_tmps : 16;
			cg->free_tmps = xrealloc(cg->free_tmps,
						 cg->cap_free_tmps *
						 sizeof(*cg->free_tmps));
		}
		cg->free_tmps[cg->nfree_tmps++] = cg->tmps[i];
	}
	cg->ntmps = mark;
	cg->tmp_active = mark > 0;
}

void cg_memset0(struct cg *cg, LLVMValueRef p, unsigned size)
{
	LLVMBuildMemSet(cg->b, p, LLVMConstInt(cg->i8, 0, false),
			cg_i64(cg, size), 1);
}

void cg_memcpy(struct cg *cg, LLVMValueRef dst, LLVMValueRef src,
	       unsigned size)
{
	LLVMBuildMemCpy(cg->b, dst, 1, src, 1, cg_i64(cg, size));
}

LLVMValueRef cg_gep(struct cg *cg, LLVMValueRef p, unsigned off)
{
	LLVMValueRef idx = cg_i64(cg, off);

	if (!off)
		return p;
	return LLVMBuildGEP2(cg->b, cg->i8, p, &idx, 1, "");
}

void cg_set_loc(struct cg *cg, struct loc loc)
{
	unsigned line, col;
	LLVMMetadataRef dl;

	if (!cg->di_sp)
		return;
	diag_linecol(cg->s->diag->src, loc.begin, &line, &col);
	dl = LLVMDIBuilderCreateDebugLocation(cg->ctx, line, col, cg->di_sp,
					      NULL);
	LLVMSetCurrentDebugLocation2(cg->b, dl);
}

static void init_debug_info(struct cg *cg)
{
	const struct source *src = cg->s->diag->src;
	LLVMMetadataRef md;

	cg->di = LLVMCreateDIBuilder(cg->mod);
	cg->di_file = LLVMDIBuilderCreateFile(cg->di, src->name,
					      strlen(src->name), ".", 1);
	cg->di_cu = LLVMDIBuilderCreateCompileUnit(
		cg->di, LLVMDWARFSourceLanguageC, cg->di_file, "scry", 4, 1,
		"", 0, 0, "", 0, LLVMDWARFEmissionFull, 0, 0, 0, "", 0, "", 0);
	cg->di_int = LLVMDIBuilderCreateBasicType(cg->di, "int", 3, 32, 0x05,
						  LLVMDIFlagZero);
	cg->di_ptr = LLVMDIBuilderCreatePointerType(cg->di, NULL, 64, 64, 0,
						    NULL, 0);
	md = LLVMValueAsMetadata(LLVMConstInt(cg->i32, 3, false));
	LLVMAddModuleFlag(cg->mod, LLVMModuleFlagBehaviorWarning,
			  "Debug Info Version", 18, md);
	md = LLVMValueAsMetadata(LLVMConstInt(cg->i32, 4, false));
	LLVMAddModuleFlag(cg->mod, LLVMModuleFlagBehaviorWarning,
			  "Dwarf Version", 13, md);
}

static void declare_license(struct cg *cg)
{
	LLVMValueRef lic = LLVMConstStringInContext(cg->ctx, "GPL", 3, false);
	LLVMValueRef g = LLVMAddGlobal(cg->mod, LLVMTypeOf(lic), "_license");

	LLVMSetInitializer(g, lic);
	LLVMSetSection(g, "license");
	LLVMSetLinkage(g, LLVMExternalLinkage);
}

/* Start function NAME returning ret (di_ret in the debug info) with np
 * pointer parameters, and the debug info the BTF emitter needs: a
 * subprogram whose parameters have names. */
static void start_function(struct cg *cg, const char *name, LLVMTypeRef ret,
			   LLVMMetadataRef di_ret, const char *const *pnames,
			   unsigned np, bool local, struct loc loc)
{
	LLVMTypeRef pt[4] = { cg->ptr, cg->ptr, cg->ptr, cg->ptr };
	LLVMMetadataRef params[5] = { di_ret, cg->di_ptr, cg->di_ptr,
				      cg->di_ptr, cg->di_ptr };
	LLVMTypeRef fty = LLVMFunctionType(ret, pt, np, false);
	LLVMMetadataRef sty, sp;
	unsigned line, col;

	diag_linecol(cg->s->diag->src, loc.begin, &line, &col);
	cg->fn = LLVMAddFunction(cg->mod, name, fty);
	/* no unwind tables: they would only add an .eh_frame section */
	LLVMAddAttributeAtIndex(cg->fn, LLVMAttributeFunctionIndex,
				LLVMCreateEnumAttribute(cg->ctx,
					LLVMGetEnumAttributeKindForName("nounwind", 8), 0));
	sty = LLVMDIBuilderCreateSubroutineType(cg->di, cg->di_file, params,
						np + 1, LLVMDIFlagZero);
	sp = LLVMDIBuilderCreateFunction(cg->di, cg->di_file, name,
					 strlen(name), name, strlen(name),
					 cg->di_file, line, sty, local, true,
					 line, LLVMDIFlagPrototyped, true);
	for (unsigned i = 0; i < np; i++) {
		LLVMSetValueName2(LLVMGetParam(cg->fn, i), pnames[i],
				  strlen(pnames[i]));
		LLVMDIBuilderCreateParameterVariable(cg->di, sp, pnames[i],
						     strlen(pnames[i]), i + 1,
						     cg->di_file, line,
						     cg->di_ptr, true,
						     LLVMDIFlagZero);
	}
	LLVMSetSubprogram(cg->fn, sp);
	cg->di_sp = sp;
	cg->entry = cg_new_block(cg, "entry");
	cg->init = cg_new_block(cg, "init");
	cg->body = cg_new_block(cg, "body");
	cg->scratch_ptr = NULL;
	LLVMPositionBuilderAtEnd(cg->b, cg->body);
	cg_set_loc(cg, loc);
}

/* Start a function int NAME(void *ctx) in SECTION. */
void cg_begin_function(struct cg *cg, const char *name, const char *section,
		       struct loc loc)
{
	static const char *const pnames[] = { "ctx" };

	start_function(cg, name, cg->i32, cg->di_int, pnames, 1, false, loc);
	LLVMSetSection(cg->fn, section);
	cg->ctxarg = LLVMGetParam(cg->fn, 0);
	cg->scratch_off = 0;
	cg->nhelpers = 0;
}

/* End the function: ok is returned at the end of its code, fail when
 * its scratch space is unavailable. */
static void finish_function(struct cg *cg, LLVMValueRef ok, LLVMValueRef fail)
{
	if (!LLVMGetBasicBlockTerminator(LLVMGetInsertBlock(cg->b)))
		LLVMBuildRet(cg->b, ok);
	/* the prologue: give up on this event if scratch is unavailable */
	LLVMPositionBuilderAtEnd(cg->b, cg->entry);
	if (cg->scratch_ptr) {
		LLVMBasicBlockRef none = cg_new_block(cg, "no_scratch");
		LLVMBuildCondBr(cg->b,
				LLVMBuildIsNull(cg->b, cg->scratch_ptr, ""),
				none, cg->init);
		LLVMPositionBuilderAtEnd(cg->b, none);
		LLVMBuildRet(cg->b, fail);
	} else {
		LLVMBuildBr(cg->b, cg->init);
	}
	/* variables are zeroed in init, after the scratch pointer's check
	 * (zeroing scratch before it would let LLVM drop the check) */
	LLVMPositionBuilderAtEnd(cg->b, cg->init);
	LLVMBuildBr(cg->b, cg->body);
	if (cg->scratch_off > cg->scratch_size)
		cg->scratch_size = cg->scratch_off;
	LLVMDIBuilderFinalizeSubprogram(cg->di, cg->di_sp);
	cg->di_sp = NULL;
	cg->fn = NULL;
	free(cg->free_tmps);	/* its slots belong to this function */
	cg->free_tmps = NULL;
	cg->nfree_tmps = cg->cap_free_tmps = 0;
}

int cg_end_function(struct cg *cg, struct loc loc)
{
	finish_function(cg, cg_i32(cg, 0), cg_i32(cg, 0));
	if (cg->nhelpers > CG_MAX_HELPERS) {
		diag_error(cg->s->diag, loc, "this probe makes %u BPF "
			   "helper calls; the limit is %u", cg->nhelpers,
			   CG_MAX_HELPERS);
		diag_plain_note(cg->s->diag, "map accesses, aggregations, "
				"printf() and builtins such as pid call "
				"helpers; LLVM would take seconds over more, "
				"so spread them over several probes");
		return -E2BIG;
	}
	if (cg->scratch_off > CG_SCRATCH_MAX) {
		diag_error(cg->s->diag, loc, "this probe needs %u bytes of "
			   "strings and records; the limit is %u",
			   cg->scratch_off, CG_SCRATCH_MAX);
		return -E2BIG;
	}
	return 0;
}

/* A callback of bpf_for_each_map_elem: static long NAME(void *map,
 * void *key, void *value, void *ctx) in .text, which libbpf appends to
 * each program that calls it. Its scratch space follows the caller's:
 * the caller's strings stay intact while it runs. */
void cg_callback_begin(struct cg *cg, const char *name, struct loc loc)
{
	static const char *const pnames[] = { "map", "key", "value", "ctx" };
	LLVMMetadataRef di_long = LLVMDIBuilderCreateBasicType(
		cg->di, "long", 4, 64, 0x05, LLVMDIFlagZero);

	start_function(cg, name, cg->i64, di_long, pnames, 4, true, loc);
	LLVMSetLinkage(cg->fn, LLVMInternalLinkage);
	LLVMSetSection(cg->fn, ".text");
	cg->ctxarg = NULL;
	cg->dispatch_probe = NULL;
	cg->in_callback = true;
	cg->cb_ret = NULL;
	cg->loop_base = cg->nloops;
	cg->tmp_active = false;
	cg->vars = NULL;
	cg->free_tmps = NULL;	/* the caller's are in its cg_fn_state */
	cg->nfree_tmps = cg->cap_free_tmps = 0;
}

/* Falling off the end goes on with the next entry (returns 0). */
void cg_callback_end(struct cg *cg)
{
	finish_function(cg, cg_i64(cg, 0), cg_i64(cg, 1));
}

void cg_fn_save(struct cg *cg, struct cg_fn_state *st)
{
	st->fn = cg->fn;
	st->ctxarg = cg->ctxarg;
	st->entry = cg->entry;
	st->init = cg->init;
	st->body = cg->body;
	st->scratch_ptr = cg->scratch_ptr;
	st->di_sp = cg->di_sp;
	st->vars = cg->vars;
	st->dispatch_probe = cg->dispatch_probe;
	st->in_callback = cg->in_callback;
	st->cb_ret = cg->cb_ret;
	st->loop_base = cg->loop_base;
	st->tmp_active = cg->tmp_active;
	st->ntmps = cg->ntmps;
	st->free_tmps = cg->free_tmps;
	st->nfree_tmps = cg->nfree_tmps;
	st->cap_free_tmps = cg->cap_free_tmps;
	st->block = LLVMGetInsertBlock(cg->b);
	st->dl = LLVMGetCurrentDebugLocation2(cg->b);
}

void cg_fn_restore(struct cg *cg, const struct cg_fn_state *st)
{
	cg->fn = st->fn;
	cg->ctxarg = st->ctxarg;
	cg->entry = st->entry;
	cg->init = st->init;
	cg->body = st->body;
	cg->scratch_ptr = st->scratch_ptr;
	cg->di_sp = st->di_sp;
	cg->vars = st->vars;
	cg->dispatch_probe = st->dispatch_probe;
	cg->in_callback = st->in_callback;
	cg->cb_ret = st->cb_ret;
	cg->loop_base = st->loop_base;
	cg->tmp_active = st->tmp_active;
	cg->ntmps = st->ntmps;
	cg->free_tmps = st->free_tmps;
	cg->nfree_tmps = st->nfree_tmps;
	cg->cap_free_tmps = st->cap_free_tmps;
	LLVMPositionBuilderAtEnd(cg->b, st->block);
	LLVMSetCurrentDebugLocation2(cg->b, st->dl);
}


static void fill_events(struct cg *cg)
{
	struct rt_plan *plan = cg->plan;
	struct sema *s = cg->s;
	size_t n = s->events.n + 1;

	plan->events = xcalloc(n, sizeof(*plan->events));
	for (size_t i = 0; i < s->events.n; i++) {
		struct sema_event *se = s->events.v[i];
		struct rt_event *ev = &plan->events[i];

		ev->kind = se->kind;
		ev->fmt = se->fmt;	/* moved: sema no longer frees it */
		memset(&se->fmt, 0, sizeof(se->fmt));
		if (se->text)
			ev->text = xstrdup(se->text);
	}
	plan->nevents = s->events.n;
	plan->time_formats = xcalloc(s->time_formats.n + 1,
				     sizeof(*plan->time_formats));
	for (size_t i = 0; i < s->time_formats.n; i++)
		plan->time_formats[i] = xstrdup(s->time_formats.v[i]);
	plan->ntime_formats = s->time_formats.n;
	cg->exit_event = plan->nevents;	/* reserved; used if exit() is */
	plan->events[plan->nevents].kind = RT_EV_EXIT;
	plan->events[plan->nevents].size = 16;
	plan->nevents++;
}

static int emit_object(struct cg *cg, const struct cg_options *opt)
{
	LLVMTargetRef target;
	LLVMTargetMachineRef tm;
	LLVMPassBuilderOptionsRef pbo;
	LLVMMemoryBufferRef buf;
	char *err = NULL;

	if (opt && opt->dump_ir_raw) {
		char *ir = LLVMPrintModuleToString(cg->mod);
		fputs(ir, opt->dump_ir_raw);
		LLVMDisposeMessage(ir);
	}
	if (LLVMVerifyModule(cg->mod, LLVMReturnStatusAction, &err)) {
		sys_error("internal: invalid LLVM module: %s", err);
		LLVMDisposeMessage(err);
		return -EINVAL;
	}
	LLVMDisposeMessage(err);
	err = NULL;
	if (LLVMGetTargetFromTriple("bpfel", &target, &err)) {
		sys_error("LLVM has no BPF target: %s", err);
		LLVMDisposeMessage(err);
		return -EINVAL;
	}
	tm = LLVMCreateTargetMachine(target, "bpfel", "v3", "",
				     LLVMCodeGenLevelAggressive,
				     LLVMRelocStatic, LLVMCodeModelDefault);
	pbo = LLVMCreatePassBuilderOptions();
	LLVMRunPasses(cg->mod, "default<O2>", tm, pbo);
	LLVMDisposePassBuilderOptions(pbo);
	if (opt && opt->dump_ir) {
		char *ir = LLVMPrintModuleToString(cg->mod);
		fputs(ir, opt->dump_ir);
		LLVMDisposeMessage(ir);
	}
	buf = NULL;
	if (LLVMTargetMachineEmitToMemoryBuffer(tm, cg->mod, LLVMObjectFile,
						&err, &buf) ||
	    cg->llvm_errors) {
		if (buf && cg->llvm_errors)
			LLVMDisposeMemoryBuffer(buf);
		if (err)
			sys_error("internal: BPF code generation failed: %s",
				  err);
		LLVMDisposeMessage(err);
		LLVMDisposeTargetMachine(tm);
		return -EINVAL;
	}
	cg->plan->obj_len = LLVMGetBufferSize(buf);
	cg->plan->obj = xmalloc(cg->plan->obj_len);
	memcpy(cg->plan->obj, LLVMGetBufferStart(buf), cg->plan->obj_len);
	LLVMDisposeMemoryBuffer(buf);
	LLVMDisposeTargetMachine(tm);
	return 0;
}

/* LLVM reports problems (such as an overgrown stack) through this; they
 * are scry's bugs, so say so plainly instead of printing LLVM's words
 * alone. */
static void llvm_diag(LLVMDiagnosticInfoRef di, void *ctx)
{
	int *errors = ctx;
	char *msg;

	if (LLVMGetDiagInfoSeverity(di) != LLVMDSError)
		return;
	msg = LLVMGetDiagInfoDescription(di);
	sys_error("internal: code generation failed: %s", msg);
	LLVMDisposeMessage(msg);
	(*errors)++;
}

static void init_llvm(void)
{
	static bool done;

	if (done)
		return;
	LLVMInitializeBPFTargetInfo();
	LLVMInitializeBPFTarget();
	LLVMInitializeBPFTargetMC();
	LLVMInitializeBPFAsmPrinter();
	LLVMInitializeBPFDisassembler();
	done = true;
}

int cg_compile(struct sema *s, struct rt_plan *plan,
	       const struct cg_options *opt)
{
	struct cg cg = { .s = s, .plan = plan, .exit_event = -1 };
	int err;

	init_llvm();
	cg.ctx = LLVMContextCreate();
	LLVMContextSetDiagnosticHandler(cg.ctx, llvm_diag, &cg.llvm_errors);
	cg.mod = LLVMModuleCreateWithNameInContext("scry", cg.ctx);
	LLVMSetTarget(cg.mod, "bpfel");
	LLVMSetDataLayout(cg.mod, "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128");
	cg.b = LLVMCreateBuilderInContext(cg.ctx);
	cg.i8 = LLVMInt8TypeInContext(cg.ctx);
	cg.i16 = LLVMInt16TypeInContext(cg.ctx);
	cg.i32 = LLVMInt32TypeInContext(cg.ctx);
	cg.i64 = LLVMInt64TypeInContext(cg.ctx);
	cg.ptr = LLVMPointerTypeInContext(cg.ctx, 0);
	cg.voidt = LLVMVoidTypeInContext(cg.ctx);
	init_debug_info(&cg);
	declare_license(&cg);

	plan->probe_names = xcalloc(s->probe_names.n + 1, sizeof(char *));
	for (size_t i = 0; i < s->probe_names.n; i++)
		plan->probe_names[i] = xstrdup(s->probe_names.v[i]);
	plan->nprobe_names = s->probe_names.n;
	fill_events(&cg);
	cg_maps_declare(&cg);
	cg_emit_programs(&cg);
	if (cg.scratch)
		cg_map_debuginfo(&cg, cg.scratch, BPF_MAP_TYPE_PERCPU_ARRAY, 4,
				 (cg.scratch_size + 7) & ~7u, 1);
	LLVMDIBuilderFinalize(cg.di);
	if (s->diag->errors) {
		err = -EINVAL;
		goto out;
	}
	err = emit_object(&cg, opt);
out:
	free(cg.maps);
	free(cg.tmps);
	free(cg.free_tmps);
	LLVMDisposeDIBuilder(cg.di);
	LLVMDisposeBuilder(cg.b);
	LLVMDisposeModule(cg.mod);
	LLVMContextDispose(cg.ctx);
	return err;
}
