/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the files of the semantic pass (sema.c, sema_expr.c,
 * sema_maps.c, sema_fields.c), not by other modules: those use sema.h.
 * The check functions report through s->diag and type the node. */
#ifndef SCRY_SEMA_INTERNAL_H
#define SCRY_SEMA_INTERNAL_H
#include "sema.h"

static inline bool is_positional(const char *name)
{
	return name[0] == '$' &&
	       (name[1] == '#' || (name[1] >= '0' && name[1] <= '9'));
}

static inline const char *tstr(const struct type *t)
{
	return type_words(t);
}

/* sema_expr.c */
void sema_check_call(struct sema *s, struct ast_node *n, bool as_value);
/* the type of (int8) ... (uint64), (bool) */
struct type sema_cast_type(const char *name);

/* sema_maps.c */
/* @m[k] = value: learn or check the map's value type. */
void sema_map_store(struct sema *s, struct ast_node *target,
		    struct ast_node *value, enum rt_agg agg);
/* @x++ and @x += v: false after reporting */
bool sema_int_map_update(struct sema *s, struct ast_node *op,
			 struct ast_node *t);
void sema_check_map_read(struct sema *s, struct ast_node *n);
/* The entry of a for loop over map m, or TY_NONE after reporting */
struct type sema_loop_entry_type(struct sema *s, struct ast_node *mn,
				 struct sema_map *m);

/* sema_fields.c */
void sema_check_field(struct sema *s, struct ast_node *n);
void sema_check_index(struct sema *s, struct ast_node *n);

#endif
