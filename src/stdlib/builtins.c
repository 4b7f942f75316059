/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The table of builtins: one row each, with the sema check and the
 * codegen hook. Adding a builtin is adding a row and its hooks. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "codegen/codegen.h"
#include "lexer.h"
#include "runtime/runtime.h"
#include "sema.h"
#include "stdlib/builtins.h"

static bool const_arg(struct sema *s, struct ast_node *a, const char *fn,
		      const char *what, int64_t lo, int64_t hi);

/* The source location of decoded bytes [from, to) of a string literal. */
static struct loc literal_span(struct sema *s, struct ast_node *lit,
			       unsigned from, unsigned to)
{
	const char *raw = s->diag->src->text + lit->loc.begin + 1;
	unsigned rl = lit->loc.end - lit->loc.begin - 2;
	struct loc l = { lit->loc.begin + 1 + lex_raw_offset(raw, rl, from),
			 lit->loc.begin + 1 + lex_raw_offset(raw, rl, to) };

	if (l.begin >= lit->loc.end || l.end <= l.begin)
		return lit->loc;
	return l;
}

static void check_printf(struct sema *s, struct ast_node *n,
			 const struct builtin *b)
{
	if (b->id == BI_SYSTEM && !s->unsafe) {
		diag_error(s->diag, n->loc, "system() runs commands: it needs "
			   "--unsafe");
		return;
	}
	struct ast_node *f = n->list, *a;
	struct fmt fmt;
	char err[128];
	unsigned off, i = 0;

	for (a = f ? f->next : NULL; a; a = a->next)
		sema_expr(s, a);
	n->type = type_simple(TY_VOID);
	if (f->kind != AST_STRING) {
		diag_error(s->diag, f->loc, "the format of %s() must be a "
			   "string literal", b->name);
		return;
	}
	if (fmt_parse(f->str, f->slen, &fmt, err, sizeof(err), &off)) {
		/* underline from the conversion's '%' to the offending byte */
		unsigned start = off;
		while (start > 0 && f->str[start] != '%')
			start--;
		diag_error(s->diag, literal_span(s, f, start, off + 1), "%s",
			   err);
		return;
	}
	if (ast_count(f->next) != fmt.nargs) {
		unsigned given = ast_count(f->next);
		struct loc l = f->loc;
		a = f->next;
		for (unsigned k = 0; a && k < fmt.nargs; k++)
			a = a->next;
		if (a)	/* too many: point at the first extra argument */
			l = a->loc;
		diag_error(s->diag, l, "the format has %zu conversion%s "
			   "but %u argument%s %s given", fmt.nargs,
			   fmt.nargs == 1 ? "" : "s", given,
			   given == 1 ? "" : "s", given == 1 ? "is" : "are");
		fmt_free(&fmt);
		return;
	}
	a = f->next;
	for (size_t k = 0; k < fmt.nspecs; k++) {
		struct fmt_spec *sp = &fmt.specs[k];
		enum type_kind tk;
		bool want_str;

		if (sp->conv == FMT_LITERAL)
			continue;
		tk = a->type.kind;
		want_str = sp->conv == FMT_STR;
		/* %s takes a tuple too: "(1, abc)", as in bpftrace */
		if (tk != TY_NONE && tk != (want_str ? TY_TUPLE : TY_INT) &&
		    (!want_str || !type_is_text(tk))) {
			diag_error(s->diag, a->loc, "'%.*s' expects %s, got "
				   "%s", (int)(sp->end - sp->begin),
				   f->str + sp->begin,
				   want_str ? "a string" : "an integer",
				   type_words(&a->type));
		}
		a = a->next;
		i++;
	}
	if (s->pass != 1 || s->diag->errors) {
		fmt_free(&fmt);
		return;
	}
	sema_event_new(s, b->id == BI_SYSTEM ? RT_EV_SYSTEM
			  : b->id == BI_CAT ? RT_EV_CAT : RT_EV_PRINTF, n)->fmt = fmt;
}

