/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Codegen internals shared by module.c, stmt.c, expr.c and maps.c.
 * Values: integers are i64, strings are pointers to char[type.size]
 * buffers on the BPF stack, probe ids are i64. */
#ifndef SCRY_CODEGEN_INTERNAL_H
#define SCRY_CODEGEN_INTERNAL_H
#include <llvm-c/Core.h>
#include <llvm-c/DebugInfo.h>
#include "codegen/codegen.h"
#include "sema.h"

/* BPF helper ids (include/uapi/linux/bpf.h) */
enum {
	HELPER_map_lookup_elem = 1,
	HELPER_map_update_elem = 2,
	HELPER_map_delete_elem = 3,
	HELPER_probe_read = 4,
	HELPER_ktime_get_ns = 5,
	HELPER_get_prandom_u32 = 7,
	HELPER_get_smp_processor_id = 8,
	HELPER_get_current_pid_tgid = 14,
	HELPER_get_current_uid_gid = 15,
	HELPER_get_current_comm = 16,
	HELPER_get_current_task = 35,
	HELPER_get_numa_node_id = 42,
	HELPER_probe_read_str = 45,
	HELPER_get_current_cgroup_id = 80,
	HELPER_send_signal = 109,
	HELPER_probe_read_kernel = 113,
	HELPER_probe_read_user = 112,
	HELPER_probe_read_user_str = 114,
	HELPER_probe_read_kernel_str = 115,
	HELPER_jiffies64 = 118,
	HELPER_ringbuf_output = 130,
	HELPER_ringbuf_reserve = 131,
	HELPER_ringbuf_submit = 132,
	HELPER_ringbuf_query = 134,
	HELPER_for_each_map_elem = 164,
	HELPER_get_attach_cookie = 174,
	HELPER_map_lookup_percpu_elem = 195,
};

/* ring buffer: pending bytes at which a record wakes the reader (a
 * quarter of it at most, for small buffers) */
#define CG_RB_WAKE_BYTES (64 * 1024)
/* buffers this large or larger live in the per-CPU scratch map, not on
 * the 512-byte BPF stack */
#define CG_SCRATCH_MIN 32
#define CG_SCRATCH_MAX (32 * 1024)
/* helper calls (map accesses, printf, pid ...) in one program, its
 * callbacks' included: LLVM spends 0.15 to 0.5 ms of CPU on each, and
 * more as the function grows (10,000 map stores took 5 s) */
#define CG_MAX_HELPERS 1024

struct cg_map {
	struct sema_map *sm;
	LLVMValueRef global;
	unsigned key_size, value_size;
	unsigned key_off[SCRY_MAX_KEYS];
	bool percpu, array;
	bool hist;			/* a bucket index ends the key */
};

struct cg {
	struct sema *s;
	struct rt_plan *plan;
	LLVMContextRef ctx;
	LLVMModuleRef mod;
	LLVMBuilderRef b;
	LLVMDIBuilderRef di;
	LLVMMetadataRef di_file, di_cu, di_int, di_ptr, di_sp;
	LLVMTypeRef i8, i16, i32, i64, ptr, voidt;
	struct cg_map *maps;		/* one per sema map */
	LLVMValueRef ringbuf, config;
	LLVMValueRef counters;		/* problem counters (runtime.h) */
	LLVMValueRef syscall_names;	/* rodata.c's table, once made */
	LLVMValueRef errno_texts;	/* strerror()'s, in rodata.c */
	LLVMValueRef scratch;		/* per-CPU scratch map, or NULL */
	unsigned scratch_size;		/* the largest any program uses */
	int exit_event;			/* event id of exit(), -1: none */
	int llvm_errors;
	/* the function being built */
	LLVMValueRef fn, ctxarg;
	LLVMBasicBlockRef entry, init, body;	/* allocas and prologue;
						   variables zeroed; code */
	LLVMValueRef scratch_ptr;	/* this program's scratch, or NULL */
	unsigned scratch_off;
	struct sema_probe *probe;
	struct sema_target *target;	/* NULL: shared by several targets */
	LLVMValueRef dispatch_probe;	/* syscall dispatch: the probe id */
	LLVMValueRef *vars;		/* per sema_var index */
	bool *var_zero;			/* per sema_var index: may be read
					   before it is set (stmt.c) */
	/* the innermost loop's continue and break targets */
	LLVMBasicBlockRef loop_next[32], loop_end[32];
	int nloops;
	/* in the callback of a for loop over a map (stmt.c): the flag that
	 * tells the caller to return too (NULL: its body has no return),
	 * and the loops around the callback, which break and continue in
	 * it do not reach */
	bool in_callback;
	LLVMValueRef cb_ret;
	int loop_base;
	unsigned ncallbacks;		/* for unique callback names */
	unsigned nhelpers;		/* helper calls of this program (its
					   callbacks' included) */
	LLVMValueRef len_cb;		/* len()'s callback, once made */
	/* stack temporaries of the statement being built: their lifetimes
	 * end with it, so LLVM can reuse the slots (512 bytes in all) */
	struct cg_tmp { LLVMValueRef slot; unsigned size; } *tmps;
	size_t ntmps, cap_tmps;
	bool tmp_active;
	/* the function's temporaries whose statements have ended, for the
	 * next statements to reuse: a fresh slot per map store made LLVM's
	 * stack colouring grow faster than the function (20,000 slots for
	 * 10,000 stores took seconds) */
	struct cg_tmp *free_tmps;
	size_t nfree_tmps, cap_free_tmps;
};

