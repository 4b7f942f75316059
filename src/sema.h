/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The semantic pass: resolves probes through their providers, names
 * (builtins, @maps, $vars) and types, and lowers printf and aggregations
 * to events and map operations. Everything it makes lives in the arena. */
#ifndef SCRY_SEMA_H
#define SCRY_SEMA_H
#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "runtime/runtime.h"
#include "runtime/tpformat.h"

#define SCRY_MAX_KEYS 8
#define SCRY_DEFAULT_STRLEN 64
#define SCRY_MAX_STRLEN 1024

struct provider;

struct sema_target {
	const char *category, *event;	/* tracepoints */
	uint64_t period_ns;		/* interval */
	unsigned probe_id;		/* index into sema.probe_names */
	struct tpf_format *fmt;		/* loaded when args are used */
};

struct sema_probe {
	struct ast_node *node;
	const struct provider *prov;
	struct ptrvec targets;		/* struct sema_target * */
	struct ptrvec vars;		/* struct sema_var * */
	bool uses_args;
	bool uses_probe;
	unsigned index;
};

struct sema_var {
	const char *name;
	struct type type;
	struct loc loc;
	unsigned index;
	bool loop_entry;		/* $kv of for ($kv : @m): visible in
					   the loop's body only */
};

/* AST_FIELD aux: what the field reads (0: a tracepoint field) */
enum {
	SEMA_FIELD_PTR = 1,		/* a pointer: str() reads its target */
	SEMA_FIELD_ARRAY = 2,		/* an array: must be indexed */
	SEMA_FIELD_TUPLE = 3,		/* element ival of a tuple */
};

struct sema_map {
	const char *name;
	struct loc loc;			/* first use */
	struct loc assign_loc;		/* first assignment */
	enum rt_agg agg;
	bool typed, keyed_known;
	struct type value;		/* plain maps: the stored type;
					   aggregations: the argument type */
	unsigned nkeys;
	struct type keys[SCRY_MAX_KEYS];
	unsigned hist_bits;		/* hist(n, k) */
	int64_t lhist_min, lhist_max, lhist_step;
	unsigned index;
};

struct sema_event {
	enum rt_event_kind kind;
	struct ast_node *call;		/* the call that sends it */
	struct fmt fmt;			/* RT_EV_PRINTF */
	const char *text;		/* rt_event.text */
	unsigned index;
};

struct sema {
	struct arena *arena;
	struct diag *diag;
	struct ast_node *program;
	struct ptrvec probes;		/* struct sema_probe * */
	struct ptrvec maps;		/* struct sema_map * */
	struct ptrvec events;		/* struct sema_event * */
	struct ptrvec probe_names;	/* const char * */
	struct ptrvec time_formats;	/* const char *: strftime() formats,
					   by the index their values carry */
	struct sema_probe *cur;		/* probe being checked */
	unsigned strlen_default;	/* str()'s size, NUL included */
	unsigned map_keys;		/* capacity of keyed maps */
	unsigned ringbuf_size;		/* bytes, a power of 2 */
	bool has_tracepoints;
	bool uses_elapsed;
	bool uses_exit;
	int pass;			/* 0: gather map types, 1: check */
	int depth;			/* expression nesting */
	int loops;			/* loops around the statement */
	bool array_ok;			/* an array field may be named here */
	unsigned unroll_copies;		/* product of the enclosing unrolls */
	struct ptrvec loop_vars;	/* struct sema_var *: the entries of
					   the for-map loops around it */
	struct ptrvec macros;		/* struct macro * (macro.c) */
	unsigned macro_serial;
	unsigned long macro_nodes;	/* nodes copied by expansions */
	bool stdlib_loaded;
	char **params;			/* positional parameters $1 ... */
	int nparams;
	int target_pid;			/* -p PID, or 0 */
	bool unsafe;			/* --unsafe: signal(), system() */
};

int sema_run(struct sema *s, struct ast_node *program);
/* macro.c: the config block, imports and macro expansion */
int sema_preprocess(struct sema *s, struct ast_node *program);
void sema_fini(struct sema *s);
/* Helpers for providers and builtins */
void sema_expr(struct sema *s, struct ast_node *n);
unsigned sema_probe_name(struct sema *s, const char *name);
/* A map named as a whole (print(@m), clear(@m)): it must be assigned
 * somewhere. Sets n->sym; returns NULL after reporting. */
struct sema_map *sema_map_whole(struct sema *s, struct ast_node *n);
/* An integer field's value type: its declared C type decides the width
 * and sign (syscall records say "int dfd ... size:8 signed:0"). */
struct type sema_field_type(const struct tpf_field *f);
/* @m[k] named in delete(): check its keys against the map's. */
void sema_map_key_check(struct sema *s, struct ast_node *n);
/* print() of a tuple: its printf format, "(%ld, %s)\n" and so on, or
 * NULL when an element cannot be printed. */
const char *sema_tuple_format(struct sema *s, const struct type *t);
/* A new event sent by call n (pass 1 only; NULL otherwise). */
struct sema_event *sema_event_new(struct sema *s, enum rt_event_kind kind,
				  struct ast_node *n);

#endif