static void check_str(struct sema *s, struct ast_node *n,
		      const struct builtin *b)
{
	struct ast_node *p = n->list, *len = p->next;
	unsigned size = s->strlen_default;

	sema_expr(s, p);
	if (p->kind == AST_INT && p->str) {	/* str($1) of a number: its text */
		p->kind = AST_STRING;
		p->type = type_string(p->slen + 1);
	}
	if (len) {
		sema_expr(s, len);
		/* -1 is a constant too, out of range */
		if (len->kind == AST_UNARY && len->op == OP_NEG &&
		    len->a->kind == AST_INT) {
			diag_error(s->diag, len->loc, "str() length must be "
				   "from 1 to %d, found -%llu", SCRY_MAX_STRLEN,
				   (unsigned long long)len->a->ival);
			return;
		}
		if (len->kind != AST_INT) {
			diag_error(s->diag, len->loc, "the length given to "
				   "str() must be a constant integer");
			return;
		}
		if (len->ival < 1 || len->ival > SCRY_MAX_STRLEN) {
			diag_error(s->diag, len->loc, "str() length must be "
				   "from 1 to %d, found %llu", SCRY_MAX_STRLEN,
				   (unsigned long long)len->ival);
			return;
		}
		/* as in bpftrace, the length counts the terminating NUL */
		size = len->ival;
	}
	if (p->type.kind == TY_STR) {
		n->type = type_string(len && size < p->type.size ? size
							      : p->type.size);
		return;
	}
	if (p->type.kind != TY_INT) {
		if (p->type.kind)
			diag_error(s->diag, p->loc, "str() needs a pointer or "
				   "a string, found %s", type_words(&p->type));
		return;
	}
	n->type = type_string(size);
}

static void check_exit(struct sema *s, struct ast_node *n,
		       const struct builtin *b)
{
	n->type = type_simple(TY_VOID);
	s->uses_exit = true;
	if (n->list) {
		sema_expr(s, n->list);
		if (n->list->type.kind && n->list->type.kind != TY_INT)
			diag_error(s->diag, n->list->loc, "exit() takes an "
				   "integer exit status, found %s",
				   type_words(&n->list->type));
	}
}

/* An integer argument (print's top and div). */
static void int_arg(struct sema *s, struct ast_node *a, const char *fn)
{
	sema_expr(s, a);
	if (a->type.kind && a->type.kind != TY_INT)
		diag_error(s->diag, a->loc, "%s() needs an integer here, "
			   "found %s", fn, type_words(&a->type));
}

/* print(@m[, top[, div]]) prints a map from user space; print(value)
 * prints one value and a newline (in JSON, a "value" record). */
static void check_print(struct sema *s, struct ast_node *n,
			const struct builtin *b)
{
	struct ast_node *a = n->list;
	struct sema_event *ev;
	const char *f;
	char err[64];
	unsigned off;

	n->type = type_simple(TY_VOID);
	if (a->kind == AST_MAP && !a->list) {
		for (struct ast_node *x = a->next; x; x = x->next)
			int_arg(s, x, b->name);
		if (sema_map_whole(s, a))
			sema_event_new(s, RT_EV_PRINT_MAP, n);
		return;
	}
	if (a->next) {
		diag_error(s->diag, a->next->loc, "print() of a value takes "
			   "no other arguments");
		return;
	}
	sema_expr(s, a);
	switch (a->type.kind) {
	case TY_INT:
		f = a->type.is_signed ? "%ld\n" : "%lu\n";
		break;
	case TY_STR:
	case TY_PROBE:
	case TY_TIME:
	case TY_INET:
	case TY_KSYM:
	case TY_USER:
	case TY_TUPLE:
	case TY_USYM:
		f = "%s\n";
		break;
	case TY_NONE:
		return;
	case TY_ARGS:	/* codegen lays out each tracepoint's record */
		sema_event_new(s, RT_EV_VALUE, n);
		return;
	default:
		diag_error(s->diag, a->loc, "print() cannot print %s yet",
			   type_words(&a->type));
		return;
	}
	ev = sema_event_new(s, RT_EV_VALUE, n);
	if (!ev)
		return;
	fmt_parse(f, strlen(f), &ev->fmt, err, sizeof(err), &off);
	/* in JSON, "%": the value is one field of the record (a tuple is
	 * one too, printed as an array) */
	ev->text = arena_strdup(s->arena, "%");
}

static void check_map_op(struct sema *s, struct ast_node *n,
			 const struct builtin *b)
{
	n->type = type_simple(TY_VOID);
	if (sema_map_whole(s, n->list))
		sema_event_new(s, b->id == BI_CLEAR ? RT_EV_CLEAR : RT_EV_ZERO,
			       n);
}

/* delete(@m[k]) or delete(@m, k): the key's entry goes; 1 if it was
 * there, as the newest bpftrace returns */
