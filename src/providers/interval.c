/* SPDX-License-Identifier: GPL-2.0-or-later */
/* interval:UNIT:N (i:s:1, interval:ms:100, interval:1s): a probe that
 * fires every N units on one CPU, from a CPU-clock perf event. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "providers/provider.h"
#include "sema.h"

static const struct {
	const char *unit;
	uint64_t ns;		/* one unit in ns; 0: hz (a frequency) */
} units[] = {
	{ "s", 1000000000ull }, { "ms", 1000000ull }, { "us", 1000ull },
	{ "ns", 1ull }, { "hz", 0 },
};

/* N as a positive decimal that fits in 32 bits */
static bool parse_count(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;

	if (!n || n > 10)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return v > 0 && v <= 0xffffffffull;
}

static int bad_interval(struct sema *s, struct ast_node *at)
{
	diag_error(s->diag, at->loc, "'%s' is not an interval: expected "
		   "interval:UNIT:N with UNIT s, ms, us, ns or hz, as in "
		   "interval:s:1", at->name);
	return -EINVAL;
}

static int interval_resolve(struct sema *s, struct sema_probe *p,
			    struct ast_node *at, const char *spec)
{
	const char *colon = strchr(spec, ':'), *unit, *num;
	size_t ulen, nlen;
	uint64_t count, period = 0;
	struct sema_target *t;

	if (colon) {		/* interval:s:1 */
		unit = spec;
		ulen = colon - spec;
		num = colon + 1;
		nlen = strlen(num);
	} else {		/* interval:1s */
		num = spec;
		nlen = strspn(spec, "0123456789");
		unit = spec + nlen;
		ulen = strlen(unit);
	}
	if (!parse_count(num, nlen, &count))
		return bad_interval(s, at);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strlen(units[i].unit) == ulen &&
		    !strncmp(units[i].unit, unit, ulen))
			period = units[i].ns ? units[i].ns * count
					     : 1000000000ull / count;
	if (!period)
		return bad_interval(s, at);
	t = arena_alloc(s->arena, sizeof(*t));
	t->period_ns = period;
	t->probe_id = sema_probe_name(
		s, arena_printf(s->arena, "interval:%.*s:%.*s", (int)ulen,
				unit, (int)nlen, num));
	ptrvec_push(&p->targets, t);
	return 0;
}

static const char *const interval_aliases[] = { "i", NULL };

const struct provider provider_interval = {
	.name = "interval",
	.aliases = interval_aliases,
	.prog_kind = RT_PROG_INTERVAL,
	.section = "perf_event",
	.resolve = interval_resolve,
};
