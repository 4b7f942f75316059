/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The C preprocessor lines bpftrace scripts carry: #include, #define,
 * #undef, #if/#ifdef/#ifndef/#elif/#else/#endif, #error. bpftrace runs
 * clang's preprocessor; scry does what its scripts need, in place:
 * directive lines and inactive branches become blanks of the same length,
 * so every byte offset, line and column in messages is the user's. Each
 * #define becomes a macro (NAME, or NAME(a, b) with parameters), written
 * into a second source on the define's own line, so that scripts read
 * TASK_RUNNING or AF_INET as the bare identifiers macros allow.
 *
 * scry reads no C headers: #include is accepted and skipped, except that
 * the syscall headers define __NR_name and SYS_name, and BTF stands for
 * the kernel's types, so BPFTRACE_HAVE_BTF is defined when the kernel
 * has it. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "arena.h"
#include "preproc.h"
#include "providers/provider.h"

#define MAX_NESTING 64

struct define {
	const char *name;
	const char *value;	/* as written */
};

struct pp {
	struct arena *arena;
	struct diag *diag;
	const struct source *in;
	char *out;			/* the text the parser reads */
	char *defs;			/* the macros' source */
	size_t defs_len, defs_cap;
	unsigned defs_line;		/* lines written to defs */
	unsigned line;			/* the scan's line, 1-based */
	struct define *v;
	size_t n, cap;
	bool syscalls;			/* a syscall header was included */
	/* the conditional stack: is this level taking lines, did one of
	 * its branches already, was #else seen, where it began */
	struct {
		bool active, taken, in_else;
		unsigned begin;
	} level[MAX_NESTING];
	int depth;
};

static struct define *find(struct pp *p, const char *name, size_t len)
{
	for (size_t i = p->n; i-- > 0;)
		if (strlen(p->v[i].name) == len &&
		    !memcmp(p->v[i].name, name, len))
			return &p->v[i];
	return NULL;
}

static bool is_defined(struct pp *p, const char *name, size_t len)
{
	char *s;
	long nr;

	if (find(p, name, len))
		return true;
	if (!p->syscalls)
		return false;
	s = arena_strndup(p->arena, name, len);
	nr = !strncmp(s, "__NR_", 5) ? syscall_nr_by_name(s + 5)
	     : !strncmp(s, "SYS_", 4) ? syscall_nr_by_name(s + 4) : -1;
	return nr >= 0;
}

static bool active(const struct pp *p)
{
	return p->depth == 0 || p->level[p->depth - 1].active;
}

static void defs_put(struct pp *p, const char *s, size_t n)
{
	if (p->defs_len + n + 1 > p->defs_cap) {
		p->defs_cap = (p->defs_len + n + 1) * 2;
		p->defs = xrealloc(p->defs, p->defs_cap);
	}
	memcpy(p->defs + p->defs_len, s, n);
	p->defs_len += n;
	p->defs[p->defs_len] = 0;
}

/* Write "macro NAME(params){ value }" on line `line` of the macros'
 * source (1-based), the value at column `col` (0-based) as on the
 * define's line where it fits, so messages point where the user wrote. */
static void defs_macro(struct pp *p, unsigned line, unsigned col,
		       const char *head, size_t head_len, const char *value,
		       size_t value_len)
{
	size_t start;

	while (p->defs_line + 1 < line) {
		defs_put(p, "\n", 1);
		p->defs_line++;
	}
	start = p->defs_len;
	defs_put(p, "macro ", 6);
	defs_put(p, head, head_len);
	if (!memchr(head, '(', head_len))
		defs_put(p, "()", 2);
	defs_put(p, "{", 1);
	while (p->defs_len - start < col)
		defs_put(p, " ", 1);
	defs_put(p, value, value_len);
	defs_put(p, " }\n", 3);
	p->defs_line++;
}

static unsigned col_of(const struct pp *p, const char *at)
{
	const char *b = at;

	while (b > p->in->text && b[-1] != '\n')
		b--;
	return (unsigned)(at - b);
}

/* Count the lines of text[b, e) into p->line: the scan goes a line at
 * a time, so a define knows its line without counting from the start. */
static void pass_lines(struct pp *p, size_t b, size_t e)
{
	const char *t = p->in->text;

	for (const char *nl; b < e && (nl = memchr(t + b, '\n', e - b));
	     b = nl - t + 1)
		p->line++;
}

static void add_define(struct pp *p, const char *name, const char *value)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->v = xrealloc(p->v, p->cap * sizeof(*p->v));
	}
	p->v[p->n++] = (struct define){ name, value };
}

static struct loc span(unsigned b, unsigned e)
{
	return (struct loc){ b, e };
}

/* ---- #if expressions ------------------------------------------------- */