/* The state of the function being built, kept while a callback is. */
struct cg_fn_state {
	LLVMValueRef fn, ctxarg, scratch_ptr, dispatch_probe, cb_ret;
	LLVMValueRef *vars;
	LLVMBasicBlockRef entry, init, body, block;
	LLVMMetadataRef di_sp, dl;
	bool in_callback, tmp_active;
	int loop_base;
	size_t ntmps;
	struct cg_tmp *free_tmps;
	size_t nfree_tmps, cap_free_tmps;
};

/* module.c */
void cg_fn_save(struct cg *cg, struct cg_fn_state *st);
void cg_fn_restore(struct cg *cg, const struct cg_fn_state *st);
/* Start and end a bpf_for_each_map_elem callback (after cg_fn_save):
 * long NAME(void *map, void *key, void *value, void *ctx). */
void cg_callback_begin(struct cg *cg, const char *name, struct loc loc);
/* module.c: a new basic block at the end of the function being built */
LLVMBasicBlockRef cg_new_block(struct cg *cg, const char *name);
/* module.c: a program int NAME(void *ctx) in SECTION, and its end:
 * 0, or -E2BIG after reporting a probe too large (helper calls, scratch) */
void cg_begin_function(struct cg *cg, const char *name, const char *section,
		       struct loc loc);
int cg_end_function(struct cg *cg, struct loc loc);
/* probes.c: every probe's programs, into cg->plan */
void cg_emit_programs(struct cg *cg);
void cg_callback_end(struct cg *cg);
/* A stack slot even when large (a callback's context must be on the
 * stack); cg_alloca puts large slots in scratch space. */
LLVMValueRef cg_stack_alloca(struct cg *cg, unsigned size, const char *name);
LLVMValueRef cg_helper(struct cg *cg, int id, LLVMTypeRef ret,
		       LLVMValueRef *args, unsigned n);
LLVMValueRef cg_alloca(struct cg *cg, unsigned size, const char *name);
/* A string buffer: always scratch space (strings multiply in ternary
 * chains such as the stdlib's name tables) */
LLVMValueRef cg_strbuf(struct cg *cg, unsigned size);
LLVMValueRef cg_i64(struct cg *cg, uint64_t v);
LLVMValueRef cg_i32(struct cg *cg, uint32_t v);
void cg_memset0(struct cg *cg, LLVMValueRef p, unsigned size);
void cg_memcpy(struct cg *cg, LLVMValueRef dst, LLVMValueRef src,
	       unsigned size);
LLVMValueRef cg_gep(struct cg *cg, LLVMValueRef p, unsigned off);
void cg_set_loc(struct cg *cg, struct loc loc);
/* Statement boundaries for stack temporaries (see struct cg). */
size_t cg_tmp_mark(struct cg *cg);
void cg_tmp_release(struct cg *cg, size_t mark);