static void check_delete(struct sema *s, struct ast_node *n,
			 const struct builtin *b)
{
	struct ast_node *a = n->list;

	n->type = type_int(8, true);
	if (a->kind != AST_MAP) {
		diag_error(s->diag, a->loc, "delete() needs a map entry, "
			   "such as @name[key]");
		return;
	}
	if (a->next) {		/* delete(@m, k): as @m[k] */
		if (a->list) {
			diag_error(s->diag, a->next->loc, "delete() takes "
				   "@m[key] or @m, key, not both");
			return;
		}
		a->list = a->next;
		a->next = NULL;
	}
	sema_map_key_check(s, a);
}

/* strncmp(a, b, n) and strcontains(h, "needle") on strings */
static void check_strfn(struct sema *s, struct ast_node *n,
			const struct builtin *b)
{
	struct ast_node *a = n->list;
	int i = 0;

	n->type = type_int(8, true);
	for (struct ast_node *x = a; x && i < 2; x = x->next, i++) {
		sema_expr(s, x);
		if (x->type.kind && x->type.kind != TY_STR)
			diag_error(s->diag, x->loc, "%s() compares strings, "
				   "found %s", b->name, type_words(&x->type));
	}
	if (b->id == BI_STRNCMP) {
		const_arg(s, a->next->next, b->name, "length", 0,
			  SCRY_MAX_STRLEN);
	} else if (a->next->kind != AST_STRING) {
		diag_error(s->diag, a->next->loc, "strcontains() looks for a "
			   "string literal; a computed needle is not "
			   "supported yet");
	}
}

/* signal(SIG): a number, or a name with or without "SIG" */
static void check_signal(struct sema *s, struct ast_node *n,
			 const struct builtin *b)
{
	static const char *const names[] = { "", "HUP", "INT", "QUIT", "ILL",
		"TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
		"PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP",
		"TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM",
		"PROF", "WINCH", "IO", "PWR", "SYS" };
	struct ast_node *a = n->list;

	n->type = type_simple(TY_VOID);
	if (!s->unsafe) {
		diag_error(s->diag, n->loc, "signal() sends signals: it needs "
			   "--unsafe");
		return;
	}
	if (a->kind == AST_STRING) {
		const char *name = strncmp(a->str, "SIG", 3) ? a->str
							    : a->str + 3;
		for (unsigned i = 1; i < sizeof(names) / sizeof(*names); i++)
			if (!strcmp(name, names[i])) {
				n->ival = i;
				return;
			}
		diag_error(s->diag, a->loc, "unknown signal '%s'", a->str);
		return;
	}
	sema_expr(s, a);
	if (a->type.kind && a->type.kind != TY_INT)
		diag_error(s->diag, a->loc, "signal() takes a signal number or "
			   "name, found %s", type_words(&a->type));
	n->ival = 0;	/* computed */
}

/* join(argv[, "sep"]): prints the strings of an argv-style array */
static void check_join(struct sema *s, struct ast_node *n,
		       const struct builtin *b)
{
	struct ast_node *a = n->list, *sep = a->next;
	struct sema_event *ev;

	n->type = type_simple(TY_VOID);
	sema_expr(s, a);
	if (a->type.kind && a->type.kind != TY_INT) {
		diag_error(s->diag, a->loc, "join() needs a pointer to an "
			   "array of string pointers (such as args.argv), "
			   "found %s", type_words(&a->type));
		return;
	}
	if (sep && sep->kind != AST_STRING) {
		diag_error(s->diag, sep->loc, "the separator given to join() "
			   "must be a string literal");
		return;
	}
	ev = sema_event_new(s, RT_EV_JOIN, n);
	if (ev)
		ev->text = sep ? sep->str : " ";
}

/* The index of a strftime() format in the program's table, added if
 * new; -1 when the table is full. */
static int time_format_index(struct sema *s, const char *fmt)
{
	size_t i;

	for (i = 0; i < s->time_formats.n; i++)
		if (!strcmp(s->time_formats.v[i], fmt))
			return i;
	if (i == RT_TIME_FMT_MAX)
		return -1;
	ptrvec_push(&s->time_formats, (void *)fmt);
	return i;
}

/* strftime(fmt, ns): formatted in user space when printed; the value
 * carries the format's index, so it keeps it wherever it is stored */
