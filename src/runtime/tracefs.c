/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Finding tracefs and reading what it holds: the tracepoints (the
 * events/CAT/NAME directories), their format files, and the listing
 * printed by "scry -l" in the same shape as "bpftrace -l" and "-lv". */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "arena.h"
#include "runtime/tracefs.h"

static char *tracefs_root_path;

static bool tracefs_has_events(const char *root)
{
	char *path = xasprintf("%s/events", root);
	struct stat st;
	bool ok = !stat(path, &st) && S_ISDIR(st.st_mode);

	free(path);
	return ok;
}

/* Cached after the first success only, so SCRY_TRACEFS is read at the
 * first call and a tracefs mounted later is still found. */
const char *tracefs_root(void)
{
	static const char *const roots[] = {
		"/sys/kernel/tracing",
		"/sys/kernel/debug/tracing",	/* pre-4.1; automounts */
	};
	const char *env = getenv("SCRY_TRACEFS");
	size_t i;

	if (tracefs_root_path)
		return tracefs_root_path;
	if (env && *env)
		return tracefs_root_path = xstrdup(env);
	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		if (tracefs_has_events(roots[i]))
			return tracefs_root_path = xstrdup(roots[i]);
	if (errno != EACCES)
		errno = ENOENT;
	return NULL;
}

static int tracefs_open_events(void)
{
	const char *root = tracefs_root();
	char *path;
	int fd, err;

	if (!root)
		return -errno;
	path = xasprintf("%s/events", root);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	err = errno;
	free(path);
	return fd < 0 ? -err : fd;
}

/* eventfs fills in d_type, so the fstatat is only for other filesystems
 * (the fixture tree may live on one that reports DT_UNKNOWN). */
static bool tracefs_is_dir(int dirfd, const struct dirent *de)
{
	struct stat st;

	if (de->d_type != DT_UNKNOWN)
		return de->d_type == DT_DIR;
	return !fstatat(dirfd, de->d_name, &st, 0) && S_ISDIR(st.st_mode);
}

static void tp_list_push(struct tp_list *l, size_t *cap, const char *cat,
			 const char *event)
{
	if (l->n == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		l->v = xrealloc(l->v, *cap * sizeof(*l->v));
	}
	l->v[l->n].category = xstrdup(cat);
	l->v[l->n].event = xstrdup(event);
	l->n++;
}

/* Add the events of category cat (a directory under evfd) that match
 * name_glob. Files such as "enable" and "filter" are skipped. */
static int tracefs_glob_cat(int evfd, const char *cat, const char *name_glob,
			    struct tp_list *out, size_t *cap)
{
	int fd = openat(evfd, cat, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	DIR *d;
	int err;

	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	d = fdopendir(fd);
	if (!d) {
		err = -errno;
		close(fd);
		return err;
	}
	for (errno = 0; (de = readdir(d)); errno = 0) {
		if (de->d_name[0] != '.' && !fnmatch(name_glob, de->d_name, 0) &&
		    tracefs_is_dir(fd, de))
			tp_list_push(out, cap, cat, de->d_name);
	}
	err = -errno;
	closedir(d);
	return err;
}

static int tp_name_cmp(const void *a, const void *b)
{
	const struct tp_name *x = a, *y = b;
	int c = strcmp(x->category, y->category);

	return c ? c : strcmp(x->event, y->event);
}

/* The kernel gives the "ftrace" system no enable file: its events are
 * the tracer's own records and cannot carry a BPF program. bpftrace
 * does not list them either (they are absent from available_events). */
static bool tracefs_skip_cat(int evfd, const struct dirent *de)
{
	return de->d_name[0] == '.' || !strcmp(de->d_name, "ftrace") ||
	       !tracefs_is_dir(evfd, de);
}

int tracefs_glob(const char *cat_glob, const char *name_glob,
		 struct tp_list *out)
{
	int evfd = tracefs_open_events(), err = 0;
	struct dirent *de;
	size_t cap = 0;
	DIR *d;

