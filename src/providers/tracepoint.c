/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tracepoint:CAT:NAME (t:CAT:NAME, tp/CAT/NAME): kernel tracepoints. The
 * record's fields come from tracefs format files and type `args`. */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <string.h>
#include "providers/provider.h"
#include "runtime/tracefs.h"
#include "sema.h"

static bool has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* Split "CAT:NAME" (or "CAT/NAME") into two arena strings. */
/* CAT:NAME after "tracepoint:", CAT/NAME after "tp/": the separator is
 * the one after the provider's name, so that tp/sched:x is not taken for
 * a mix of both forms */
static int split_spec(struct sema *s, const char *spec, char sep,
		      const char **cat, const char **name)
{
	size_t n = strcspn(spec, ":/");

	if (spec[n] != sep || !n || !spec[n + 1] ||
	    strchr(spec + n + 1, ':') || strchr(spec + n + 1, '/'))
		return -EINVAL;
	*cat = arena_strndup(s->arena, spec, n);
	*name = arena_strdup(s->arena, spec + n + 1);
	return 0;
}

static void suggest(struct sema *s, const char *cat, const char *name)
{
	struct tp_list all = { 0 };
	const char **cands;
	const char *best;
	bool cat_exists = false;

	if (tracefs_glob("*", "*", &all) < 0 || !all.n)
		return;
	cands = xcalloc(all.n, sizeof(*cands));
	for (size_t i = 0; i < all.n; i++) {
		cands[i] = xasprintf("%s:%s", all.v[i].category, all.v[i].event);
		if (!strcmp(all.v[i].category, cat))
			cat_exists = true;
	}
	char *want = xasprintf("%s:%s", cat, name);
	best = diag_closest(want, cands, all.n);
	if (best)
		diag_plain_note(s->diag, "did you mean '%s'?", best);
	else if (!cat_exists)
		diag_plain_note(s->diag, "there is no tracepoint category '%s' "
				"(scry -l lists them)", cat);
	free(want);
	for (size_t i = 0; i < all.n; i++)
		free((char *)cands[i]);
	free(cands);
	tp_list_free(&all);
}

static int no_tracefs(struct sema *s, struct ast_node *attach)
{
	diag_error(s->diag, attach->loc,
		   "cannot find tracefs: mount it with 'mount -t tracefs "
		   "nodev /sys/kernel/tracing'");
	return -EINVAL;
}

static void add_target(struct sema *s, struct sema_probe *p,
		       const char *cat, const char *event)
{
	struct sema_target *t = arena_alloc(s->arena, sizeof(*t));

	t->category = arena_strdup(s->arena, cat);
	t->event = arena_strdup(s->arena, event);
	t->probe_id = sema_probe_name(
		s, arena_printf(s->arena, "tracepoint:%s:%s", cat, event));
	ptrvec_push(&p->targets, t);
}

static int tp_resolve(struct sema *s, struct sema_probe *p,
		      struct ast_node *attach, const char *spec)
{
	const char *cat, *name;
	struct tp_list l = { 0 };
	int err;

	char sep = spec > attach->name ? spec[-1] : ':';

	if (split_spec(s, spec, sep, &cat, &name) || !strcmp(cat, ".") ||
	    !strcmp(cat, "..") || !strcmp(name, ".") || !strcmp(name, "..")) {
		if (sep == '/')
			diag_error(s->diag, attach->loc,
				   "'%s' is not a tracepoint: expected "
				   "%.*s/CATEGORY/NAME", attach->name,
				   (int)(spec - 1 - attach->name), attach->name);
		else
			diag_error(s->diag, attach->loc,
				   "'%s' is not a tracepoint: expected "
				   "tracepoint:CATEGORY:NAME", attach->name);
		return -EINVAL;
	}
	if (!tracefs_root())
		return no_tracefs(s, attach);
	if (!has_glob(cat) && !has_glob(name)) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/events/%s/%s", tracefs_root(),
			 cat, name);
		struct stat sb;
		if (stat(path, &sb) || !S_ISDIR(sb.st_mode)) {
			/* config missing_probes = warn or ignore: skip it */
			if (s->missing_probes == 1)
				diag_warn(s->diag, attach->loc, "tracepoint "
					  "'%s:%s' does not exist: skipped",
					  cat, name);
			if (s->missing_probes)
				return 0;
			diag_error(s->diag, attach->loc,
				   "tracepoint '%s:%s' does not exist", cat,
				   name);
			suggest(s, cat, name);
			return -EINVAL;
		}
		add_target(s, p, cat, name);
		return 0;
	}
	err = tracefs_glob(cat, name, &l);
	if (err < 0) {
		diag_error(s->diag, attach->loc, "cannot list tracepoints: %s",
			   strerror(-err));
		return err;
	}
	if (!l.n) {
		diag_error(s->diag, attach->loc,
			   "no tracepoint matches '%s:%s'", cat, name);
		tp_list_free(&l);
		return -EINVAL;
	}
	for (size_t i = 0; i < l.n; i++)
		add_target(s, p, l.v[i].category, l.v[i].event);
	tp_list_free(&l);
	return 0;
}

