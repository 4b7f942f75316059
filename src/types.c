/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Type names and compatibility rules. */
#include <stdio.h>
#include "types.h"

bool type_equal(const struct type *a, const struct type *b)
{
	return a->kind == b->kind && a->size == b->size &&
	       a->is_signed == b->is_signed;
}

bool type_compatible(const struct type *to, const struct type *from)
{
	if (to->kind == TY_INT && from->kind == TY_INT)
		return true;	/* integers widen/narrow as in C */
	if (to->kind == TY_STR && from->kind == TY_STR)
		return true;	/* strings are copied, truncated or padded */
	return to->kind == from->kind;
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
	case TY_NONE:
		break;
	}
	return "an unknown type";
}
