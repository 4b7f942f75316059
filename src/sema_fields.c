/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fields and indexing: a tracepoint's args.field (its type from the
 * format file), args.array[N], and the elements of tuples ($t.N, $t[N]). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sema_internal.h"

/* Syscall records widen every argument to 8 bytes and mark it unsigned
 * ("int dfd ... size:8 signed:0"), and the upper bytes are whatever the
 * register held: the declared C type says how much of the field is the
 * value and whether it is signed. */
static const struct {
	const char *name;
	unsigned char size;
	bool is_signed;
} c_types[] = {
	{ "char", 1, true }, { "signed char", 1, true },
	{ "unsigned char", 1, false }, { "u8", 1, false }, { "__u8", 1, false },
	{ "s8", 1, true }, { "__s8", 1, true }, { "bool", 1, false },
	{ "short", 2, true }, { "unsigned short", 2, false },
	{ "u16", 2, false }, { "__u16", 2, false }, { "s16", 2, true },
	{ "__s16", 2, true }, { "umode_t", 2, false },
	{ "int", 4, true }, { "unsigned int", 4, false }, { "unsigned", 4, false },
	{ "u32", 4, false }, { "__u32", 4, false }, { "s32", 4, true },
	{ "__s32", 4, true }, { "pid_t", 4, true }, { "uid_t", 4, false },
	{ "gid_t", 4, false }, { "key_serial_t", 4, true },
	{ "clockid_t", 4, true }, { "timer_t", 4, true }, { "mqd_t", 4, true },
	{ "int32_t", 4, true }, { "uint32_t", 4, false }, { "qid_t", 4, false },
	{ "rwf_t", 4, false },
	{ "long", 8, true }, { "long int", 8, true }, { "long long", 8, true },
	{ "unsigned long", 8, false }, { "unsigned long long", 8, false },
	{ "u64", 8, false }, { "__u64", 8, false }, { "s64", 8, true },
	{ "__s64", 8, true }, { "size_t", 8, false }, { "ssize_t", 8, true },
	{ "off_t", 8, true }, { "loff_t", 8, true }, { "int64_t", 8, true },
	{ "uint64_t", 8, false },
};

struct type sema_field_type(const struct tpf_field *f)
{
	const char *t = f->type;

	if (!strncmp(t, "const ", 6))
		t += 6;
	for (size_t i = 0; i < sizeof(c_types) / sizeof(*c_types); i++)
		if (!strcmp(t, c_types[i].name) && c_types[i].size <= f->size)
			return type_int(c_types[i].size, c_types[i].is_signed);
	return type_int(f->size, f->is_signed);
}

/* $t.N: element N of a tuple */
static void check_tuple_elem(struct sema *s, struct ast_node *n)
{
	const struct type_tuple *t = n->a->type.tuple;

	if (n->name[0] < '0' || n->name[0] > '9') {
		diag_error(s->diag, n->loc, "a tuple has no field '%s'; its "
			   "elements are .0 to .%u", n->name, t->n - 1);
		return;
	}
	if (n->ival >= t->n) {
		diag_error(s->diag, n->loc, "index %llu is out of range for a "
			   "tuple of %u elements", (unsigned long long)n->ival,
			   t->n);
		return;
	}
	n->aux = SEMA_FIELD_TUPLE;
	n->type = t->elem[n->ival];
}

