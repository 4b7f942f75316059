/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Before names and types are checked: the config block, imports, and
 * macros. Macros expand in the AST, hygienically: parameters are
 * substituted (expressions, variables, maps), the body's own variables
 * are renamed per expansion. The stdlib (macros written in scry) is read
 * only when a call names no builtin and no macro of the program. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "lexer.h"
#include "sema.h"
#include "stdlib/builtins.h"

#define MACRO_MAX_DEPTH 32

struct macro {
	struct ast_node *def;
	bool foreign;		/* from another file: locate at the call */
};

/* ---- cloning with substitution ------------------------------------- */

struct subst {
	struct ast_node *params, *args;	/* parallel lists */
	unsigned serial;		/* this expansion's number */
	struct loc at;			/* call site, for foreign bodies */
	bool foreign;
	bool caller;			/* cloning the caller's argument */
	const char *name;		/* the macro */
};

static struct ast_node *clone(struct sema *s, struct ast_node *n,
			      struct subst *sb);

static struct ast_node *clone_list(struct sema *s, struct ast_node *l,
				   struct subst *sb)
{
	struct ast_node *head = NULL, *tail = NULL;

	for (; l; l = l->next) {
		struct ast_node *c = clone(s, l, sb);
		if (tail)
			tail->next = c;
		else
			head = c;
		tail = c;
	}
	return head;
}

/* The argument standing for parameter name, or NULL. */
static struct ast_node *arg_for(struct subst *sb, enum ast_kind kind,
				const char *name)
{
	struct ast_node *p = sb->params, *a = sb->args;

	for (; p && a; p = p->next, a = a->next)
		if (p->kind == kind && !strcmp(p->name, name))
			return a;
	return NULL;
}

/* Expansions that copy their argument several times grow exponentially
 * when nested (d(d(d(...))) with d(x) { x + x }): stop at this many
 * copied nodes with an error. */
#define MACRO_MAX_NODES 1000000

static struct ast_node *clone(struct sema *s, struct ast_node *n,
			      struct subst *sb)
{
	struct ast_node *c, *a;

	if (!n)
		return NULL;
	if (++s->macro_nodes > MACRO_MAX_NODES) {
		if (s->macro_nodes == MACRO_MAX_NODES + 1)
			diag_error(s->diag, sb->at, "expanding macro '%s' "
				   "here makes more than %d nodes", sb->name,
				   MACRO_MAX_NODES);
		c = arena_alloc(s->arena, sizeof(*c));
		c->kind = AST_INT;
		c->loc = sb->at;
		return c;
	}
	if (n->kind == AST_IDENT && (a = arg_for(sb, AST_IDENT, n->name))) {
		struct subst none = { .at = sb->at, .caller = true,
				      .name = sb->name };
		c = clone(s, a, &none);	/* the caller's expression, as is */
		c->next = NULL;
		return c;
	}
	c = arena_alloc(s->arena, sizeof(*c));
	*c = *n;
	c->next = NULL;
	if (sb->foreign)
		c->loc = sb->at;
	if (sb->caller) {
		/* the caller's names stay */
	} else if (n->kind == AST_VAR && n->name[1] != '#' &&
		   !(n->name[1] >= '0' && n->name[1] <= '9')) {
		a = arg_for(sb, AST_VAR, n->name);
		c->name = a ? a->name
			    : arena_printf(s->arena, "$__m%u_%s", sb->serial,
					   n->name + 1);
	} else if ((n->kind == AST_MAP) && (a = arg_for(sb, AST_MAP, n->name))) {
		c->name = a->name;
	} else if ((n->kind == AST_FOR || n->kind == AST_LET) && n->name) {
		a = arg_for(sb, AST_VAR, n->name);
		c->name = a ? a->name
			    : arena_printf(s->arena, "$__m%u_%s", sb->serial,
					   n->name + 1);
	}
	c->a = clone(s, n->a, sb);
	c->b = clone(s, n->b, sb);
	c->c = clone(s, n->c, sb);
	c->list = clone_list(s, n->list, sb);
	c->body = clone(s, n->body, sb);
	return c;
}

/* ---- the macro table -------------------------------------------------- */

