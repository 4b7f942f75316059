/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Code generation: the checked AST to a BPF ELF object in memory, through
 * the LLVM C API, plus the description of it the runtime needs. */
#ifndef SCRY_CODEGEN_H
#define SCRY_CODEGEN_H
#include <stdio.h>
#include "diag.h"
#include "runtime/runtime.h"

struct sema;
struct cg;
struct ast_node;

struct cg_options {
	FILE *dump_ir;		/* -d ir: the optimised IR goes here */
	FILE *dump_ir_raw;	/* -d ir-raw: the IR before optimisation */
};

/* Fill plan (object, maps, events, programs, probe names). Returns 0 or
 * -errno after reporting. plan owns everything it points to. */
/* The limits sema cannot check, before any code is made: how many BPF
 * programs the probes become (max_bpf_progs) and how many attach points
 * they have (max_probes). Returns 0, or -E2BIG after reporting. */
int cg_check_limits(struct sema *s);
int cg_compile(struct sema *s, struct rt_plan *plan,
	       const struct cg_options *opt);

/* Print the BPF instructions of every program in the plan's object. */
int cg_disassemble(const struct rt_plan *plan, FILE *out);

/* builtin hooks (stdlib/builtins.c refers to these) */
void *cg_bi_pid(struct cg *cg, struct ast_node *n);
void *cg_bi_tid(struct cg *cg, struct ast_node *n);
void *cg_bi_uid(struct cg *cg, struct ast_node *n);
void *cg_bi_gid(struct cg *cg, struct ast_node *n);
void *cg_bi_comm(struct cg *cg, struct ast_node *n);
void *cg_bi_nsecs(struct cg *cg, struct ast_node *n);
void *cg_bi_elapsed(struct cg *cg, struct ast_node *n);
void *cg_bi_cpu(struct cg *cg, struct ast_node *n);
void *cg_bi_probe(struct cg *cg, struct ast_node *n);
void *cg_bi_printf(struct cg *cg, struct ast_node *n);
void *cg_bi_str(struct cg *cg, struct ast_node *n);
void *cg_bi_exit(struct cg *cg, struct ast_node *n);
void *cg_bi_print(struct cg *cg, struct ast_node *n);
void *cg_bi_mapop(struct cg *cg, struct ast_node *n);
void *cg_bi_delete(struct cg *cg, struct ast_node *n);
void *cg_bi_time(struct cg *cg, struct ast_node *n);
void *cg_bi_strncmp(struct cg *cg, struct ast_node *n);
void *cg_bi_strcontains(struct cg *cg, struct ast_node *n);
void *cg_bi_has_key(struct cg *cg, struct ast_node *n);
void *cg_bi_strftime(struct cg *cg, struct ast_node *n);
void *cg_bi_ntop(struct cg *cg, struct ast_node *n);
void *cg_bi_ksym(struct cg *cg, struct ast_node *n);
void *cg_bi_syscall_name(struct cg *cg, struct ast_node *n);
void *cg_bi_usym(struct cg *cg, struct ast_node *n);
void *cg_bi_kaddr(struct cg *cg, struct ast_node *n);
void *cg_bi_signal(struct cg *cg, struct ast_node *n);
void *cg_bi_join(struct cg *cg, struct ast_node *n);
void *cg_bi_len(struct cg *cg, struct ast_node *n);
/* task.c */
void *cg_bi_task(struct cg *cg, struct ast_node *n);
/* codegen/builtins.c */
void *cg_bi_jiffies(struct cg *cg, struct ast_node *n);
void *cg_bi_numaid(struct cg *cg, struct ast_node *n);
void *cg_bi_rand(struct cg *cg, struct ast_node *n);
void *cg_bi_cgroup(struct cg *cg, struct ast_node *n);
void *cg_bi_curtask(struct cg *cg, struct ast_node *n);
void *cg_bi_cpid(struct cg *cg, struct ast_node *n);
void *cg_bi_strlen(struct cg *cg, struct ast_node *n);
void *cg_bi_strstr(struct cg *cg, struct ast_node *n);
void *cg_bi_bswap(struct cg *cg, struct ast_node *n);
/* codegen/rodata.c */
void *cg_bi_strerror(struct cg *cg, struct ast_node *n);

#endif
