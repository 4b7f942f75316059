/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Values formatted in user space: strftime() times, ntop() addresses and
 * ksym() kernel symbols (/proc/kallsyms, read on first use). */
#include <arpa/inet.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "arena.h"
#include "runtime/runtime.h"

struct ksym {
	uint64_t addr;
	char *name;
};

static struct ksym *ksyms;
static size_t nksyms;

static int by_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void load_kallsyms(void)
{
	static bool done;
	size_t cap = 0;
	char line[512], name[256], type;
	unsigned long long addr;
	FILE *f;

	if (done)
		return;
	done = true;
	f = fopen("/proc/kallsyms", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3 ||
		    !addr)
			continue;
		if (nksyms == cap) {
			cap = cap ? cap * 2 : 65536;
			ksyms = xrealloc(ksyms, cap * sizeof(*ksyms));
		}
		ksyms[nksyms].addr = addr;
		ksyms[nksyms++].name = xstrdup(name);
	}
	fclose(f);
	qsort(ksyms, nksyms, sizeof(*ksyms), by_addr);
}

/* The symbol an address is in, or its hex when none is known. */
static char *ksym_name(uint64_t addr)
{
	size_t lo = 0, hi;

	load_kallsyms();
	hi = nksyms;
	while (lo < hi) {	/* the last symbol at or below addr */
		size_t mid = (lo + hi) / 2;
		if (ksyms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo)
		return xstrdup(ksyms[lo - 1].name);
	return xasprintf("0x%llx", (unsigned long long)addr);
}

uint64_t rt_kaddr(const char *name)
{
	load_kallsyms();
	for (size_t i = 0; i < nksyms; i++)
		if (!strcmp(ksyms[i].name, name))
			return ksyms[i].addr;
	return 0;
}

/* Boot-time ns (bpf_ktime_get_ns) as the local wall-clock time. */
static char *time_text(uint64_t ns, const char *fmt)
{
	struct timespec rt, mono;
	char buf[256];
	struct tm tm;
	time_t t;
	int64_t now_rt, now_mono, when;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	now_rt = rt.tv_sec * 1000000000ll + rt.tv_nsec;
	now_mono = mono.tv_sec * 1000000000ll + mono.tv_nsec;
	when = now_rt - (now_mono - (int64_t)ns);
	t = when / 1000000000ll;
	localtime_r(&t, &tm);
	if (!strftime(buf, sizeof(buf), fmt, &tm))
		buf[0] = 0;
	return xstrdup(buf);
}

static char *inet_text(const unsigned char *v)
{
	uint64_t family;
	char buf[INET6_ADDRSTRLEN];

	memcpy(&family, v, 8);
	if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, v + 8, buf,
		       sizeof(buf)))
		return xstrdup("");
	return xstrdup(buf);
}

/* username: the name of uid u, "" when no user has it (as bpftrace) */
static char *user_name(uint64_t u)
{
	struct passwd pw, *found = NULL;
	char buf[1024];

	if (getpwuid_r((uid_t)u, &pw, buf, sizeof(buf), &found) || !found)
		return xstrdup("");
	return xstrdup(pw.pw_name);
}

char *rt_format_value(const struct rt_field *f, const void *v)
{
	uint64_t u;

	memcpy(&u, v, 8);
	switch (f->kind) {
	case RT_TIME:
		return time_text(u, f->text ? f->text : "%H:%M:%S");
	case RT_INET:
		return inet_text(v);
	case RT_KSYM:
		return ksym_name(u);
	case RT_USER:
		return user_name(u);
	default:
		return xstrdup("");
	}
}

void rt_field_fini(struct rt_field *f)
{
	for (unsigned i = 0; f->elems && i < f->nelems; i++)
		rt_field_fini(&f->elems[i]);
	free(f->elems);
	free((char *)f->text);
	f->elems = NULL;
	f->text = NULL;
}