/* Dynamic events (kprobe, uprobe, synthetic, eprobe, fprobe events)
 * appear in tracefs like tracepoints but are not kernel tracepoints: a
 * raw tracepoint cannot attach to them. tracefs lists them, one
 * "TYPE:GROUP/EVENT ..." per line, in dynamic_events. */
static bool is_dynamic_event(const char *cat, const char *event)
{
	static char *list;	/* "\nGROUP/EVENT\n..." read once */
	char *want;
	bool found;

	if (!list) {
		char path[4096], line[1024];
		size_t len = 1, cap = 64;
		FILE *f;

		list = xmalloc(cap);
		strcpy(list, "\n");
		snprintf(path, sizeof(path), "%s/dynamic_events",
			 tracefs_root());
		f = fopen(path, "re");
		while (f && fgets(line, sizeof(line), f)) {
			char *name = strchr(line, ':');
			size_t n;

			if (!name)
				continue;
			n = strcspn(++name, " \t\n");
			if (len + n + 2 > cap) {
				cap = (len + n + 2) * 2;
				list = xrealloc(list, cap);
			}
			memcpy(list + len, name, n);
			len += n;
			list[len++] = '\n';
			list[len] = 0;
		}
		if (f)
			fclose(f);
	}
	want = xasprintf("\n%s/%s\n", cat, event);
	found = strstr(list, want) != NULL;
	free(want);
	return found;
}

bool tp_is_kernel_tracepoint(const char *cat, const char *event)
{
	/* syscall events are ftrace's, built on raw_syscalls; the ftrace
	 * category holds the function tracer's own record formats */
	if (!strcmp(cat, "syscalls") || !strcmp(cat, "ftrace"))
		return false;
	return tracefs_root() && !is_dynamic_event(cat, event);
}

/* Raw tracepoint links carry a BPF cookie since Linux 6.10. */
bool tp_raw_cookies(void)
{
	static int known = -1;
	struct utsname u;
	unsigned major = 0, minor = 0;

	if (known < 0) {
		known = !uname(&u) &&
			sscanf(u.release, "%u.%u", &major, &minor) == 2 &&
			(major > 6 || (major == 6 && minor >= 10));
	}
	return known;
}

static bool tp_builtin(struct sema *s, struct sema_probe *p,
		       struct ast_node *n)
{
	if (strcmp(n->name, "args"))
		return false;
	n->type = type_simple(TY_ARGS);
	p->uses_args = true;
	return true;
}

/* Load the format of every target: args resolves against them. */
static int tp_prepare(struct sema *s, struct sema_probe *p)
{
	char err[256];

	for (size_t i = 0; i < p->targets.n; i++) {
		struct sema_target *t = p->targets.v[i];
		int r;

		if (t->fmt)
			continue;
		t->fmt = arena_alloc(s->arena, sizeof(*t->fmt));
		r = tracefs_format(t->category, t->event, t->fmt, err,
				   sizeof(err));
		if (r < 0) {
			diag_error(s->diag, p->node->loc,
				   "cannot read the format of tracepoint "
				   "'%s:%s': %s", t->category, t->event,
				   r == -EINVAL ? err : strerror(-r));
			t->fmt = NULL;
			return r;
		}
	}
	return 0;
}

static int tp_list(const char *spec, bool verbose, FILE *out)
{
	char cat[256], name[256];
	size_t n = strcspn(spec, ":/");

	if (!spec[n]) {
		/* one word: a name pattern in every category */
		snprintf(cat, sizeof(cat), "*");
		snprintf(name, sizeof(name), "%s", *spec ? spec : "*");
	} else {
		snprintf(cat, sizeof(cat), "%.*s", (int)n, spec);
		snprintf(name, sizeof(name), "%s",
			 spec[n + 1] ? spec + n + 1 : "*");
	}
	return tracefs_list(cat, name, verbose, out);
}

static const char *const tp_aliases[] = { "t", "tp", NULL };

const struct provider provider_tracepoint = {
	.name = "tracepoint",
	.aliases = tp_aliases,
	.prog_kind = RT_PROG_TRACEPOINT,
	.section = "tracepoint",
	.resolve = tp_resolve,
	.builtin = tp_builtin,
	.prepare = tp_prepare,
	.list = tp_list,
};