static void check_strftime(struct sema *s, struct ast_node *n,
			   const struct builtin *b)
{
	struct ast_node *f = n->list;
	int idx;

	sema_expr(s, f->next);
	n->type = (struct type){ TY_TIME, false, 8 };
	if (f->kind != AST_STRING) {
		diag_error(s->diag, f->loc, "the format of strftime() must be a "
			   "string literal");
		return;
	}
	if (f->next->type.kind && f->next->type.kind != TY_INT) {
		diag_error(s->diag, f->next->loc, "strftime() needs a time in "
			   "nanoseconds (such as nsecs), found %s",
			   type_words(&f->next->type));
		return;
	}
	idx = time_format_index(s, f->str);
	if (idx < 0)
		diag_error(s->diag, f->loc, "a program may use at most %u "
			   "different strftime() formats", RT_TIME_FMT_MAX);
	n->ival = idx < 0 ? 0 : idx;
}

/* ntop([af, ] addr): an IPv4 address as an integer, or a 4- or 16-byte
 * array field (IPv6 when 16) */
static void check_ntop(struct sema *s, struct ast_node *n,
		       const struct builtin *b)
{
	struct ast_node *a = n->list;

	n->type = (struct type){ TY_INET, false, 24 };
	if (a->next) {	/* the family is implied by the address's size */
		sema_expr(s, a);
		a = a->next;
	}
	s->array_ok = true;	/* ntop(args.saddr): a byte array */
	sema_expr(s, a);
	s->array_ok = false;
	if (a->kind == AST_FIELD && a->aux == 2) {
		const struct tpf_field *f = a->sym;
		if (f->elem_size == 1 && (f->count == 4 || f->count == 16))
			return;
		diag_error(s->diag, a->loc, "ntop() needs a 4- or 16-byte "
			   "address, '%s' has %u elements of %u bytes",
			   f->name, f->count, f->elem_size);
		return;
	}
	if (a->type.kind && a->type.kind != TY_INT)
		diag_error(s->diag, a->loc, "ntop() needs an address (an "
			   "integer or a byte array field), found %s",
			   type_words(&a->type));
}

/* true and false: the integers 1 and 0, as in bpftrace 0.17 */
static void check_bool(struct sema *s, struct ast_node *n,
		       const struct builtin *b)
{
	n->kind = AST_INT;
	n->ival = b->id == BI_TRUE;
	n->type = type_int(8, false);
}

static bool is_bool_literal(const struct ast_node *n)
{
	return n->kind == AST_IDENT &&
	       (!strcmp(n->name, "true") || !strcmp(n->name, "false"));
}

/* getopt("name"[, default[, "description"]]): the value of --name=VALUE
 * given after "--" on the command line, typed as the default (a bool
 * when there is none). The call becomes that literal. */
static void check_getopt(struct sema *s, struct ast_node *n,
			 const struct builtin *b)
{
	struct ast_node *name = n->list, *def = name->next;
	const char *val = NULL;
	bool given, is_bool = !def || is_bool_literal(def);
	long long v = 0;

	n->type = type_int(8, !is_bool);
	if (name->kind != AST_STRING || strlen(name->str) != name->slen) {
		diag_error(s->diag, name->loc, "getopt() needs the option's "
			   "name as a string literal: getopt(\"name\")");
		return;
	}
	if (def && !is_bool_literal(def) && def->kind != AST_INT &&
	    def->kind != AST_STRING) {
		diag_error(s->diag, def->loc, "getopt()'s default must be a "
			   "literal: true, false, a number or a string");
		return;
	}
	if (def && def->next && def->next->kind != AST_STRING) {
		diag_error(s->diag, def->next->loc, "getopt()'s description "
			   "must be a string literal");
		return;
	}
	if (def && def->kind == AST_STRING)
		n->type = def->type;
	given = sema_named_param(s, name->str, &val);
	if (s->pass == 0)
		return;		/* the node changes once, in the last pass */
	if (!def || is_bool_literal(def)) {
		if (!given)
			v = def && !strcmp(def->name, "true");
		else if (!val || !strcmp(val, "true") || !strcmp(val, "1"))
			v = 1;
		else if (!strcmp(val, "false") || !strcmp(val, "0"))
			v = 0;
		else
			diag_error(s->diag, n->loc, "--%s=%s: this option is "
				   "true or false (or 1 or 0)", name->str, val);
		n->type = type_int(8, false);
	} else if (def->kind == AST_INT) {
		v = def->ival;
		if (given && (!val || !sema_cli_number(val, &v)))
			diag_error(s->diag, n->loc, "--%s%s%s: this option "
				   "takes a number", name->str, val ? "=" : "",
				   val ? val : "");
	} else {
		if (!given)
			val = def->str;
		else if (!val)
			val = "";
		n->kind = AST_STRING;
		n->str = arena_strdup(s->arena, val);
		n->slen = strlen(val);
		n->type = type_string(n->slen + 1);
		n->list = NULL;
		return;
	}
	n->kind = AST_INT;
	n->ival = v;
	n->list = NULL;
}