struct cond {
	struct pp *p;
	const char *s, *end;
	unsigned base;		/* offset of s in the source */
	bool bad;
};

static void skip_ws(struct cond *c)
{
	while (c->s < c->end && isspace((unsigned char)*c->s))
		c->s++;
}

static bool eat(struct cond *c, const char *tok)
{
	size_t n = strlen(tok);

	skip_ws(c);
	if ((size_t)(c->end - c->s) >= n && !memcmp(c->s, tok, n)) {
		c->s += n;
		return true;
	}
	return false;
}

static long long cond_or(struct cond *c);

static size_t ident_len(const char *s, const char *end)
{
	size_t n = 0;

	if (s < end && (isalpha((unsigned char)*s) || *s == '_'))
		while (s + n < end &&
		       (isalnum((unsigned char)s[n]) || s[n] == '_'))
			n++;
	return n;
}

static long long cond_primary(struct cond *c)
{
	size_t n;

	skip_ws(c);
	if (eat(c, "!"))
		return !cond_primary(c);
	if (eat(c, "(")) {
		long long v = cond_or(c);
		if (!eat(c, ")"))
			c->bad = true;
		return v;
	}
	if (c->s < c->end && isdigit((unsigned char)*c->s)) {
		char *e;
		long long v = strtoll(c->s, &e, 0);
		c->s = e;
		while (c->s < c->end && strchr("uUlL", *c->s))
			c->s++;
		return v;
	}
	n = ident_len(c->s, c->end);
	if (!n) {
		c->bad = true;
		return 0;
	}
	if (n == 7 && !memcmp(c->s, "defined", 7)) {
		bool paren;
		c->s += n;
		paren = eat(c, "(");
		skip_ws(c);
		n = ident_len(c->s, c->end);
		if (!n)
			c->bad = true;
		bool d = is_defined(c->p, c->s, n);
		c->s += n;
		if (paren && !eat(c, ")"))
			c->bad = true;
		return d;
	}
	/* a name: its value when it is a number, else 0 as in C */
	struct define *d = find(c->p, c->s, n);
	c->s += n;
	if (d && d->value) {
		char *e;
		long long v = strtoll(d->value, &e, 0);
		return *e ? 0 : v;
	}
	return 0;
}

static long long cond_cmp(struct cond *c)
{
	long long v = cond_primary(c);

	for (;;) {
		if (eat(c, "=="))
			v = v == cond_primary(c);
		else if (eat(c, "!="))
			v = v != cond_primary(c);
		else if (eat(c, "<="))
			v = v <= cond_primary(c);
		else if (eat(c, ">="))
			v = v >= cond_primary(c);
		else if (eat(c, "<"))
			v = v < cond_primary(c);
		else if (eat(c, ">"))
			v = v > cond_primary(c);
		else
			return v;
	}
}

static long long cond_and(struct cond *c)
{
	long long v = cond_cmp(c);

	while (eat(c, "&&")) {
		long long r = cond_cmp(c);
		v = v && r;
	}
	return v;
}

static long long cond_or(struct cond *c)
{
	long long v = cond_and(c);

	while (eat(c, "||")) {
		long long r = cond_and(c);
		v = v || r;
	}
	return v;
}

/* The value of the #if/#elif condition at [s, end). */
static bool eval(struct pp *p, const char *s, const char *end, unsigned off)
{
	struct cond c = { .p = p, .s = s, .end = end, .base = off };
	long long v = cond_or(&c);

	skip_ws(&c);
	if (c.bad || c.s != c.end) {
		diag_error(p->diag, span(off, off + (unsigned)(end - s)),
			   "scry cannot evaluate this condition: it knows "
			   "numbers, defined(NAME), names #defined as numbers, "
			   "!, ==, !=, <, >, <=, >=, && and ||");
		return false;
	}
	return v != 0;
}

/* ---- directives ------------------------------------------------------ */

static const char *syscall_headers[] = {
	"syscall.h", "sys/syscall.h", "asm/unistd.h", "linux/unistd.h",
	"asm/unistd_64.h", "unistd.h",
};

static void do_include(struct pp *p, const char *arg, const char *end)
{
	const char *b = arg, *e;

	if (b < end && (*b == '<' || *b == '"'))
		b++;
	for (e = b; e < end && *e != '>' && *e != '"'; e++)
		;
	for (size_t i = 0; i < sizeof(syscall_headers) /
				   sizeof(syscall_headers[0]); i++)
		if (strlen(syscall_headers[i]) == (size_t)(e - b) &&
		    !memcmp(syscall_headers[i], b, e - b))
			p->syscalls = true;
}

