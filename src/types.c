/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Type names and compatibility rules. */
#include <stdio.h>
#include "arena.h"
#include "types.h"

bool type_equal(const struct type *a, const struct type *b)
{
	if (a->kind != b->kind || a->size != b->size ||
	    a->is_signed != b->is_signed)
		return false;
	if (a->kind != TY_TUPLE || a->tuple == b->tuple)
		return true;
	if (!a->tuple || !b->tuple || a->tuple->n != b->tuple->n)
		return false;
	for (unsigned i = 0; i < a->tuple->n; i++)
		if (!type_equal(&a->tuple->elem[i], &b->tuple->elem[i]))
			return false;
	return true;
}

struct type type_tuple(struct arena *a, const struct type *elem, unsigned n)
{
	struct type_tuple *t = arena_alloc(a, sizeof(*t));
	struct type *e = arena_alloc(a, (n + 1) * sizeof(*e));
	unsigned *off = arena_alloc(a, (n + 1) * sizeof(*off)), size = 0;

	for (unsigned i = 0; i < n; i++) {
		unsigned es = type_is_buffer(elem[i].kind) ? elem[i].size : 8;
		e[i] = elem[i];
		off[i] = size;
		size += (es + 7) & ~7u;
	}
	t->n = n;
	t->elem = e;
	t->off = off;
	return (struct type){ TY_TUPLE, false, size, t };
}

bool type_unify(struct arena *ar, const struct type *a, const struct type *b,
		struct type *out)
{
	struct type *e;

	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case TY_INT:
		*out = type_int(8, a->is_signed || b->is_signed);
		return true;
	case TY_STR:
		*out = type_string(a->size > b->size ? a->size : b->size);
		return true;
	case TY_TUPLE:
		break;
	default:
		*out = *a;
		return a->size == b->size;
	}
	if (type_equal(a, b)) {
		*out = *a;
		return true;
	}
	if (!a->tuple || !b->tuple || a->tuple->n != b->tuple->n)
		return false;
	e = arena_alloc(ar, (a->tuple->n + 1) * sizeof(*e));
	for (unsigned i = 0; i < a->tuple->n; i++)
		if (!type_unify(ar, &a->tuple->elem[i], &b->tuple->elem[i],
				&e[i]))
			return false;
	*out = type_tuple(ar, e, a->tuple->n);
	return true;
}

bool type_compatible(const struct type *to, const struct type *from)
{
	if (to->kind == TY_INT && from->kind == TY_INT)
		return true;	/* integers widen/narrow as in C */
	if (to->kind == TY_STR && from->kind == TY_STR)
		return true;	/* strings are copied, truncated or padded */
	if (to->kind == TY_TUPLE)
		return type_equal(to, from);
	return to->kind == from->kind;
}

/* "(int64, string[16])" */
static const char *tuple_name(const struct type *t, char *buf, size_t len)
{
	size_t at = 0;
	char el[256];

	if (!t->tuple || len < 2)
		return "tuple";
	buf[at++] = '(';
	for (unsigned i = 0; i < t->tuple->n && at < len; i++)
		at += snprintf(buf + at, len - at, "%s%s", i ? ", " : "",
			       type_name(&t->tuple->elem[i], el, sizeof(el)));
	if (at < len)
		snprintf(buf + at, len - at, ")");
	return buf;
}

const char *type_name(const struct type *t, char *buf, size_t len)
{
	switch (t->kind) {
	case TY_NONE:
		return "none";
	case TY_VOID:
		return "void";
	case TY_INT:
		snprintf(buf, len, "%sint%u", t->is_signed ? "" : "u",
			 t->size * 8);
		return buf;
	case TY_STR:
		snprintf(buf, len, "string[%u]", t->size);
		return buf;
	case TY_PROBE:
		return "probe";
	case TY_ARGS:
		return "args";
	case TY_AGG:
		return "aggregation";
	case TY_TIME:
		return "timestamp";
	case TY_INET:
		return "inet";
	case TY_KSYM:
		return "ksym";
	case TY_USYM:
		return "usym";
	case TY_USER:
		return "username";
	case TY_TUPLE:
		return tuple_name(t, buf, len);
	}
	return "?";
}

const char *type_words(const struct type *t)
{
	switch (t->kind) {
	case TY_INT:
		return "an integer";
	case TY_STR:
		return "a string";
	case TY_PROBE:
		return "a probe name";
	case TY_ARGS:
		return "args";
	case TY_AGG:
		return "an aggregation";
	case TY_VOID:
		return "nothing";
	case TY_TIME:
		return "a timestamp";
	case TY_INET:
		return "an address";
	case TY_KSYM:
		return "a kernel symbol";
	case TY_USYM:
		return "a user symbol";
	case TY_USER:
		return "a user name";
	case TY_TUPLE:
		return "a tuple";
	case TY_NONE:
		break;
	}
	return "an unknown type";
}