static struct macro *find_macro(struct sema *s, const char *name)
{
	for (size_t i = 0; i < s->macros.n; i++) {
		struct macro *m = s->macros.v[i];
		if (!strcmp(m->def->name, name))
			return m;
	}
	return NULL;
}

/* Two parameters of one name: the second would hide the first, and the
 * argument given for the first would be dropped without a word. */
static void check_params(struct sema *s, struct ast_node *def)
{
	for (struct ast_node *p = def->list; p; p = p->next)
		for (struct ast_node *q = def->list; q != p; q = q->next)
			if (!strcmp(p->name, q->name)) {
				diag_error(s->diag, p->loc, "macro '%s' has "
					   "two parameters named '%s'",
					   def->name, p->name);
				return;
			}
}

static void add_macro(struct sema *s, struct ast_node *def, bool foreign)
{
	struct macro *m;

	if (builtin_find(def->name, BI_FUNC) || builtin_find(def->name, BI_AGG) ||
	    builtin_find(def->name, BI_VAR)) {
		diag_error(s->diag, def->loc, "'%s' is a builtin; a macro "
			   "cannot take its name", def->name);
		return;
	}
	if (find_macro(s, def->name)) {
		if (!foreign)
			diag_error(s->diag, def->loc, "macro '%s' is defined "
				   "twice", def->name);
		return;	/* the program's own one wins over the stdlib's */
	}
	check_params(s, def);
	m = arena_alloc(s->arena, sizeof(*m));
	m->def = def;
	m->foreign = foreign;
	ptrvec_push(&s->macros, m);
}

/* ---- reading other files --------------------------------------------- */

/* Parse path and take its macros (and, for imports, its probes: they
 * are appended to the program). Errors are reported against that file. */
static int read_file(struct sema *s, const char *path, bool take_probes,
		     struct ast_node *program)
{
	FILE *f = fopen(path, "r");
	struct source *src;
	struct diag *d;
	struct ast_node *prog = NULL, *n, *next;
	char *text;
	long len;

	struct stat sb;

	if (!f)
		return -errno;
	/* only a regular file of sane size: not a directory, a device or
	 * a FIFO, whose "size" means nothing */
	if (fstat(fileno(f), &sb) || !S_ISREG(sb.st_mode) ||
	    sb.st_size > (16 << 20)) {
		int err = S_ISDIR(sb.st_mode) ? -EISDIR
			  : S_ISREG(sb.st_mode) ? -EFBIG : -ENODEV;
		fclose(f);
		return err;
	}
	len = sb.st_size;
	text = arena_alloc(s->arena, len + 1);
	if (fread(text, 1, len, f) != (size_t)len) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	src = arena_alloc(s->arena, sizeof(*src));
	src->name = arena_strdup(s->arena, path);
	src->text = text;
	src->len = len;
	d = arena_alloc(s->arena, sizeof(*d));
	diag_init(d, src, s->diag->out ? s->diag->out : stderr);
	if (parse_program(s->arena, d, src, &prog) || !prog) {
		s->diag->errors += d->errors ? d->errors : 1;
		return -EINVAL;
	}
	for (n = prog->list; n; n = next) {
		next = n->next;
		n->next = NULL;
		if (n->kind == AST_MACRO)
			add_macro(s, n, true);
		else if (n->kind == AST_PROBE && take_probes)
			program->list = ast_append(program->list, n);
	}
	return 0;
}

/* The stdlib's directory: SCRY_STDLIB, the installed one, or the source
 * tree's (running from a build directory). */
static const char *stdlib_dir(void)
{
	const char *env = getenv("SCRY_STDLIB");

	if (env)
		return env;
	if (!access(SCRY_DATADIR "/stdlib", R_OK))
		return SCRY_DATADIR "/stdlib";
	return SCRY_SRC_STDLIB;
}

static int filter_bt(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return n > 3 && !strcmp(e->d_name + n - 3, ".bt");
}

static void load_stdlib(struct sema *s)
{
	const char *dir = stdlib_dir();
	struct dirent **ents;
	int n;

	if (s->stdlib_loaded)
		return;
	s->stdlib_loaded = true;
	n = scandir(dir, &ents, filter_bt, alphasort);
	for (int i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, ents[i]->d_name);
		read_file(s, path, false, NULL);
		free(path);
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
}

