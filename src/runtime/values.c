/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Values formatted in user space: strftime() times, ntop() addresses,
 * ksym() kernel symbols (/proc/kallsyms, read on first use) and usym()
 * user symbols (usym.c). */
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

/* fmt with each %f replaced by the microseconds, six digits, as bpftrace
 * does (strftime(3) has no sub-second conversion); %% stays for
 * strftime. */
static void expand_usecs(char *out, size_t size, const char *fmt,
			 unsigned usecs)
{
	size_t o = 0;

	for (; *fmt && o + 7 < size; fmt++) {
		if (fmt[0] == '%' && fmt[1] == 'f') {
			o += snprintf(out + o, size - o, "%06u", usecs);
			fmt++;
			continue;
		}
		if (fmt[0] == '%' && fmt[1] == '%')
			out[o++] = *fmt++;
		out[o++] = *fmt;
	}
	out[o] = 0;
}

/* Boot-time ns (bpf_ktime_get_ns) as the local wall-clock time. */
static char *time_text(uint64_t ns, const char *fmt)
{
	struct timespec rt, mono;
	char buf[256], f[256];
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
	expand_usecs(f, sizeof(f), fmt, when % 1000000000ll / 1000);
	if (!strftime(buf, sizeof(buf), f, &tm))
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

/* strftime(): the format's index is in the low bits of the time */
static char *strftime_text(const struct rt_plan *plan, uint64_t v)
{
	size_t idx = v & (RT_TIME_FMT_MAX - 1);
	const char *fmt = "%H:%M:%S";

	if (plan && idx < plan->ntime_formats)
		fmt = plan->time_formats[idx];
	return time_text(v & ~(uint64_t)(RT_TIME_FMT_MAX - 1), fmt);
}

/* usym(): unresolved addresses print in hex, as bpftrace prints them */
static char *usym_text(const unsigned char *v)
{
	uint64_t addr, pid;
	char *name;

	memcpy(&addr, v, 8);
	memcpy(&pid, v + 8, 8);
	name = rt_usym_lookup((int)pid, addr);
	return name ? name : xasprintf("0x%llx", (unsigned long long)addr);
}

char *rt_format_value(const struct rt_plan *plan, const struct rt_field *f,
		      const void *v)
{
	uint64_t u;

	memcpy(&u, v, 8);
	switch (f->kind) {
	case RT_TIME:
		return strftime_text(plan, u);
	case RT_INET:
		return inet_text(v);
	case RT_KSYM:
		return ksym_name(u);
	case RT_USYM:
		return usym_text(v);
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
	f->elems = NULL;
}

unsigned rt_field_bytes(const struct rt_field *f)
{
	switch (f->kind) {
	case RT_PROBE:
	case RT_TIME:
	case RT_KSYM:
	case RT_USER:
		return 8;
	case RT_INET:
		return 24;
	case RT_USYM:
		return 16;
	default:
		return f->size;
	}
}
