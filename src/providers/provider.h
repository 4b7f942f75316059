/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Probe providers: each probe type is one const vtable in one file, and
 * the table in provider.c is the only list of them. */
#ifndef SCRY_PROVIDER_H
#define SCRY_PROVIDER_H
#include <stdbool.h>
#include <stdio.h>
#include "ast.h"
#include "runtime/runtime.h"

struct sema;
struct sema_probe;

struct provider {
	const char *name;		/* "tracepoint" */
	const char *const *aliases;	/* NULL-terminated: "t" */
	enum rt_prog_kind prog_kind;
	const char *section;		/* the ELF section libbpf knows */
	/* Resolve one attach point (spec: the text after "name:", or the
	 * whole text for providers matched without a prefix) into targets
	 * of p. Report errors through s->diag; return 0 or -EINVAL. */
	int (*resolve)(struct sema *s, struct sema_probe *p,
		       struct ast_node *attach, const char *spec);
	/* A provider-only builtin (such as args): set n->type and return
	 * true, or return false if name is not one of this provider's. */
	bool (*builtin)(struct sema *s, struct sema_probe *p,
			struct ast_node *n);
	/* Load what the probe's builtins need (args' format files). */
	int (*prepare)(struct sema *s, struct sema_probe *p);
	/* -l: list attach points matching a pattern (the text after the
	 * provider prefix). Returns the number listed or -errno. */
	int (*list)(const char *spec, bool verbose, FILE *out);
};

extern const struct provider provider_tracepoint;
extern const struct provider provider_begin;
extern const struct provider provider_end;
extern const struct provider provider_interval;

/* syscalls.c: the syscall number behind syscalls:sys_enter_X or
 * sys_exit_X (setting *is_exit), or -1 when not a syscall tracepoint or
 * its number is unknown. Numbers are below TP_SYSCALL_MAX. */
#define TP_SYSCALL_MAX 1024
long tp_syscall_nr(const char *category, const char *event, bool *is_exit);
/* The number of syscall name (as in __NR_name), or -1; and back, NULL
 * when no syscall has that number. */
long syscall_nr_by_name(const char *name);
const char *syscall_name_by_nr(long nr);

/* tracepoint.c: whether CAT:EVENT is a kernel tracepoint, which a raw
 * tracepoint can attach to (not a syscall, ftrace or dynamic event), and
 * whether raw tracepoint links carry a BPF cookie on this kernel. */
bool tp_is_kernel_tracepoint(const char *category, const char *event);
bool tp_raw_cookies(void);

/* The provider of an attach point, and in *spec the rest of its text;
 * NULL if the prefix names no provider. */
const struct provider *provider_find(const char *text, const char **spec);
/* A note naming the provider closest to name[0..n), or listing them. */
struct diag;
void provider_suggest(struct diag *d, const char *name, size_t n);
/* scry -l PATTERN */
int provider_list(const char *pattern, bool verbose, FILE *out);

#endif
