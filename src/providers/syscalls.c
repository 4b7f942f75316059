/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Syscall tracepoints by number. syscalls:sys_enter_X (sys_exit_X) fires
 * when raw_syscalls:sys_enter (sys_exit) fires with id == __NR_X, and its
 * record has the same layout (the arguments at 16 + 8 * i, ret at 16). A
 * probe over many syscalls is therefore one program on raw_syscalls that
 * looks the id up, attached and detached in milliseconds instead of one
 * perf event per syscall, each of which takes ~70 ms to close. */
#include <string.h>
#include <asm/unistd.h>
#include "providers/provider.h"

struct syscall_nr {
	const char *name;
	long nr;
};

static const struct syscall_nr native[] = {
#define SCRY_SYSCALL(n) { #n, __NR_##n },
#include "syscall_names.h"
#undef SCRY_SYSCALL
};

/* Tracepoints named after the kernel's function, not the __NR_ name. */
static const struct { const char *tp, *nr; } aliases[] = {
	{ "newfstat", "fstat" },
	{ "newlstat", "lstat" },
	{ "newstat", "stat" },
	{ "newuname", "uname" },
	{ "sendfile64", "sendfile" },
	{ "umount", "umount2" },
};

/* Syscalls newer than the headers scry may be built with. Numbers from
 * 424 on are the same on every architecture scry supports; tests check
 * each against the running kernel's tracepoints. */
static const struct syscall_nr recent[] = {
	{ "cachestat", 451 }, { "fchmodat2", 452 },
	{ "map_shadow_stack", 453 }, { "futex_wake", 454 },
	{ "futex_wait", 455 }, { "futex_requeue", 456 },
	{ "statmount", 457 }, { "listmount", 458 },
	{ "lsm_get_self_attr", 459 }, { "lsm_set_self_attr", 460 },
	{ "lsm_list_modules", 461 }, { "mseal", 462 },
	{ "setxattrat", 463 }, { "getxattrat", 464 },
	{ "listxattrat", 465 }, { "removexattrat", 466 },
	{ "open_tree_attr", 467 }, { "file_getattr", 468 },
	{ "file_setattr", 469 },
#ifdef __x86_64__
	{ "uretprobe", 335 }, { "uprobe", 336 },
#endif
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static long lookup(const struct syscall_nr *t, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].name, name))
			return t[i].nr;
	return -1;
}

long syscall_nr_by_name(const char *name)
{
	long nr = lookup(native, N(native), name);

	return nr >= 0 ? nr : lookup(recent, N(recent), name);
}

const char *syscall_name_by_nr(long nr)
{
	for (size_t i = 0; i < N(native); i++)
		if (native[i].nr == nr)
			return native[i].name;
	for (size_t i = 0; i < N(recent); i++)
		if (recent[i].nr == nr)
			return recent[i].name;
	return NULL;
}

long tp_syscall_nr(const char *category, const char *event, bool *is_exit)
{
	const char *name;
	long nr;

	if (strcmp(category, "syscalls"))
		return -1;
	if (!strncmp(event, "sys_enter_", 10))
		*is_exit = false;
	else if (!strncmp(event, "sys_exit_", 9))
		*is_exit = true;
	else
		return -1;
	name = event + (*is_exit ? 9 : 10);
	for (size_t i = 0; i < N(aliases); i++)
		if (!strcmp(aliases[i].tp, name))
			name = aliases[i].nr;
	nr = syscall_nr_by_name(name);
	return nr < TP_SYSCALL_MAX ? nr : -1;
}