/* expr.c */
LLVMValueRef cg_expr(struct cg *cg, struct ast_node *n);
/* n where only the bytes up to a string's NUL are read (expr.c) */
LLVMValueRef cg_expr_text(struct cg *cg, struct ast_node *n);
/* n is comm (16 bytes, which its helper can write anywhere) */
bool cg_is_comm(struct ast_node *n);
/* The tracepoint field an args.NAME node reads in this program (its
 * target's, when the probe was split per target). */
const struct tpf_field *cg_target_field(struct cg *cg, struct ast_node *n);
/* Copy a string value of size from into a fresh buffer of size to. */
LLVMValueRef cg_str_resize(struct cg *cg, LLVMValueRef v, unsigned from,
			   unsigned to);
/* Store v, a value of type vt, at dst laid out as dt (a type sema
 * unified vt into): words as they are, strings cut or padded, tuples
 * element by element. Padding that matters (keys) must be zero. */
void cg_store_as(struct cg *cg, LLVMValueRef dst, const struct type *dt,
		 LLVMValueRef v, const struct type *vt);
/* v, of type vt, as a value of type dt: itself when they agree, else a
 * fresh buffer (strings and tuples) */
LLVMValueRef cg_convert(struct cg *cg, LLVMValueRef v, const struct type *vt,
			const struct type *dt);
LLVMValueRef cg_to_bool(struct cg *cg, LLVMValueRef v);
LLVMValueRef cg_div(struct cg *cg, LLVMValueRef l, LLVMValueRef r, bool sign,
		    bool rem);
LLVMValueRef cg_arith(struct cg *cg, enum ast_op op, LLVMValueRef l,
		      LLVMValueRef r, bool sign);

/* builtins.c */
/* The config map's slot (enum rt_config), 0 if the lookup fails */
LLVMValueRef cg_config_load(struct cg *cg, unsigned slot);
/* The index of the literal lit (ls bytes) in the string at ph of hs
 * bytes, or -1: an i64 */
LLVMValueRef cg_str_find(struct cg *cg, LLVMValueRef ph, unsigned hs,
			 const char *lit, unsigned ls);

/* stmt.c */
void cg_block(struct cg *cg, struct ast_node *b);
/* Which of probe p's variables to zero at the start of each run (per
 * sema_var index; malloc'd, the caller frees it). */
bool *cg_vars_to_zero(struct sema_probe *p);
/* return (and exit()): end the probe's run, from a callback too */
void cg_return(struct cg *cg);
void cg_var_store(struct cg *cg, struct ast_node *t, LLVMValueRef v,
		  const struct type *vt);
LLVMValueRef cg_var_slot(struct cg *cg, struct sema_var *v);

/* maps.c */
void cg_maps_declare(struct cg *cg);
/* How the runtime reads a value of type t at off (a tuple's elements are
 * malloc'd: rt_field_fini frees them). */
struct rt_field cg_rt_field(const struct type *t, unsigned off);
void cg_map_store(struct cg *cg, struct ast_node *target, LLVMValueRef v,
		  const struct type *vt);
void cg_map_aggregate(struct cg *cg, struct ast_node *target,
		      struct ast_node *call);
LLVMValueRef cg_map_read(struct cg *cg, struct ast_node *n);
/* An aggregation's value for key over every CPU (count, sum, min, max,
 * avg), as the printer merges them */
LLVMValueRef cg_map_percpu_value(struct cg *cg, struct cg_map *cm,
				 LLVMValueRef key);
/* Copy a tuple's elements into the key at key (build_key's layout). */
void cg_map_key_from_tuple(struct cg *cg, struct cg_map *cm,
			   LLVMValueRef key, LLVMValueRef tuple,
			   const struct type *t);
/* Bump problem counter slot (runtime.h: 0 lost events, 1 + i map i). */
void cg_count_problem(struct cg *cg, unsigned slot);
LLVMValueRef cg_map_delete(struct cg *cg, struct ast_node *n);
LLVMValueRef cg_map_has_key(struct cg *cg, struct ast_node *n);
LLVMValueRef cg_declare_map(struct cg *cg, const char *name, unsigned type,
			    unsigned key_size, unsigned value_size,
			    unsigned max_entries);
LLVMValueRef cg_map_global(struct cg *cg, const char *name, bool sizes);
void cg_map_debuginfo(struct cg *cg, LLVMValueRef g, unsigned type,
		      unsigned key_size, unsigned value_size,
		      unsigned max_entries);

#endif