static void do_define(struct pp *p, const char *arg, const char *end,
		      unsigned off)
{
	size_t n = ident_len(arg, end);
	const char *head_end, *v;

	if (!n) {
		diag_error(p->diag, span(off, off + (unsigned)(end - arg)),
			   "#define needs a name");
		return;
	}
	head_end = arg + n;
	if (head_end < end && *head_end == '(') {	/* NAME(a, b) */
		const char *close = memchr(head_end, ')', end - head_end);
		if (!close) {
			diag_error(p->diag, span(off, off + (unsigned)(end - arg)),
				   "#define %.*s( has no closing ')'", (int)n,
				   arg);
			return;
		}
		head_end = close + 1;
	}
	for (v = head_end; v < end && isspace((unsigned char)*v); v++)
		;
	while (end > v && isspace((unsigned char)end[-1]))
		end--;
	add_define(p, arena_strndup(p->arena, arg, n),
		   arena_strndup(p->arena, v, end - v));
	/* an empty define is only for #ifdef */
	if (end > v)
		defs_macro(p, p->line, col_of(p, v), arg, head_end - arg, v,
			   end - v);
}

static void do_undef(struct pp *p, const char *arg, const char *end)
{
	size_t n = ident_len(arg, end);
	struct define *d = find(p, arg, n);

	(void)end;
	if (d)
		d->name = "";	/* hidden: find() never matches "" */
}

static void push(struct pp *p, bool cond, unsigned off)
{
	bool outer = active(p);

	if (p->depth == MAX_NESTING) {
		diag_error(p->diag, span(off, off + 1), "conditionals are "
			   "nested more than %d deep", MAX_NESTING);
		return;
	}
	p->level[p->depth++] = (typeof(p->level[0])){
		.active = outer && cond, .taken = cond, .begin = off };
	if (!outer)
		p->level[p->depth - 1].taken = true;	/* no branch runs */
}

/* One directive: name [name_end) and its argument [arg, end). */
static void directive(struct pp *p, const char *name, size_t nlen,
		      const char *arg, const char *end, unsigned off)
{
	unsigned aoff = (unsigned)(arg - p->in->text);
	struct loc where = span(off, (unsigned)(end - p->in->text));

#define IS(s) (nlen == strlen(s) && !memcmp(name, s, nlen))
	if (IS("ifdef") || IS("ifndef")) {
		size_t n = ident_len(arg, end);
		bool d = is_defined(p, arg, n);
		push(p, IS("ifdef") ? d : !d, off);
	} else if (IS("if")) {
		push(p, active(p) && eval(p, arg, end, aoff), off);
	} else if (IS("elif") || IS("else")) {
		typeof(p->level[0]) *l;
		bool outer;

		if (!p->depth) {
			diag_error(p->diag, where, "#%.*s without #if",
				   (int)nlen, name);
			return;
		}
		l = &p->level[p->depth - 1];
		if (l->in_else) {
			diag_error(p->diag, where, "#%.*s after #else",
				   (int)nlen, name);
			return;
		}
		p->depth--;
		outer = active(p);
		p->depth++;
		if (IS("else")) {
			l->in_else = true;
			l->active = outer && !l->taken;
			l->taken = true;
		} else {
			bool c = outer && !l->taken && eval(p, arg, end, aoff);
			l->active = c;
			l->taken = l->taken || c;
		}
	} else if (IS("endif")) {
		if (!p->depth)
			diag_error(p->diag, where, "#endif without #if");
		else
			p->depth--;
	} else if (!active(p)) {
		return;		/* the rest only counts in taken branches */
	} else if (IS("include")) {
		do_include(p, arg, end);
	} else if (IS("define")) {
		do_define(p, arg, end, aoff);
	} else if (IS("undef")) {
		do_undef(p, arg, end);
	} else if (IS("error")) {
		diag_error(p->diag, where, "#error %.*s", (int)(end - arg), arg);
	} else if (IS("pragma") || IS("warning") || IS("line")) {
		/* nothing scry acts on */
	} else {
		diag_error(p->diag, span(off, off + 1 + (unsigned)nlen),
			   "unknown preprocessor directive '#%.*s'", (int)nlen,
			   name);
	}
#undef IS
}

/* After a syscall header: __NR_name and SYS_name, for the names the
 * program uses, as macros after the defines. */
static void syscall_macros(struct pp *p)
{
	const char *t = p->out, *end = t + strlen(t);

	for (size_t i = 0; t[i]; i++) {
		size_t n, skip;
		long nr;
		char *name, *val;

		if ((i && (isalnum((unsigned char)t[i - 1]) || t[i - 1] == '_')) ||
		    (strncmp(t + i, "__NR_", 5) && strncmp(t + i, "SYS_", 4)))
			continue;
		n = ident_len(t + i, end);
		skip = t[i] == '_' ? 5 : 4;
		name = arena_strndup(p->arena, t + i, n);
		nr = syscall_nr_by_name(name + skip);
		i += n - 1;
		if (nr < 0 || find(p, name, n))
			continue;
		val = arena_printf(p->arena, "%ld", nr);
		add_define(p, name, val);
		defs_macro(p, p->defs_line + 1, 0, name, n, val, strlen(val));
	}
}