/* syscall_name(nr): the name, as a string, from a table in the program */
static void check_syscall_name(struct sema *s, struct ast_node *n,
			       const struct builtin *b)
{
	sema_expr(s, n->list);
	n->type = type_string(SYSCALL_NAME_LEN);
	if (n->list->type.kind && n->list->type.kind != TY_INT)
		diag_error(s->diag, n->list->loc, "syscall_name() needs a "
			   "syscall number, found %s",
			   type_words(&n->list->type));
}

static void check_ksym(struct sema *s, struct ast_node *n,
		       const struct builtin *b)
{
	sema_expr(s, n->list);
	n->type = (struct type){ TY_KSYM, false, 8 };
	if (n->list->type.kind && n->list->type.kind != TY_INT)
		diag_error(s->diag, n->list->loc, "ksym() needs an address, "
			   "found %s", type_words(&n->list->type));
}

/* usym(addr): the address and the current pid, resolved in user space */
static void check_usym(struct sema *s, struct ast_node *n,
		       const struct builtin *b)
{
	sema_expr(s, n->list);
	n->type = (struct type){ TY_USYM, false, 16 };
	if (n->list->type.kind && n->list->type.kind != TY_INT)
		diag_error(s->diag, n->list->loc, "usym() needs an address, "
			   "found %s", type_words(&n->list->type));
}

/* kaddr("sym"): the address, looked up now in /proc/kallsyms */
static void check_kaddr(struct sema *s, struct ast_node *n,
			const struct builtin *b)
{
	struct ast_node *a = n->list;

	n->type = type_int(8, false);
	if (a->kind != AST_STRING) {
		diag_error(s->diag, a->loc, "kaddr() takes a symbol name in "
			   "quotes");
		return;
	}
	n->ival = rt_kaddr(a->str);
	if (!n->ival)
		diag_error(s->diag, a->loc, "kernel symbol '%s' not found in "
			   "/proc/kallsyms", a->str);
}

/* has_key(@m, k...): 1 when the map holds the key */
static void check_has_key(struct sema *s, struct ast_node *n,
			  const struct builtin *b)
{
	struct ast_node *m = n->list;

	n->type = type_int(8, true);
	/* the keys become the map's own (once: sema walks twice) */
	if (m->kind != AST_MAP || (m->list && m->next)) {
		diag_error(s->diag, m->loc, "has_key() takes a map and a key: "
			   "has_key(@m, key)");
		return;
	}
	if (m->next) {
		m->list = m->next;
		m->next = NULL;
	}
	sema_map_key_check(s, m);
}

/* len(@m): how many entries a map with keys holds (histograms count
 * buckets, not keys, so they are refused) */
static void check_len(struct sema *s, struct ast_node *n,
		      const struct builtin *b)
{
	struct sema_map *m = sema_map_whole(s, n->list);

	n->type = type_int(8, true);
	if (!m)
		return;
	if (!m->nkeys)
		diag_error(s->diag, n->list->loc, "len() needs a map with "
			   "keys; '%s' has none", m->name);
	else if (m->agg == RT_AGG_HIST || m->agg == RT_AGG_LHIST)
		diag_error(s->diag, n->list->loc, "len() of a histogram is "
			   "not supported: '%s' holds %s", m->name,
			   m->agg == RT_AGG_HIST ? "hist()" : "lhist()");
}

static void check_time(struct sema *s, struct ast_node *n,
		       const struct builtin *b)
{
	struct ast_node *a = n->list;
	struct sema_event *ev;

	n->type = type_simple(TY_VOID);
	if (a && a->kind != AST_STRING) {
		diag_error(s->diag, a->loc, "the format of time() must be a "
			   "string literal");
		return;
	}
	ev = sema_event_new(s, RT_EV_TIME, n);
	if (ev)
		ev->text = a ? a->str : "%H:%M:%S\n";
}

