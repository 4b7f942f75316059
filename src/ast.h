/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The abstract syntax tree. Nodes live in the compile arena; the parser
 * builds them and makes no decisions, sema annotates them (type, sym). */
#ifndef SCRY_AST_H
#define SCRY_AST_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "arena.h"
#include "diag.h"
#include "types.h"

enum ast_kind {
#define X(name, desc) AST_##name,
#include "ast.def"
#undef X
};

/* Operators, shared by BINARY, UNARY, ASSIGN (compound) and INCDEC. */
enum ast_op {
	OP_NONE, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD,
	OP_BAND, OP_BOR, OP_BXOR, OP_SHL, OP_SHR,
	OP_LAND, OP_LOR,
	OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
	OP_NOT, OP_BNOT, OP_NEG, OP_DEREF,
	OP_PRE_INC, OP_PRE_DEC, OP_POST_INC, OP_POST_DEC,
};

struct ast_node {
	enum ast_kind kind;
	enum ast_op op;
	struct loc loc;
	const char *name;	/* IDENT, VAR ("$x"), MAP ("@x"), CALL, FIELD,
				   ATTACH (the text as written) */
	uint64_t ival;		/* INT */
	const char *str;	/* STRING, decoded */
	size_t slen;
	bool arrow;		/* FIELD written with -> */
	struct ast_node *a, *b, *c;	/* operands, condition/then/else,
					   PROBE: pred; ASSIGN: target, value */
	struct ast_node *list;	/* CALL args, MAP keys, BLOCK stmts,
				   PROBE attach points, PROGRAM probes */
	struct ast_node *body;	/* PROBE: its block */
	struct ast_node *next;	/* sibling in a list */
	struct ast_node *tail;	/* parser: the last of a list headed here */
	/* sema */
	struct type type;
	void *sym;		/* resolved map, variable, builtin or field */
	int aux;		/* per-kind sema annotation */
};

struct ast_node *ast_new(struct arena *a, enum ast_kind kind, struct loc loc);
/* Append n to the list starting at *head; returns head for chaining. */
struct ast_node *ast_append(struct ast_node *head, struct ast_node *n);
size_t ast_count(const struct ast_node *list);
const char *ast_kind_name(enum ast_kind kind);
const char *ast_op_name(enum ast_op op);
void ast_dump(FILE *out, const struct ast_node *n, int indent);

#endif
