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
#define SCRY_DEFAULT_STRLEN 256
#define SCRY_MAX_STRLEN 1024
/* bpftrace's default for max_bpf_progs; max_probes is higher than
 * bpftrace's 1024 so that a wildcard over every kernel tracepoint
 * (~2,300) works: most attach on raw tracepoint links, in 0.2 s */
#define SCRY_DEFAULT_BPF_PROGS 1024
#define SCRY_DEFAULT_PROBES 4096

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

/* How a variable came to be: messages point there */
enum sema_var_origin {
	SEMA_VAR_ASSIGNED,		/* $x = v, where no $x was in scope */
	SEMA_VAR_LET,			/* let $x ... */
	SEMA_VAR_LOOP,			/* for ($x : ...) */
};

struct sema_var {
	const char *name;
	struct type type;
	struct loc loc;			/* its declaration */
	struct loc scope;		/* the block (or for loop) it is
					   visible in */
	enum sema_var_origin origin;
	unsigned index;			/* in the probe's vars: its slot */
	unsigned for_depth;		/* for-map loops around it: codegen
					   makes their bodies functions */
	bool loop_entry;		/* $kv of for ($kv : @m) */
	bool untyped;			/* let $x; not assigned yet (first
					   walk only) */
};

/* An open scope, on the C stack of the statement that opens it */
struct sema_scope {
	size_t nvars;
	struct loc loc;
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
	unsigned max_bpf_progs;		/* programs the probes may become */
	unsigned max_probes;		/* attach points they may have */
	bool has_tracepoints;
	bool uses_elapsed;
	bool uses_cpid;			/* reads the config map's cpid slot */
	bool uses_exit;
	int pass;			/* 0: gather map types, 1: check */
	int depth;			/* expression nesting */
	int loops;			/* loops around the statement */
	bool array_ok;			/* an array field may be named here */
	unsigned unroll_copies;		/* product of the enclosing unrolls */
	struct ptrvec scope_vars;	/* struct sema_var *: the variables
					   in scope, outermost first */
	struct loc scope_loc;		/* the innermost block */
	unsigned for_depth;		/* for-map loops around it */
	struct ptrvec macros;		/* struct macro * (macro.c) */
	struct ast_node *defines;	/* macros from #define lines */
	struct ptrvec map_decls;	/* let @m = hash(N); nodes */
	int missing_probes;		/* config: 0 error, 1 warn, 2 ignore */
	unsigned macro_serial;
	unsigned long macro_nodes;	/* nodes copied by expansions */
	bool stdlib_loaded;
	char **params;			/* positional parameters $1 ... */
	int nparams;
	char **named;			/* --name[=value] after "--" */
	int nnamed;
	bool *named_used;
	int target_pid;			/* -p PID, or 0 */
	bool has_command;		/* -c CMD: cpid is its pid */
	bool unsafe;			/* --unsafe: signal(), system() */
};

int sema_run(struct sema *s, struct ast_node *program);
/* macro.c: the config block, imports and macro expansion */
int sema_preprocess(struct sema *s, struct ast_node *program);
void sema_fini(struct sema *s);
/* macro.c: the declaration of map name (let @m = hash(N)), or NULL;
 * and the checks of declarations against the maps' use */
struct ast_node *sema_map_decl(struct sema *s, const char *name);
void sema_check_map_decls(struct sema *s);
/* A number given on the command line ($1, --name=N): decimal, or 0x
 * hexadecimal. */
bool sema_cli_number(const char *arg, long long *v);
/* Whether --name was given (marking it used), its value in *val (NULL
 * for a bare --name). */
bool sema_named_param(struct sema *s, const char *name, const char **val);
/* Helpers for providers and builtins */
void sema_expr(struct sema *s, struct ast_node *n);
unsigned sema_probe_name(struct sema *s, const char *name);
/* A map named as a whole (print(@m), clear(@m)): it must be assigned
 * somewhere. Sets n->sym; returns NULL after reporting. */
struct sema_map *sema_map_whole(struct sema *s, struct ast_node *n);
/* scope.c: scratch variables and their block scopes */
void sema_scope_open(struct sema *s, struct sema_scope *sc, struct loc loc);
void sema_scope_close(struct sema *s, const struct sema_scope *sc);
struct sema_var *sema_var_find(struct sema *s, const char *name);
/* $x read (NULL after reporting), $x = value (value typed already) */
struct sema_var *sema_var_read(struct sema *s, struct ast_node *n);
void sema_var_store(struct sema *s, struct ast_node *target,
		    struct ast_node *value);
/* let $x, for ($x ...): a new variable of the innermost scope, or NULL
 * after reporting that one of that name is in scope */
struct sema_var *sema_var_declare(struct sema *s, const char *name,
				  struct loc loc, struct type t,
				  enum sema_var_origin origin);
/* "integers", "strings" ... */
const char *sema_plural(const struct type *t);
/* "'name' holds tuples (a, b), cannot assign (c)" or, with key k > 0, the
 * same of map key k */
void sema_tuple_mismatch(struct sema *s, struct loc l, const char *name,
			 unsigned k, const struct type *held,
			 const struct type *t);
/* An integer field's value type: its declared C type decides the width
 * and sign (syscall records say "int dfd ... size:8 signed:0"). */
struct type sema_field_type(const struct tpf_field *f);
/* @m[k] named in delete(): check its keys against the map's. */
void sema_map_key_check(struct sema *s, struct ast_node *n);
/* A new event sent by call n (pass 1 only; NULL otherwise). */
struct sema_event *sema_event_new(struct sema *s, enum rt_event_kind kind,
				  struct ast_node *n);

#endif