	out->v = NULL;
	out->n = 0;
	if (evfd < 0)
		return evfd;
	d = fdopendir(evfd);
	if (!d) {
		err = -errno;
		close(evfd);
		return err;
	}
	for (errno = 0; !err && (de = readdir(d)); errno = 0) {
		if (fnmatch(cat_glob, de->d_name, 0) || tracefs_skip_cat(evfd, de))
			continue;
		err = tracefs_glob_cat(evfd, de->d_name, name_glob, out, &cap);
	}
	if (!err)
		err = -errno;
	closedir(d);
	if (err)
		tp_list_free(out);
	else if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), tp_name_cmp);
	return err;
}

void tp_list_free(struct tp_list *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->v[i].category);
		free(l->v[i].event);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* A path component taken from a script must not climb out of events/. */
static bool tracefs_valid_name(const char *s)
{
	return *s && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
}

/* Read all of path into a malloc'd buffer. tracefs reports st_size 0,
 * so read until EOF. Returns the length or -errno. */
static ssize_t tracefs_read_file(const char *path, char **bufp)
{
	size_t len = 0, cap = 8192;
	char *buf;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return -errno;
	buf = xmalloc(cap);
	while ((n = read(fd, buf + len, cap - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			free(buf);
			close(fd);
			return err;
		}
		len += (size_t)n;
		if (len == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	close(fd);
	*bufp = buf;
	return (ssize_t)len;
}

int tracefs_format(const char *cat, const char *name, struct tpf_format *out,
		   char *err, size_t errlen)
{
	const char *root = tracefs_root();
	char *path, *buf = NULL;
	ssize_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	if (err && errlen)
		err[0] = '\0';
	if (!root)
		return -errno;
	if (!tracefs_valid_name(cat) || !tracefs_valid_name(name))
		return -ENOENT;
	path = xasprintf("%s/events/%s/%s/format", root, cat, name);
	len = tracefs_read_file(path, &buf);
	free(path);
	if (len == -ENOTDIR)	/* "sched:enable" names a file */
		return -ENOENT;
	if (len < 0)
		return (int)len;
	rc = tpf_parse(buf, (size_t)len, out, err, errlen);
	free(buf);
	return rc;
}

/* bpftrace sorts its listing as "CAT:NAME" strings, so "fib6:x" comes
 * before "fib:y"; compare the same way for identical output. */
static int tp_name_cmp_listed(const void *a, const void *b)
{
	const struct tp_name *x = a, *y = b;
	const unsigned char *p = (const void *)x->category;
	const unsigned char *q = (const void *)y->category;

	for (; *p && *p == *q; p++, q++)
		;
	if (*p != *q && (*p ? *p : ':') != (*q ? *q : ':'))
		return (*p ? *p : ':') - (*q ? *q : ':');
	return tp_name_cmp(a, b);
}

/* The fields after the common_* header, as "    TYPE NAME[N]". */
static void tracefs_list_fields(const struct tp_name *tp, FILE *out)
{
	struct tpf_format fmt;
	const struct tpf_field *f;
	char err[256];
	size_t i;
	int rc = tracefs_format(tp->category, tp->event, &fmt, err,
				sizeof(err));

	if (rc) {
		fprintf(stderr, "scry: warning: tracepoint:%s:%s: %s\n",
			tp->category, tp->event,
			rc == -EINVAL ? err : strerror(-rc));
		return;
	}
	for (i = 0; i < fmt.nfields; i++) {
		f = &fmt.fields[i];
		if (f->common)
			continue;
		fprintf(out, "    %s %s", f->type, f->name);
		/* __data_loc types carry their "[]" in type already */
		if (f->elem_size && f->kind != TPF_DATA_LOC_STR &&
		    f->kind != TPF_DATA_LOC_ARRAY) {
			if (f->count)
				fprintf(out, "[%u]", f->count);
			else
				fputs("[]", out);
		}
		fputc('\n', out);
	}
	tpf_free(&fmt);
}

int tracefs_list(const char *cat_glob, const char *name_glob, int verbose,
		 FILE *out)
{
	struct tp_list l;
	size_t i;
	int err;

	err = tracefs_glob(cat_glob && *cat_glob ? cat_glob : "*",
			   name_glob && *name_glob ? name_glob : "*", &l);
	if (err)
		return err;
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), tp_name_cmp_listed);
	for (i = 0; i < l.n; i++) {
		fprintf(out, "tracepoint:%s:%s\n", l.v[i].category,
			l.v[i].event);
		if (verbose)
			tracefs_list_fields(&l.v[i], out);
	}
	tp_list_free(&l);
	return (int)i;
}
