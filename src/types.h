/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Value types of the language. Small values, copied freely. */
#ifndef SCRY_TYPES_H
#define SCRY_TYPES_H
#include <stdbool.h>
#include <stddef.h>

enum type_kind {
	TY_NONE,	/* not yet known */
	TY_VOID,	/* statements, calls that return nothing */
	TY_INT,		/* integer of size 1..8 bytes; computed as 64 bits */
	TY_STR,		/* char[size] */
	TY_PROBE,	/* probe id: prints as the probe's name */
	TY_ARGS,	/* a tracepoint's args record */
	TY_AGG,		/* the result of count(), sum() ...: map-only */
	TY_TIME,	/* strftime(): boot-time ns, formatted in user space */
	TY_INET,	/* ntop(): family and address, 24 bytes */
	TY_KSYM,	/* ksym(): a kernel address, printed as its symbol */
	TY_USYM,	/* usym(): { u64 addr; u64 pid; }, 16 bytes, printed
			   as the symbol of that process */
	TY_USER,	/* username: a uid, printed as its user's name */
	TY_TUPLE,	/* (a, b, ...): a buffer of elements at 8-aligned
			   offsets, as map keys are laid out */
};

/* Is the value a buffer (a pointer to its bytes) rather than an i64? */
static inline bool type_is_buffer(enum type_kind k)
{
	return k == TY_STR || k == TY_INET || k == TY_USYM || k == TY_TUPLE;
}

/* Is t printed as text by %s (strings and user-space formatted values)? */
static inline bool type_is_text(enum type_kind k)
{
	return k == TY_STR || k == TY_PROBE || k == TY_TIME || k == TY_INET ||
	       k == TY_KSYM || k == TY_USYM || k == TY_USER;
}

struct arena;
struct type_tuple;

struct type {
	enum type_kind kind;
	bool is_signed;
	unsigned size;	/* bytes */
	const struct type_tuple *tuple;	/* TY_TUPLE: the elements */
};

/* A tuple's elements and their offsets in its buffer (8-aligned; the
 * size of the whole is in the type). Lives in the compile arena. */
struct type_tuple {
	unsigned n;
	const struct type *elem;
	const unsigned *off;
};

static inline struct type type_int(unsigned size, bool is_signed)
{
	return (struct type){ TY_INT, is_signed, size };
}
static inline struct type type_string(unsigned size)
{
	return (struct type){ TY_STR, false, size };
}
static inline struct type type_simple(enum type_kind k)
{
	return (struct type){ k, false, k == TY_PROBE ? 8 : 0 };
}

bool type_equal(const struct type *a, const struct type *b);
/* "int64", "uint32", "string[64]", "probe" ... */
const char *type_name(const struct type *t, char *buf, size_t len);
/* For messages: "an integer", "a string", "a probe name" ... */
const char *type_words(const struct type *t);
/* Can a value of type from be stored where to is expected? */
bool type_compatible(const struct type *to, const struct type *from);
/* A tuple of n elements (copied) laid out at 8-aligned offsets, made
 * in arena a. */
struct type type_tuple(struct arena *a, const struct type *elem, unsigned n);
/* The type one variable, map value or key holds values of a and b in:
 * integers of any width (signed when either is), strings of any size
 * (the larger), tuples of as many elements element by element, as
 * bpftrace promotes them; others only as they are. Made in arena ar.
 * Returns false when a and b cannot share one. */
bool type_unify(struct arena *ar, const struct type *a, const struct type *b,
		struct type *out);

#endif
