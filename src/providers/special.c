/* SPDX-License-Identifier: GPL-2.0-or-later */
/* BEGIN and END: programs run once by scry itself (BPF_PROG_TEST_RUN),
 * before the first and after the last event. */
#include <errno.h>
#include <string.h>
#include "providers/provider.h"
#include "sema.h"

static int special_resolve(struct sema *s, struct sema_probe *p,
			   struct ast_node *attach, const char *spec)
{
	struct sema_target *t;
	bool begin = p->prov == &provider_begin;

	if (*spec || attach->name[strlen(attach->name) - 1] == ':') {
		diag_error(s->diag, attach->loc, "'%s' takes nothing after "
			   "it: write %s", attach->name, p->prov->name);
		return -EINVAL;
	}
	t = arena_alloc(s->arena, sizeof(*t));
	t->probe_id = sema_probe_name(s, begin ? "BEGIN" : "END");
	ptrvec_push(&p->targets, t);
	return 0;
}

static const char *const begin_aliases[] = { "begin", NULL };
static const char *const end_aliases[] = { "end", NULL };

const struct provider provider_begin = {
	.name = "BEGIN",
	.aliases = begin_aliases,
	.prog_kind = RT_PROG_BEGIN,
	.section = "raw_tp",
	.resolve = special_resolve,
};

const struct provider provider_end = {
	.name = "END",
	.aliases = end_aliases,
	.prog_kind = RT_PROG_END,
	.section = "raw_tp",
	.resolve = special_resolve,
};
