/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The state shared by the flex scanner and the bison parser. */
#ifndef SCRY_LEXER_H
#define SCRY_LEXER_H
#include "arena.h"
#include "ast.h"
#include "diag.h"

struct lex_ctx {
	struct arena *arena;
	struct diag *diag;
	const struct source *src;
	void *scanner;		/* yyscan_t */
	unsigned pos;		/* byte offset of the next token */
	int depth;		/* brace depth */
	int comment_ret;	/* start condition to resume after a comment */
	unsigned comment_begin;	/* where the open comment started */
	unsigned bad_end;	/* the end of the last byte reported as bad */
	unsigned braces[64];	/* where the open '{'s are (the innermost 64) */
	struct ast_node *program;
};

/* Parse src into ctx->program. Returns 0, or -EINVAL after reporting
 * every syntax error through diag. */
int parse_program(struct arena *arena, struct diag *diag,
		  const struct source *src, struct ast_node **out);

/* Decode the escapes of a string literal body (without quotes). */
char *lex_unescape(struct lex_ctx *ctx, const char *s, size_t n,
		   unsigned off, size_t *out_len);

/* The offset in a literal's source text (raw, n bytes, between the
 * quotes) of its decoded byte number decoded. */
unsigned lex_raw_offset(const char *raw, size_t n, size_t decoded);

#endif