/* ---- expansion --------------------------------------------------------- */

static void expand(struct sema *s, struct ast_node *n, bool stmt, int depth);
static void expand_node(struct sema *s, struct ast_node *n, bool stmt,
			int depth);

static void expand_list(struct sema *s, struct ast_node *l, bool stmts,
			int depth)
{
	for (; l; l = l->next)
		expand(s, l, stmts, depth);
}

/* Replace call n (a statement when stmt) by the macro's body. */
static void expand_call(struct sema *s, struct ast_node *n, struct macro *m,
			bool stmt, int depth)
{
	struct ast_node *def = m->def, *body = def->body->list, *keep = n->next;
	struct subst sb = { .params = def->list, .args = n->list,
			    .serial = ++s->macro_serial, .at = n->loc,
			    .foreign = m->foreign, .name = def->name };
	struct ast_node *p, *a;

	if (depth > MACRO_MAX_DEPTH) {
		diag_error(s->diag, n->loc, "macro '%s' expands too deeply "
			   "(is it recursive?)", def->name);
		return;
	}
	if (ast_count(def->list) != ast_count(n->list)) {
		diag_error(s->diag, n->loc, "macro '%s' takes %zu argument%s, "
			   "%zu given", def->name, ast_count(def->list),
			   ast_count(def->list) == 1 ? "" : "s",
			   ast_count(n->list));
		return;
	}
	for (p = def->list, a = n->list; p; p = p->next, a = a->next) {
		if (p->kind == AST_VAR && a->kind != AST_VAR) {
			diag_error(s->diag, a->loc, "macro '%s' needs a "
				   "variable for '%s'", def->name, p->name);
			return;
		}
		if (p->kind == AST_MAP && (a->kind != AST_MAP || a->list)) {
			diag_error(s->diag, a->loc, "macro '%s' needs a map "
				   "for '%s'", def->name, p->name);
			return;
		}
	}
	if (stmt) {	/* the statements, as a block */
		struct ast_node *blk = clone(s, def->body, &sb);
		*n = *blk;
		n->kind = AST_BLOCK;
		n->next = keep;
		expand_list(s, n->list, true, depth + 1);
		return;
	}
	if (!body || body->next || body->kind != AST_EXPR_STMT) {
		diag_error(s->diag, n->loc, "macro '%s' has statements, not a "
			   "value: call it as a statement", def->name);
		return;
	}
	struct ast_node *e = clone(s, body->a, &sb);
	*n = *e;
	n->next = keep;
	expand(s, n, false, depth + 1);
}

static bool is_builtin_call(const char *name)
{
	return builtin_find(name, BI_FUNC) || builtin_find(name, BI_AGG);
}

static void expand(struct sema *s, struct ast_node *n, bool stmt, int depth)
{
	if (!n)
		return;
	/* sema refuses deeper trees with a located error; stop here too
	 * rather than recurse through them */
	if (++s->depth > 600) {
		s->depth--;
		return;
	}
	expand_node(s, n, stmt, depth);
	s->depth--;
}

static void expand_node(struct sema *s, struct ast_node *n, bool stmt,
			int depth)
{
	if (stmt && n->kind == AST_EXPR_STMT && n->a->kind == AST_CALL &&
	    !is_builtin_call(n->a->name)) {
		struct macro *m = find_macro(s, n->a->name);
		if (!m) {
			load_stdlib(s);
			m = find_macro(s, n->a->name);
		}
		if (m) {
			struct ast_node *call = n->a;
			call->next = NULL;
			expand_list(s, call->list, false, depth);
			n->a = call;
			/* the statement becomes the macro's block */
			struct ast_node *keep = n->next;
			*n = *call;
			n->next = keep;
			expand_call(s, n, m, true, depth);
			return;
		}
	}
	/* a macro without parameters may be named bare, as a #define is */
	if (!stmt && n->kind == AST_IDENT && !builtin_find(n->name, BI_VAR)) {
		struct macro *m = find_macro(s, n->name);
		if (m && !m->def->list) {
			n->kind = AST_CALL;
			n->list = NULL;
			expand_call(s, n, m, false, depth);
			return;
		}
	}
	if (!stmt && n->kind == AST_CALL && !is_builtin_call(n->name)) {
		struct macro *m = find_macro(s, n->name);
		if (!m) {
			load_stdlib(s);
			m = find_macro(s, n->name);
		}
		if (m) {
			expand_list(s, n->list, false, depth);
			expand_call(s, n, m, false, depth);
			return;
		}
	}
	/* statements hold statements in their blocks, the rest holds
	 * expressions */
	bool blocks = n->kind == AST_BLOCK;
	expand(s, n->a, false, depth);
	expand(s, n->b, n->kind == AST_IF || n->kind == AST_WHILE ||
			       n->kind == AST_UNROLL || n->kind == AST_FOR,
	       depth);
	expand(s, n->c, n->kind == AST_IF, depth);
	expand_list(s, n->list, blocks, depth);
	if (n->body)
		expand(s, n->body, true, depth);
}