/* A constant integer argument within [lo, hi], or report. */
static bool const_arg(struct sema *s, struct ast_node *a, const char *fn,
		      const char *what, int64_t lo, int64_t hi)
{
	int64_t v;

	if (a->kind == AST_UNARY && a->op == OP_NEG && a->a->kind == AST_INT) {
		a->kind = AST_INT;	/* fold -N: lhist(x, -10, 10, 1) */
		a->ival = -a->a->ival;
		a->type = type_int(8, true);
	}
	if (a->kind != AST_INT) {
		diag_error(s->diag, a->loc, "the %s given to %s() must be a "
			   "constant integer", what, fn);
		return false;
	}
	v = (int64_t)a->ival;
	if (v < lo || v > hi) {
		diag_error(s->diag, a->loc, "the %s given to %s() must be from "
			   "%lld to %lld, found %lld", what, fn, (long long)lo,
			   (long long)hi, (long long)v);
		return false;
	}
	return true;
}

/* hist(n[, k]) and lhist(n, min, max, step): the shape is constant */
static void check_hist_args(struct sema *s, struct ast_node *n,
			    const struct builtin *b)
{
	struct ast_node *a = n->list->next;

	if (b->id == BI_HIST) {
		if (a)
			const_arg(s, a, b->name, "number of bits", 0, 5);
		return;
	}
	/* as in bpftrace: non-negative bounds, a step within them */
	if (!const_arg(s, a, b->name, "minimum", 0, INT64_MAX / 2) ||
	    !const_arg(s, a->next, b->name, "maximum", 0, INT64_MAX / 2) ||
	    !const_arg(s, a->next->next, b->name, "step", 1, INT64_MAX / 2))
		return;
	if ((int64_t)a->next->ival <= (int64_t)a->ival) {
		diag_error(s->diag, a->next->loc, "the maximum given to "
			   "lhist() must be greater than its minimum");
		return;
	}
	if (a->next->next->ival > a->next->ival - a->ival) {
		diag_error(s->diag, a->next->next->loc, "the step given to "
			   "lhist() is larger than its range");
		return;
	}
	if (((int64_t)a->next->ival - (int64_t)a->ival) /
		    (int64_t)a->next->next->ival > 1000) {
		diag_error(s->diag, a->next->next->loc, "lhist() would have "
			   "more than 1000 buckets; use a larger step");
	}
}

static void check_agg(struct sema *s, struct ast_node *n,
		      const struct builtin *b)
{
	struct ast_node *a = n->list;

	n->type = type_simple(TY_AGG);
	if (!a)
		return;
	if (b->id == BI_HIST || b->id == BI_LHIST)
		check_hist_args(s, n, b);
	sema_expr(s, a);
	if (a->type.kind != TY_INT && a->type.kind != TY_NONE)
		diag_error(s->diag, a->loc, "%s() needs an integer, found %s",
			   b->name, type_words(&a->type));
	/* the map holds the argument's signedness */
	n->type = (struct type){ TY_AGG, a->type.is_signed, 8 };
}

static void check_elapsed(struct sema *s, struct ast_node *n,
			  const struct builtin *b)
{
	s->uses_elapsed = true;
	n->type = b->ret;
}

static void check_probe_bi(struct sema *s, struct ast_node *n,
			   const struct builtin *b)
{
	s->cur->uses_probe = true;
	n->type = b->ret;
}

#define U32 { TY_INT, false, 4 }
#define U64 { TY_INT, false, 8 }
#define NONE { TY_NONE, false, 0 }

