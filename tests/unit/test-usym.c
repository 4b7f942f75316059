/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tests for usym() resolution (src/runtime/usym.c) on this very process:
 * a static function of the (PIE) test binary, a data object, a function
 * of libc (.dynsym only) and one of a library loaded after the first
 * lookup; and for how values.c prints usym() and strftime() values. */
#include <dlfcn.h>
#include <stdint.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "runtime/runtime.h"
#include "unit.h"

int unit_usym_object[4];
int main(void);

__attribute__((noinline)) static int unit_usym_function(int x)
{
	static volatile int sink;

	sink += x;
	return sink;
}

/* The name at addr in this process, as a string to compare (freed by
 * the next call). */
static const char *lookup(const void *addr)
{
	static char *last;

	free(last);
	last = rt_usym_lookup(getpid(), (uint64_t)(uintptr_t)addr);
	return last;
}

static void test_own_binary(void)
{
	const char *f = (const char *)(uintptr_t)&unit_usym_function;

	unit_usym_function(1);
	CHECK_STR(lookup(f), "unit_usym_function");
	/* inside the function: still its name, without an offset */
	CHECK_STR(lookup(f + 1), "unit_usym_function");
	CHECK_STR(lookup(&unit_usym_object[2]), "unit_usym_object");
	CHECK_STR(lookup((const void *)(uintptr_t)&main), "main");
}

/* lfind: a libc function AddressSanitizer does not intercept (its qsort
 * would resolve to __interceptor_qsort in a sanitizer build) */
static void test_shared_library(void)
{
	CHECK_STR(lookup((const void *)(uintptr_t)&lfind), "lfind");
}

/* A library mapped after the process was first read: the maps are read
 * again for an address no cached mapping holds. */
static void test_loaded_later(void)
{
	void *h = dlopen("libm.so.6", RTLD_NOW), *fn, *back;
	const char *name;

	if (!h) {
		fprintf(stderr, "test-usym: no libm.so.6, skipping dlopen\n");
		return;
	}
	fn = dlsym(h, "cbrt");
	name = lookup(fn);
	CHECK(name != NULL);
	/* aliases share the address: any of them names the function */
	back = name ? dlsym(h, name) : NULL;
	CHECK(back == fn);
	dlclose(h);
}

static void test_unknown(void)
{
	pid_t p = fork();

	CHECK(lookup((const void *)0x10) == NULL);
	if (p == 0)
		_exit(0);
	waitpid(p, NULL, 0);
	/* a process that is gone has no maps to resolve against */
	CHECK(rt_usym_lookup(p, (uint64_t)(uintptr_t)&qsort) == NULL);
	CHECK(rt_usym_lookup(0, (uint64_t)(uintptr_t)&qsort) == NULL);
}

static void test_format_value(void)
{
	struct rt_field f = { .kind = RT_USYM, .size = 16 };
	const char *fmts[] = { "%H", "%Y" };
	struct rt_plan plan = { .time_formats = fmts, .ntime_formats = 2 };
	uint64_t v[2] = { 0x10, (uint64_t)getpid() };
	char *s;

	s = rt_format_value(&plan, &f, v);
	CHECK_STR(s, "0x10");	/* unresolved: the address in hex */
	free(s);
	v[0] = (uint64_t)(uintptr_t)&lfind;
	s = rt_format_value(&plan, &f, v);
	CHECK_STR(s, "lfind");
	free(s);
	/* strftime(): the low bits pick the format */
	f = (struct rt_field){ .kind = RT_TIME, .size = 8 };
	v[0] = 1000000000ull << 10 | 1;
	s = rt_format_value(&plan, &f, v);
	CHECK(s && strlen(s) == 4 && (s[0] == '1' || s[0] == '2'));
	free(s);
	v[0] = 1000000000ull << 10;
	s = rt_format_value(&plan, &f, v);
	CHECK(s && strlen(s) == 2);
	free(s);
}

int main(void)
{
	test_own_binary();
	test_shared_library();
	test_loaded_later();
	test_unknown();
	test_format_value();
	lookup(NULL);
	rt_usym_reset();
	return unit_done("test-usym");
}