/* ---- map declarations ---------------------------------------------------- */

/* let @m = hash(N); as the newest bpftrace has them: the map's kind and
 * capacity. scry keeps aggregations per CPU whatever the kind says. */
static const char *const map_kinds[] = { "hash", "lruhash", "percpuhash",
					 "percpulruhash" };

struct ast_node *sema_map_decl(struct sema *s, const char *name)
{
	for (size_t i = 0; i < s->map_decls.n; i++) {
		struct ast_node *d = s->map_decls.v[i];
		if (!strcmp(d->name, name))
			return d;
	}
	return NULL;
}

static void declare_map(struct sema *s, struct ast_node *n)
{
	struct ast_node *prev = sema_map_decl(s, n->name);
	bool known = false;

	for (size_t i = 0; i < sizeof(map_kinds) / sizeof(map_kinds[0]); i++)
		known |= !strcmp(n->b->name, map_kinds[i]);
	if (!known) {
		diag_error(s->diag, n->b->loc, "unknown map kind '%s'",
			   n->b->name);
		diag_plain_note(s->diag, "the kinds are hash, lruhash, "
				"percpuhash and percpulruhash");
		return;
	}
	if (n->a->kind != AST_INT || n->a->ival < 1 ||
	    n->a->ival > (1 << 24)) {
		diag_error(s->diag, n->a->loc, "a map declaration takes its "
			   "number of entries, from 1 to %d", 1 << 24);
		return;
	}
	if (prev) {
		diag_error(s->diag, n->loc, "map '%s' is declared twice",
			   n->name);
		diag_note(s->diag, prev->loc, "first declared here");
		return;
	}
	ptrvec_push(&s->map_decls, n);
}

void sema_check_map_decls(struct sema *s)
{
	for (size_t i = 0; i < s->map_decls.n; i++) {
		struct ast_node *d = s->map_decls.v[i];
		struct sema_map *m = NULL;

		for (size_t j = 0; j < s->maps.n && !m; j++)
			if (!strcmp(((struct sema_map *)s->maps.v[j])->name,
				    d->name))
				m = s->maps.v[j];
		if (!m) {
			diag_warn(s->diag, d->loc, "map '%s' is declared but "
				  "never used", d->name);
			continue;
		}
		if (!strncmp(d->b->name, "percpu", 6) && m->agg == RT_AGG_NONE)
			diag_error(s->diag, d->b->loc, "'%s' is a per-CPU "
				   "kind, for aggregations (count(), sum()...); "
				   "'%s' holds plain values", d->b->name,
				   d->name);
	}
}

/* ---- config ------------------------------------------------------------ */