const struct builtin builtin_table[] = {
	{ "pid", BI_PID, BI_VAR, 0, 0, U32, NULL, cg_bi_pid,
	  "process id (the kernel's tgid)" },
	{ "tid", BI_TID, BI_VAR, 0, 0, U32, NULL, cg_bi_tid,
	  "thread id (the kernel's pid)" },
	{ "uid", BI_UID, BI_VAR, 0, 0, U32, NULL, cg_bi_uid, "user id" },
	{ "gid", BI_GID, BI_VAR, 0, 0, U32, NULL, cg_bi_gid, "group id" },
	{ "comm", BI_COMM, BI_VAR, 0, 0, { TY_STR, false, 16 }, NULL,
	  cg_bi_comm, "the current task's name" },
	{ "nsecs", BI_NSECS, BI_VAR, 0, 0, U64, NULL, cg_bi_nsecs,
	  "nanoseconds since boot (monotonic)" },
	{ "elapsed", BI_ELAPSED, BI_VAR, 0, 0, U64, check_elapsed,
	  cg_bi_elapsed, "nanoseconds since scry started tracing" },
	{ "cpu", BI_CPU, BI_VAR, 0, 0, U32, NULL, cg_bi_cpu,
	  "the CPU the probe runs on" },
	{ "probe", BI_PROBE, BI_VAR, 0, 0, { TY_PROBE, false, 8 },
	  check_probe_bi, cg_bi_probe, "the name of the probe that fired" },
	{ "ppid", BI_PPID, BI_VAR, 0, 0, U32, bi_check_task, cg_bi_task,
	  "the parent's process id (real_parent->tgid, through BTF)" },
	{ "pcomm", BI_PCOMM, BI_VAR, 0, 0, { TY_STR, false, 16 },
	  bi_check_task, cg_bi_task, "the parent's name (real_parent->comm)" },
	{ "leader_tid", BI_LEADER_TID, BI_VAR, 0, 0, U32, bi_check_task,
	  cg_bi_task, "the thread id of the thread group's leader" },
	{ "leader_comm", BI_LEADER_COMM, BI_VAR, 0, 0, { TY_STR, false, 16 },
	  bi_check_task, cg_bi_task, "the name of the thread group's leader" },
	{ "jiffies", BI_JIFFIES, BI_VAR, 0, 0, U64, NULL, cg_bi_jiffies,
	  "the kernel's jiffies (64-bit)" },
	{ "numaid", BI_NUMAID, BI_VAR, 0, 0, U32, NULL, cg_bi_numaid,
	  "the NUMA node the probe runs on" },
	{ "rand", BI_RAND, BI_VAR, 0, 0, U32, NULL, cg_bi_rand,
	  "a pseudo-random 32-bit number" },
	{ "cgroup", BI_CGROUP, BI_VAR, 0, 0, U64, NULL, cg_bi_cgroup,
	  "the current task's cgroup v2 id" },
	{ "curtask", BI_CURTASK, BI_VAR, 0, 0, U64, NULL, cg_bi_curtask,
	  "the address of the current task's task_struct" },
	{ "ncpus", BI_NCPUS, BI_VAR, 0, 0, U64, bi_check_ncpus, NULL,
	  "the number of possible CPUs (a constant)" },
	{ "username", BI_USERNAME, BI_VAR, 0, 0, { TY_USER, false, 8 }, NULL,
	  cg_bi_uid, "the current user's name (the uid, named when printed)" },
	{ "cpid", BI_CPID, BI_VAR, 0, 0, U32, bi_check_cpid, cg_bi_cpid,
	  "the pid of the command run with -c" },
	{ "printf", BI_PRINTF, BI_FUNC, 1, 33, NONE, check_printf,
	  cg_bi_printf, "print formatted output" },
	{ "system", BI_SYSTEM, BI_FUNC, 1, 33, NONE, check_printf,
	  cg_bi_printf, "run a command, formatted as printf (--unsafe)" },
	{ "cat", BI_CAT, BI_FUNC, 1, 33, NONE, check_printf, cg_bi_printf,
	  "print a file's contents (its name formatted as printf)" },
	{ "signal", BI_SIGNAL, BI_FUNC, 1, 1, NONE, check_signal,
	  cg_bi_signal, "send a signal to the current process (--unsafe)" },
	{ "str", BI_STR, BI_FUNC, 1, 2, NONE, check_str, cg_bi_str,
	  "read a NUL-terminated string from memory" },
	{ "exit", BI_EXIT, BI_FUNC, 0, 1, NONE, check_exit, cg_bi_exit,
	  "stop tracing (exit status N): END runs and maps are printed" },
	{ "print", BI_PRINT, BI_FUNC, 1, 3, NONE, check_print, cg_bi_print,
	  "print a map (print(@m, top, div)) or a value" },
	{ "clear", BI_CLEAR, BI_FUNC, 1, 1, NONE, check_map_op, cg_bi_mapop,
	  "delete every entry of a map" },
	{ "zero", BI_ZERO, BI_FUNC, 1, 1, NONE, check_map_op, cg_bi_mapop,
	  "set every value of a map to zero" },
	{ "delete", BI_DELETE, BI_FUNC, 1, 2, NONE, check_delete,
	  cg_bi_delete, "delete one entry: delete(@m, key); 1 if it was there" },
	{ "join", BI_JOIN, BI_FUNC, 1, 2, NONE, check_join, cg_bi_join,
	  "print the strings of an argv-style array, joined" },
	{ "strftime", BI_STRFTIME, BI_FUNC, 2, 2, NONE, check_strftime,
	  cg_bi_strftime, "format a time in ns (nsecs) with a strftime format" },
	{ "ntop", BI_NTOP, BI_FUNC, 1, 2, NONE, check_ntop, cg_bi_ntop,
	  "an IPv4 or IPv6 address as text" },
	{ "true", BI_TRUE, BI_VAR, 0, 0, NONE, check_bool, NULL, "1" },
	{ "false", BI_FALSE, BI_VAR, 0, 0, NONE, check_bool, NULL, "0" },
	{ "getopt", BI_GETOPT, BI_FUNC, 1, 3, NONE, check_getopt, NULL,
	  "a named option given after -- as --name=VALUE" },
	{ "syscall_name", BI_SYSCALL_NAME, BI_FUNC, 1, 1, NONE,
	  check_syscall_name, cg_bi_syscall_name,
	  "a syscall's name from its number (args.id of raw_syscalls)" },
	{ "ksym", BI_KSYM, BI_FUNC, 1, 1, NONE, check_ksym, cg_bi_ksym,
	  "the kernel symbol at an address" },
	{ "usym", BI_USYM, BI_FUNC, 1, 1, NONE, check_usym, cg_bi_usym,
	  "the symbol at a user address of the current process" },
	{ "kaddr", BI_KADDR, BI_FUNC, 1, 1, NONE, check_kaddr, cg_bi_kaddr,
	  "the address of a kernel symbol" },
	{ "has_key", BI_HAS_KEY, BI_FUNC, 1, 9, NONE, check_has_key,
	  cg_bi_has_key, "1 when a map holds a key: has_key(@m, key)" },
	{ "strncmp", BI_STRNCMP, BI_FUNC, 3, 3, NONE, check_strfn,
	  cg_bi_strncmp, "0 when the first n characters of two strings match" },
	{ "strcontains", BI_STRCONTAINS, BI_FUNC, 2, 2, NONE, check_strfn,
	  cg_bi_strcontains, "1 when a string contains a literal" },
	{ "strlen", BI_STRLEN, BI_FUNC, 1, 1, NONE, bi_check_strlen,
	  cg_bi_strlen, "the length of a string, before its NUL" },
	{ "strstr", BI_STRSTR, BI_FUNC, 2, 2, NONE, bi_check_strstr,
	  cg_bi_strstr, "the index of a literal in a string, or -1" },
	{ "strerror", BI_STRERROR, BI_FUNC, 1, 1, NONE, bi_check_strerror,
	  cg_bi_strerror, "the text of an errno (\"Permission denied\")" },
	{ "bswap", BI_BSWAP, BI_FUNC, 1, 1, NONE, bi_check_bswap, cg_bi_bswap,
	  "an integer with its bytes reversed" },
	{ "len", BI_LEN, BI_FUNC, 1, 1, NONE, check_len, cg_bi_len,
	  "the number of entries of a map with keys: len(@m)" },
	{ "time", BI_TIME, BI_FUNC, 0, 1, NONE, check_time, cg_bi_time,
	  "print the time of day (strftime format, default \"%H:%M:%S\\n\")" },
	{ "count", BI_COUNT, BI_AGG, 0, 0, NONE, check_agg, NULL,
	  "count events" },
	{ "sum", BI_SUM, BI_AGG, 1, 1, NONE, check_agg, NULL,
	  "sum of values" },
	{ "min", BI_MIN, BI_AGG, 1, 1, NONE, check_agg, NULL,
	  "minimum value" },
	{ "max", BI_MAX, BI_AGG, 1, 1, NONE, check_agg, NULL,
	  "maximum value" },
	{ "avg", BI_AVG, BI_AGG, 1, 1, NONE, check_agg, NULL,
	  "average of values (integer)" },
	{ "stats", BI_STATS, BI_AGG, 1, 1, NONE, check_agg, NULL,
	  "count, average and total of values" },
	{ "hist", BI_HIST, BI_AGG, 1, 2, NONE, check_agg, NULL,
	  "power-of-2 histogram (hist(n, k): 2^k buckets per power)" },
	{ "lhist", BI_LHIST, BI_AGG, 4, 4, NONE, check_agg, NULL,
	  "linear histogram: lhist(n, min, max, step)" },
};
const unsigned builtin_count = sizeof(builtin_table) / sizeof(builtin_table[0]);

const struct builtin *builtin_find(const char *name, enum bi_kind kind)
{
	for (unsigned i = 0; i < builtin_count; i++)
		if (builtin_table[i].kind == kind &&
		    !strcmp(builtin_table[i].name, name))
			return &builtin_table[i];
	return NULL;
}