/* ---- the scan -------------------------------------------------------- */

/* The end of the directive starting at text[i] (a '#'): its line, with
 * backslash-newline continuations. */
static size_t directive_end(const char *t, size_t i, size_t len)
{
	while (i < len && t[i] != '\n') {
		if (t[i] == '\\' && i + 1 < len && t[i + 1] == '\n')
			i++;
		i++;
	}
	return i;
}

static void blank(char *out, size_t b, size_t e)
{
	for (size_t i = b; i < e; i++)
		if (out[i] != '\n')
			out[i] = ' ';
}

int preprocess(struct arena *arena, struct diag *diag,
	       const struct source *in, struct source *out,
	       struct source *defs)
{
	struct pp p = { .arena = arena, .diag = diag, .in = in };
	const char *t = in->text;
	size_t len = in->len, i = 0;
	bool comment = false, any = false;

	memset(out, 0, sizeof(*out));
	memset(defs, 0, sizeof(*defs));
	/* a quick way out for the usual program, which has no directive */
	for (size_t k = 0; k < len; k++)
		if (t[k] == '#' && !(k == 0 && len > 1 && t[1] == '!')) {
			any = true;
			break;
		}
	*out = *in;
	if (!any)
		return 0;
	p.out = arena_alloc(arena, len + 1);
	memcpy(p.out, t, len);
	p.out[len] = 0;
	p.line = 1;
	if (access("/sys/kernel/btf/vmlinux", R_OK) == 0)
		add_define(&p, "BPFTRACE_HAVE_BTF", "1");
	while (i < len) {
		size_t j = i;

		/* from the start of a line: only blanks before a '#' */
		for (; j < len && (t[j] == ' ' || t[j] == '\t'); j++)
			;
		if (!comment && j < len && t[j] == '#' &&
		    !(j == 0 && j + 1 < len && t[j + 1] == '!')) {
			size_t e = directive_end(t, j, len), k = j + 1, nb;

			while (k < e && (t[k] == ' ' || t[k] == '\t'))
				k++;
			nb = k;
			while (k < e && (isalnum((unsigned char)t[k]) ||
					 t[k] == '_'))
				k++;
			size_t a = k;
			while (a < e && (t[a] == ' ' || t[a] == '\t'))
				a++;
			/* the argument, without a trailing // comment */
			size_t ae = a;
			for (bool str = false; ae < e; ae++) {
				if (t[ae] == '"')
					str = !str;
				if (!str && t[ae] == '/' && ae + 1 < e &&
				    (t[ae + 1] == '/' || t[ae + 1] == '*'))
					break;
			}
			if (k > nb)
				directive(&p, t + nb, k - nb, t + a, t + ae, j);
			else if (t[nb] == '!' && active(&p))
				diag_error(diag, span(j, j + 2), "'#!' names a "
					   "script's interpreter on its first "
					   "line only");
			else if (active(&p))
				diag_error(diag, span(j, j + 1),
					   "a '#' line needs a directive such "
					   "as #define or #include");
			blank(p.out, i, e);
			i = e < len ? e + 1 : e;
			pass_lines(&p, j, i);
			continue;
		}
		/* an ordinary line: follow comments and strings to its end */
		for (j = i; j < len && t[j] != '\n'; j++) {
			if (comment) {
				if (t[j] == '*' && j + 1 < len && t[j + 1] == '/') {
					comment = false;
					j++;
				}
			} else if (t[j] == '/' && j + 1 < len && t[j + 1] == '*') {
				comment = true;
				j++;
			} else if (t[j] == '/' && j + 1 < len && t[j + 1] == '/') {
				j = directive_end(t, j, len) - 1;
			} else if (t[j] == '"') {
				for (j++; j < len && t[j] != '"' && t[j] != '\n'; j++)
					if (t[j] == '\\' && j + 1 < len)
						j++;
				if (j >= len || t[j] == '\n')
					break;
			}
		}
		if (!active(&p))
			blank(p.out, i, j);
		pass_lines(&p, i, j < len ? j + 1 : j);
		i = j < len ? j + 1 : j;
	}
	if (p.syscalls)
		syscall_macros(&p);
	if (p.depth)
		diag_error(diag, span(p.level[p.depth - 1].begin,
				      p.level[p.depth - 1].begin + 1),
			   "this conditional has no #endif");
	out->text = p.out;
	if (p.defs_len) {
		defs->name = in->name;
		defs->text = arena_strndup(arena, p.defs, p.defs_len);
		defs->len = p.defs_len;
	}
	free(p.defs);
	free(p.v);
	return diag->errors ? -1 : 0;
}