static void apply_config(struct sema *s, struct ast_node *cfg)
{
	for (struct ast_node *it = cfg->list; it; it = it->next) {
		const char *name = it->name;
		unsigned *slot = NULL;
		uint64_t lo = 1, hi = 1u << 24, v;

		if (!strncasecmp(name, "BPFTRACE_", 9))
			name += 9;
		if (!strcasecmp(name, "missing_probes")) {
			static const char *const modes[] = { "error", "warn",
							     "ignore" };
			const char *v = it->b->kind == AST_IDENT ? it->b->name
				: it->b->kind == AST_STRING ? it->b->str : "";
			int m = -1;
			for (int k = 0; k < 3; k++)
				if (!strcmp(v, modes[k]))
					m = k;
			if (m < 0)
				diag_error(s->diag, it->b->loc, "missing_probes "
					   "is error, warn or ignore");
			else
				s->missing_probes = m;
			continue;
		}
		if (!strcasecmp(name, "max_strlen")) {
			slot = &s->strlen_default;
			hi = SCRY_MAX_STRLEN;
		} else if (!strcasecmp(name, "max_map_keys") ||
			   !strcasecmp(name, "map_keys")) {
			slot = &s->map_keys;
		} else if (!strcasecmp(name, "perf_rb_pages")) {
			slot = &s->ringbuf_size;
			hi = 1 << 16;
		} else if (!strcasecmp(name, "max_bpf_progs")) {
			slot = &s->max_bpf_progs;
		} else if (!strcasecmp(name, "max_probes")) {
			slot = &s->max_probes;
		} else {
			diag_error(s->diag, it->loc, "unknown config variable "
				   "'%s'", it->name);
			diag_plain_note(s->diag, "scry knows max_strlen, "
					"max_map_keys, perf_rb_pages, "
					"max_bpf_progs, max_probes and "
					"missing_probes");
			continue;
		}
		if (it->b->kind != AST_INT || it->b->ival < lo ||
		    it->b->ival > hi) {
			diag_error(s->diag, it->b->loc, "config variable '%s' "
				   "takes a number from %llu to %llu", it->name,
				   (unsigned long long)lo,
				   (unsigned long long)hi);
			continue;
		}
		if (*slot)	/* the environment takes precedence */
			continue;
		v = it->b->ival;
		if (slot == &s->ringbuf_size) {
			unsigned p2 = 1;
			while (p2 < v)
				p2 <<= 1;
			v = (uint64_t)p2 * sysconf(_SC_PAGESIZE);
		}
		*slot = v;
	}
}

int sema_preprocess(struct sema *s, struct ast_node *program)
{
	struct ast_node *n, *probes = NULL, *next;
	bool seen_probe = false;

	for (n = s->defines; n; n = n->next)
		if (n->kind == AST_MACRO)
			add_macro(s, n, true);
	for (n = program->list; n; n = n->next) {
		switch (n->kind) {
		case AST_CONFIG:
			if (seen_probe || n != program->list)
				diag_error(s->diag, n->loc, "a config block "
					   "must come first");
			apply_config(s, n);
			break;
		case AST_IMPORT: {
			char *path = arena_strndup(s->arena, n->str, n->slen);
			if (strlen(path) != n->slen) {
				diag_error(s->diag, n->loc, "an import path "
					   "cannot hold a NUL byte");
				break;
			}
			const char *me = s->diag->src->name, *slash;
			/* a relative path is the importing script's neighbour
			 * (-e programs: the current directory's) */
			if (path[0] != '/' && (slash = strrchr(me, '/')) &&
			    strcmp(me, "<stdin>"))
				path = arena_printf(s->arena, "%.*s/%s",
						    (int)(slash - me), me, path);
			int err;
			if (seen_probe)
				diag_error(s->diag, n->loc, "imports must come "
					   "before probes and macros");
			err = read_file(s, path, true, program);
			if (err && err != -EINVAL)
				diag_error(s->diag, n->loc, "cannot import "
					   "'%s': %s", path, err == -ENODEV
					   ? "not a regular file" : strerror(-err));
			break;
		}
		case AST_MACRO:
			seen_probe = true;
			add_macro(s, n, false);
			break;
		case AST_MAPDECL:
			declare_map(s, n);
			break;
		default:
			seen_probe = true;
			break;
		}
	}
	/* keep only the probes in the program's list */
	for (n = program->list; n; n = next) {
		next = n->next;
		n->next = NULL;
		if (n->kind == AST_PROBE)
			probes = ast_append(probes, n);
	}
	program->list = probes;
	for (n = program->list; n; n = n->next) {
		expand(s, n->a, false, 0);
		expand(s, n->body, true, 0);
	}
	return s->diag->errors ? -EINVAL : 0;
}
