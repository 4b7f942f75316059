/* SPDX-License-Identifier: GPL-2.0-or-later */
/* AST construction helpers and the -d ast dump. */
#include <inttypes.h>
#include "ast.h"

static const char *const kind_names[] = {
#define X(name, desc) #name,
#include "ast.def"
#undef X
};

static const char *const op_names[] = {
	[OP_NONE] = "", [OP_ADD] = "+", [OP_SUB] = "-", [OP_MUL] = "*",
	[OP_DIV] = "/", [OP_MOD] = "%", [OP_BAND] = "&", [OP_BOR] = "|",
	[OP_BXOR] = "^", [OP_SHL] = "<<", [OP_SHR] = ">>", [OP_LAND] = "&&",
	[OP_LOR] = "||", [OP_EQ] = "==", [OP_NE] = "!=", [OP_LT] = "<",
	[OP_LE] = "<=", [OP_GT] = ">", [OP_GE] = ">=", [OP_NOT] = "!",
	[OP_BNOT] = "~", [OP_NEG] = "-", [OP_DEREF] = "*",
	[OP_PRE_INC] = "++", [OP_PRE_DEC] = "--",
	[OP_POST_INC] = "++", [OP_POST_DEC] = "--",
};

struct ast_node *ast_new(struct arena *a, enum ast_kind kind, struct loc loc)
{
	struct ast_node *n = arena_alloc(a, sizeof(*n));

	n->kind = kind;
	n->loc = loc;
	return n;
}

struct ast_node *ast_append(struct ast_node *head, struct ast_node *n)
{
	struct ast_node *p = head;

	if (!head)
		return n;
	while (p->next)
		p = p->next;
	p->next = n;
	return head;
}

size_t ast_count(const struct ast_node *list)
{
	size_t n = 0;

	for (; list; list = list->next)
		n++;
	return n;
}

const char *ast_kind_name(enum ast_kind kind)
{
	return kind_names[kind];
}

const char *ast_op_name(enum ast_op op)
{
	return op_names[op];
}

static void dump_list(FILE *out, const char *label, const struct ast_node *l,
		      int indent)
{
	if (!l)
		return;
	fprintf(out, "%*s%s:\n", indent + 2, "", label);
	for (; l; l = l->next)
		ast_dump(out, l, indent + 4);
}

void ast_dump(FILE *out, const struct ast_node *n, int indent)
{
	if (!n)
		return;
	fprintf(out, "%*s%s", indent, "", kind_names[n->kind]);
	if (n->op)
		fprintf(out, " %s%s", op_names[n->op],
			n->op == OP_POST_INC || n->op == OP_POST_DEC ? " (post)"
			: n->op >= OP_PRE_INC ? " (pre)" : "");
	if (n->name)
		fprintf(out, " %s%s", n->arrow ? "->" : "", n->name);
	if (n->kind == AST_INT)
		fprintf(out, " %" PRIu64, n->ival);
	if (n->kind == AST_STRING) {
		fputs(" \"", out);
		for (size_t i = 0; i < n->slen; i++) {
			unsigned char c = n->str[i];
			if (c == '\n')
				fputs("\\n", out);
			else if (c == '"' || c == '\\')
				fprintf(out, "\\%c", c);
			else if (c < 0x20 || c >= 0x7f)
				fprintf(out, "\\x%02x", c);
			else
				fputc(c, out);
		}
		fputc('"', out);
	}
	if (n->type.kind != TY_NONE) {
		char buf[64];
		fprintf(out, " :: %s", type_name(&n->type, buf, sizeof(buf)));
	}
	fputc('\n', out);
	ast_dump(out, n->a, indent + 2);
	ast_dump(out, n->b, indent + 2);
	ast_dump(out, n->c, indent + 2);
	dump_list(out, n->kind == AST_PROBE ? "attach" : "list", n->list,
		  indent);
	if (n->body)
		ast_dump(out, n->body, indent + 2);
}
