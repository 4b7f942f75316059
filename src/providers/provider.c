/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The table of providers and attach-point prefix matching. */
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "providers/provider.h"

static const struct provider *const providers[] = {
	&provider_tracepoint,
	&provider_begin,
	&provider_end,
	&provider_interval,
};
#define NPROVIDERS (sizeof(providers) / sizeof(providers[0]))

static bool name_is(const struct provider *p, const char *s, size_t n)
{
	if (strlen(p->name) == n && !strncmp(p->name, s, n))
		return true;
	for (const char *const *a = p->aliases; a && *a; a++)
		if (strlen(*a) == n && !strncmp(*a, s, n))
			return true;
	return false;
}

const struct provider *provider_find(const char *text, const char **spec)
{
	size_t n = strcspn(text, ":/");

	/* BEGIN and END are whole words with nothing after them */
	if (!text[n]) {
		for (size_t i = 0; i < NPROVIDERS; i++)
			if (name_is(providers[i], text, n)) {
				*spec = text + n;
				return providers[i];
			}
		return NULL;
	}
	for (size_t i = 0; i < NPROVIDERS; i++) {
		if (!name_is(providers[i], text, n))
			continue;
		/* the libbpf section form tp/CAT/NAME */
		if (text[n] == '/' && providers[i] != &provider_tracepoint)
			return NULL;
		*spec = text + n + 1;
		return providers[i];
	}
	return NULL;
}

void provider_suggest(struct diag *d, const char *name, size_t n)
{
	const char *cands[32], *best;
	size_t nc = 0;
	char *want = xasprintf("%.*s", (int)n, name);

	for (size_t i = 0; i < NPROVIDERS; i++) {
		cands[nc++] = providers[i]->name;
		for (const char *const *a = providers[i]->aliases; a && *a; a++)
			cands[nc++] = *a;
	}
	best = diag_closest(want, cands, nc);
	free(want);
	if (best) {
		diag_plain_note(d, "did you mean '%s'?", best);
		return;
	}
	diag_plain_note(d, "supported probe types: tracepoint (t, tp), "
			"interval (i), BEGIN, END");
}

int provider_list(const char *pattern, bool verbose, FILE *out)
{
	const struct provider *p;
	const char *spec = "";

	if (!pattern || !*pattern)
		return provider_tracepoint.list("*:*", verbose, out);
	p = provider_find(pattern, &spec);
	if (p && p->list)
		return p->list(spec, verbose, out);
	if (p)
		return 0;
	/* no provider prefix: "sched:*" or "sys_enter_open*" are
	 * tracepoint patterns, as tracepoints are all we list */
	return provider_tracepoint.list(pattern, verbose, out);
}
