/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Checks of the later builtins (bpftrace's names and types): strlen,
 * strstr, bswap, strerror, and the variables ncpus and cpid. Their rows
 * are in builtins.c, their code in codegen/builtins.c. */
#include <bpf/libbpf.h>
#include "sema.h"
#include "stdlib/builtins.h"

/* Check argument a, which must be of kind want; report what was found. */
static bool arg_of(struct sema *s, struct ast_node *a, enum type_kind want,
		   const char *fn, const char *what)
{
	sema_expr(s, a);
	if (!a->type.kind || a->type.kind == want)
		return a->type.kind == want;
	diag_error(s->diag, a->loc, "%s() needs %s, found %s", fn, what,
		   type_words(&a->type));
	return false;
}

/* strlen(s): the bytes before the NUL, a uint64 as in bpftrace; of a
 * pointer, the string read there (at most the default string size) */
void bi_check_strlen(struct sema *s, struct ast_node *n,
		     const struct builtin *b)
{
	struct ast_node *a = n->list;

	n->type = type_int(8, false);
	sema_expr(s, a);
	if (a->type.kind && a->type.kind != TY_STR && a->type.kind != TY_INT)
		diag_error(s->diag, a->loc, "strlen() needs a string or a "
			   "pointer to one, found %s", type_words(&a->type));
}

/* strstr(h, "needle"): the index of the first occurrence, or -1 (an
 * int64). The needle is a literal, as strcontains()'s: the search is
 * unrolled over it. */
void bi_check_strstr(struct sema *s, struct ast_node *n,
		     const struct builtin *b)
{
	struct ast_node *h = n->list, *needle = h->next;

	n->type = type_int(8, true);
	arg_of(s, h, TY_STR, b->name, "a string to search");
	if (!arg_of(s, needle, TY_STR, b->name, "a string to look for"))
		return;
	if (needle->kind != AST_STRING)
		diag_error(s->diag, needle->loc, "strstr() looks for a string "
			   "literal; a computed needle is not supported yet");
}

/* bswap(n): the bytes of n reversed, unsigned, as wide as n is */
void bi_check_bswap(struct sema *s, struct ast_node *n,
		    const struct builtin *b)
{
	struct ast_node *a = n->list;

	n->type = type_int(8, false);
	if (arg_of(s, a, TY_INT, b->name, "an integer"))
		n->type = type_int(a->type.size, false);
}

/* strerror(errno): the kernel's text for an errno (or its negation, as
 * syscalls return it), from a table in the program */
void bi_check_strerror(struct sema *s, struct ast_node *n,
		       const struct builtin *b)
{
	n->type = type_string(STRERROR_LEN);
	arg_of(s, n->list, TY_INT, b->name, "an errno number");
}

/* ncpus: the number of possible CPUs, as bpftrace counts them; a
 * constant of this machine */
void bi_check_ncpus(struct sema *s, struct ast_node *n,
		    const struct builtin *b)
{
	int cpus = libbpf_num_possible_cpus();

	n->kind = AST_INT;
	n->ival = cpus > 0 ? cpus : 1;
	n->type = type_int(8, false);
}

/* cpid: the -c command's pid, which the runtime stores in the config
 * map once the command is started. Without -c it would always be 0:
 * refused, as bpftrace 0.17 does. */
void bi_check_cpid(struct sema *s, struct ast_node *n,
		   const struct builtin *b)
{
	n->type = b->ret;
	if (!s->has_command) {
		diag_error(s->diag, n->loc, "cpid is the pid of the command "
			   "given with -c, and there is none");
		return;
	}
	s->uses_cpid = true;
}
