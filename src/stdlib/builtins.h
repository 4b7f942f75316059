/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The table of builtins: every builtin variable and function is one row
 * here, with its sema and codegen hooks. */
#ifndef SCRY_BUILTINS_H
#define SCRY_BUILTINS_H
#include <stdbool.h>
#include "types.h"

struct ast_node;
struct sema;
struct cg;

enum bi_kind {
	BI_VAR,		/* pid, comm: a value, written without () */
	BI_FUNC,	/* printf(), str() */
	BI_AGG,		/* count(), sum(): only as the value of a map */
};

enum bi_id {
	BI_PID, BI_TID, BI_UID, BI_GID, BI_COMM, BI_NSECS, BI_ELAPSED,
	BI_CPU, BI_PROBE, BI_PPID, BI_PCOMM, BI_LEADER_TID, BI_LEADER_COMM,
	BI_PRINTF, BI_STR, BI_EXIT, BI_PRINT, BI_CLEAR, BI_ZERO, BI_DELETE,
	BI_TIME, BI_STRNCMP, BI_STRCONTAINS, BI_HAS_KEY, BI_STRFTIME, BI_NTOP,
	BI_KSYM, BI_USYM, BI_KADDR, BI_SYSCALL_NAME, BI_TRUE, BI_FALSE, BI_GETOPT,
	BI_SYSTEM, BI_CAT, BI_SIGNAL, BI_JOIN, BI_LEN,
	BI_JIFFIES, BI_NUMAID, BI_RAND, BI_CGROUP, BI_CURTASK, BI_NCPUS,
	BI_CPID, BI_USERNAME, BI_STRLEN, BI_STRSTR, BI_BSWAP, BI_STRERROR,
	/* in the order of enum rt_agg from RT_AGG_COUNT on */
	BI_COUNT, BI_SUM, BI_MIN, BI_MAX, BI_AVG, BI_STATS, BI_HIST, BI_LHIST,
};

/* syscall_name()'s strings: the longest name is 23 bytes */
#define SYSCALL_NAME_LEN 32
/* strerror()'s strings, as bpftrace's string[64] */
#define STRERROR_LEN 64

struct builtin {
	const char *name;
	enum bi_id id;
	enum bi_kind kind;
	unsigned min_args, max_args;
	struct type ret;	/* TY_NONE: decided by the sema hook */
	/* Check arguments and set n->type; report through s->diag. */
	void (*check)(struct sema *s, struct ast_node *n,
		      const struct builtin *b);
	/* Emit the value (an LLVMValueRef, or NULL for void). */
	void *(*emit)(struct cg *cg, struct ast_node *n);
	const char *doc;	/* one line for --help and docs */
};

/* task.c: ppid, pcomm, leader_tid, leader_comm */
void bi_check_task(struct sema *s, struct ast_node *n,
		   const struct builtin *b);
/* strfn.c: the later string and integer functions' checks */
void bi_check_strlen(struct sema *s, struct ast_node *n,
		     const struct builtin *b);
void bi_check_strstr(struct sema *s, struct ast_node *n,
		     const struct builtin *b);
void bi_check_bswap(struct sema *s, struct ast_node *n,
		    const struct builtin *b);
void bi_check_strerror(struct sema *s, struct ast_node *n,
		       const struct builtin *b);
void bi_check_ncpus(struct sema *s, struct ast_node *n,
		    const struct builtin *b);
void bi_check_cpid(struct sema *s, struct ast_node *n,
		   const struct builtin *b);

const struct builtin *builtin_find(const char *name, enum bi_kind kind);
extern const struct builtin builtin_table[];
extern const unsigned builtin_count;

#endif