void sema_check_field(struct sema *s, struct ast_node *n)
{
	struct sema_probe *p = s->cur;
	const struct tpf_field *first = NULL;
	bool array_ok = s->array_ok;

	/* args.x[N] may name an array, args.x.0[N] may not: the base of a
	 * field is no indexed operand */
	s->array_ok = false;
	sema_expr(s, n->a);
	s->array_ok = array_ok;
	if (n->a->type.kind == TY_NONE)
		return;
	if (n->a->type.kind == TY_TUPLE && n->a->type.tuple) {
		check_tuple_elem(s, n);
		return;
	}
	/* 1.5 parses as element 5 of 1 */
	if (n->a->kind == AST_INT && n->name[0] >= '0' && n->name[0] <= '9') {
		diag_error(s->diag, n->a->loc, "'%llu.%s' is not an integer: "
			   "scry has no floating-point numbers",
			   (unsigned long long)n->a->ival, n->name);
		return;
	}
	if (n->a->type.kind != TY_ARGS) {
		diag_error(s->diag, n->loc, "cannot access field '%s' of %s",
			   n->name, tstr(&n->a->type));
		return;
	}
	for (size_t i = 0; i < p->targets.n; i++) {
		struct sema_target *t = p->targets.v[i];
		const struct tpf_field *f;

		if (!t->fmt)
			return;	/* the format could not be read: reported */
		f = tpf_field(t->fmt, n->name);
		if (!f) {
			diag_error(s->diag, n->loc, "tracepoint '%s:%s' has no "
				   "field '%s'", t->category, t->event,
				   n->name);
			char *list = NULL;
			size_t len = 0;
			FILE *m = open_memstream(&list, &len);
			const char *fcands[256];
			unsigned nf = 0;
			for (size_t j = 0; j < t->fmt->nfields; j++) {
				const struct tpf_field *g = &t->fmt->fields[j];
				if (g->common)
					continue;
				fprintf(m, "%s%s", nf ? ", " : "", g->name);
				if (nf < 256)
					fcands[nf++] = g->name;
			}
			fclose(m);
			const char *best = diag_closest(n->name, fcands, nf);
			if (best)
				diag_plain_note(s->diag, "did you mean '%s'?",
						best);
			diag_plain_note(s->diag, "its fields are: %s", list);
			free(list);
			return;
		}
		/* the kernel hides the record's first 8 bytes from tracepoint
		 * programs (they hold a pointer to the registers) */
		if (f->common) {
			diag_error(s->diag, n->loc, "'%s' is one of the fields "
				   "every tracepoint record starts with, which "
				   "BPF programs cannot read", n->name);
			if (!strcmp(n->name, "common_pid"))
				diag_plain_note(s->diag, "'tid' is the same "
						"value");
			return;
		}
		if (!first) {
			first = f;
		} else if (first->kind != f->kind || first->size != f->size ||
			   first->is_signed != f->is_signed) {
			diag_error(s->diag, n->loc, "field '%s' has different "
				   "types in the tracepoints this probe "
				   "matches", n->name);
			diag_plain_note(s->diag, "split the probe so that each "
					"block sees one type");
			return;
		}
	}
	if (!first)
		return;
	n->sym = (void *)first;
	switch (first->kind) {
	case TPF_INT:
		n->type = sema_field_type(first);
		break;
	case TPF_PTR:
		n->type = type_int(8, false);
		n->aux = 1;	/* a pointer: str() reads what it points to */
		break;
	case TPF_CHAR_ARRAY:
		n->type = type_string(first->count ? first->count : first->size);
		break;
	case TPF_DATA_LOC_STR:
		n->type = type_string(s->strlen_default);
		break;
	case TPF_INT_ARRAY:
		n->type = type_simple(TY_NONE);
		n->aux = 2;	/* an array: must be indexed */
		if (!s->array_ok)
			diag_error(s->diag, n->loc, "field '%s' is an array of "
				   "%u: index it, as args.%s[0]", n->name,
				   first->count, n->name);
		break;
	default:
		diag_error(s->diag, n->loc, "field '%s' has type '%s', which "
			   "scry cannot read yet", n->name, first->type);
		break;
	}
}

/* $t[N]: the same as $t.N; N must be a constant (as in bpftrace). The
 * node becomes that element access. */
static void check_tuple_index(struct sema *s, struct ast_node *n)
{
	if (n->b->kind != AST_INT) {
		diag_error(s->diag, n->b->loc, "the index of a tuple must be "
			   "a constant integer");
		return;
	}
	n->kind = AST_FIELD;
	n->ival = n->b->ival;
	n->name = arena_printf(s->arena, "%llu", (unsigned long long)n->ival);
	n->loc = n->b->loc;
	n->b = NULL;
	check_tuple_elem(s, n);
}

void sema_check_index(struct sema *s, struct ast_node *n)
{
	const struct tpf_field *f;
	bool ok = s->array_ok;

	s->array_ok = true;	/* args.x[N]: an array is what is indexed */
	sema_expr(s, n->a);
	s->array_ok = ok;
	sema_expr(s, n->b);
	if (n->a->type.kind == TY_TUPLE && n->a->type.tuple) {
		check_tuple_index(s, n);
		return;
	}
	if (n->a->kind != AST_FIELD || n->a->aux != 2) {
		if (n->a->type.kind != TY_NONE)
			diag_error(s->diag, n->loc, "%s cannot be indexed",
				   tstr(&n->a->type));
		return;
	}
	f = n->a->sym;
	if (n->b->kind != AST_INT) {
		diag_error(s->diag, n->b->loc, "the index of '%s' must be a "
			   "constant integer", f->name);
		return;
	}
	if (n->b->ival >= f->count) {
		diag_error(s->diag, n->b->loc, "index %llu is out of range for "
			   "'%s', which has %u elements",
			   (unsigned long long)n->b->ival, f->name, f->count);
		return;
	}
	n->type = type_int(f->elem_size, f->is_signed);
}
