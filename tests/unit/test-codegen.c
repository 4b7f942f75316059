/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tests for code generation (src/codegen/): small programs are compiled
 * with compile_program() against the captured tracefs in tests/fixtures,
 * and the object is opened with libbpf (nothing is loaded): its programs
 * and maps must be what the plan (struct rt_plan) says, with the layout
 * runtime.h documents, and the programs must stay lean: the instruction
 * bounds below are today's counts, so that any growth is noticed. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <asm/unistd.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include "arena.h"
#include "compile.h"
#include "runtime/runtime.h"
#include "sema.h"
#include "runtime/tracefs.h"
#include "unit.h"

struct compiled {
	const char *text;
	struct rt_plan plan;
	struct bpf_object *obj;
	int rc;
};

/* Compile text and open the object; 0 when both worked. */
static int compile(const char *text, struct compiled *c)
{
	struct source src = { "<stdin>", text, strlen(text) };
	struct compile_options opt = { 0 };
	struct diag diag;

	memset(c, 0, sizeof(*c));
	c->text = text;
	diag_init(&diag, &src, stderr);
	diag.color = false;
	c->rc = compile_program(&src, &diag, &opt, &c->plan);
	if (c->rc) {
		fprintf(stderr, "cannot compile: %s\n", text);
		return -1;
	}
	c->obj = bpf_object__open_mem(c->plan.obj, c->plan.obj_len, NULL);
	if (!c->obj) {
		fprintf(stderr, "libbpf cannot open the object of: %s: %s\n",
			text, strerror(errno));
		return -1;
	}
	return 0;
}

static void release(struct compiled *c)
{
	bpf_object__close(c->obj);
	if (!c->rc)
		rt_plan_free(&c->plan);
	memset(c, 0, sizeof(*c));
}

static const struct rt_map *plan_map(const struct compiled *c,
				     const char *name)
{
	for (size_t i = 0; i < c->plan.nmaps; i++)
		if (!strcmp(c->plan.maps[i].name, name))
			return &c->plan.maps[i];
	fprintf(stderr, "%s: no map %s in the plan\n", c->text, name);
	return NULL;
}

static struct bpf_map *obj_map(const struct compiled *c, const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(c->obj, name);

	if (!m)
		fprintf(stderr, "%s: no map %s in the object\n", c->text, name);
	return m;
}

/* Check map NAME: its type and sizes in the object, and that the plan
 * says the same. */
static const struct rt_map *check_map(const struct compiled *c,
				      const char *name, enum bpf_map_type type,
				      unsigned key_size, unsigned value_size,
				      unsigned max_entries)
{
	const struct rt_map *rm = plan_map(c, name);
	struct bpf_map *m;

	CHECK(rm != NULL);
	if (!rm)
		return NULL;
	CHECK_INT(rm->key_size, key_size);
	CHECK_INT(rm->value_size, value_size);
	CHECK_INT(rm->percpu, type == BPF_MAP_TYPE_PERCPU_HASH ||
			      type == BPF_MAP_TYPE_PERCPU_ARRAY);
	CHECK_INT(rm->array, rm->nkeys == 0);
	m = obj_map(c, rm->bpf_name);
	CHECK(m != NULL);
	if (!m)
		return rm;
	CHECK_INT(bpf_map__type(m), type);
	CHECK_INT(bpf_map__key_size(m), key_size);
	CHECK_INT(bpf_map__value_size(m), value_size);
	CHECK_INT(bpf_map__max_entries(m), max_entries);
	return rm;
}

static void check_key(const struct rt_map *rm, unsigned i, enum rt_kind kind,
		      bool is_signed, unsigned offset, unsigned size)
{
	CHECK(rm && i < rm->nkeys);
	if (!rm || i >= rm->nkeys)
		return;
	CHECK_INT(rm->keys[i].kind, kind);
	CHECK_INT(rm->keys[i].is_signed, is_signed);
	CHECK_INT(rm->keys[i].offset, offset);
	CHECK_INT(rm->keys[i].size, size);
}

/* Every program of the plan is in the object with the section and type
 * of its kind; every target's cookie names its tracepoint. */
static void check_plan_programs(const struct compiled *c)
{
	const struct rt_plan *p = &c->plan;
	size_t n = 0;
	struct bpf_program *prog;

	CHECK(bpf_object__btf(c->obj) != NULL);	/* BTF-defined maps */
	bpf_object__for_each_program(prog, c->obj)
		n++;
	CHECK_INT(n, p->nprogs);
	for (size_t i = 0; i < p->nprogs; i++) {
		const struct rt_prog *rp = &p->progs[i];
		bool tp = rp->kind == RT_PROG_TRACEPOINT;

		for (size_t j = 0; j < i; j++)
			if (!strcmp(rp->bpf_name, p->progs[j].bpf_name)) {
				unit_checks++;
				unit_failures++;
				fprintf(stderr, "%s: programs %zu and %zu are "
					"both %s\n", c->text, j, i,
					rp->bpf_name);
			}

		prog = bpf_object__find_program_by_name(c->obj, rp->bpf_name);
		CHECK(prog != NULL);
		if (!prog) {
			fprintf(stderr, "%s: no program %s in the object\n",
				c->text, rp->bpf_name);
			continue;
		}
		CHECK_STR(bpf_program__section_name(prog),
			  tp ? "tracepoint" : "raw_tp");
		CHECK_INT(bpf_program__type(prog),
			  tp ? BPF_PROG_TYPE_TRACEPOINT
			     : BPF_PROG_TYPE_RAW_TRACEPOINT);
		/* BEGIN and END are raw_tp programs scry runs itself */
		CHECK(rp->kind == RT_PROG_BEGIN || rp->kind == RT_PROG_END
			      ? rp->ntargets == 0 : rp->ntargets > 0);
		for (size_t j = 0; j < rp->ntargets; j++) {
			const struct rt_target *t = &rp->targets[j];
			char *want;

			if (rp->dispatch_map)
				continue;	/* checked apart */
			CHECK(t->cookie < p->nprobe_names);
			if (t->cookie >= p->nprobe_names)
				continue;
			want = xasprintf("tracepoint:%s:%s", t->category,
					 t->event);
			CHECK_STR(p->probe_names[t->cookie], want);
			free(want);
		}
		if (rp->dispatch_map)
			CHECK(obj_map(c, rp->dispatch_map) != NULL);
	}
	/* map names in the object are unique and all in the plan */
	for (size_t i = 0; i < p->nmaps; i++)
		CHECK(obj_map(c, p->maps[i].bpf_name) != NULL);
	if (p->ringbuf_name) {
		struct bpf_map *rb = obj_map(c, p->ringbuf_name);
		CHECK(rb != NULL);
		if (rb) {
			CHECK_INT(bpf_map__type(rb), BPF_MAP_TYPE_RINGBUF);
			CHECK_INT(bpf_map__max_entries(rb), p->ringbuf_size);
		}
	}
}

static size_t insn_count(const struct compiled *c, size_t i)
{
	struct bpf_program *prog;

	if (i >= c->plan.nprogs)
		return 0;
	prog = bpf_object__find_program_by_name(c->obj,
						c->plan.progs[i].bpf_name);
	return prog ? bpf_program__insn_cnt(prog) : 0;
}

/* The one program of text has at most max instructions. */
static void lean_at(int line, const char *text, size_t max)
{
	struct compiled c;
	size_t n;

	unit_checks++;
	if (compile(text, &c)) {
		unit_failures++;
		fprintf(stderr, "%s:%d: does not compile\n", __FILE__, line);
		release(&c);
		return;
	}
	n = insn_count(&c, 0);
	if (c.plan.nprogs != 1 || !n || n > max) {
		unit_failures++;
		fprintf(stderr, "%s:%d: %s\n  %zu programs, the first of %zu "
			"instructions (at most %zu expected)\n", __FILE__,
			line, text, c.plan.nprogs, n, max);
	}
	check_plan_programs(&c);
	release(&c);
}
#define LEAN(text, max) lean_at(__LINE__, text, max)

#define OPENAT "tracepoint:syscalls:sys_enter_openat"

/* ---- maps ------------------------------------------------------------ */

static void test_count_no_key(void)
{
	struct compiled c;
	const struct rt_map *m;

	if (compile(OPENAT " { @ = count(); }", &c) == 0) {
		m = check_map(&c, "@", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 1);
		CHECK(m && m->agg == RT_AGG_COUNT && m->nkeys == 0);
		CHECK_INT(c.plan.nmaps, 1);
		/* nothing prints or exits: no ring buffer */
		CHECK(c.plan.ringbuf_name == NULL);
		CHECK(!bpf_object__find_map_by_name(c.obj, "ringbuf"));
		CHECK(c.plan.config_name == NULL);
		check_plan_programs(&c);
	} else {
		CHECK(0);
	}
	release(&c);
}

static void test_keyed_maps(void)
{
	struct compiled c;
	const struct rt_map *m;

	if (compile(OPENAT " { @[pid] = count(); @c[comm] = count(); "
		    "@k[comm, args.dfd, probe] = count(); @s[pid] = comm; "
		    "@v[tid] = 1; @n = -1; }", &c)) {
		CHECK(0);
		release(&c);
		return;
	}
	CHECK_INT(c.plan.nmaps, 6);
	m = check_map(&c, "@", BPF_MAP_TYPE_PERCPU_HASH, 8, 8, 4096);
	check_key(m, 0, RT_INT, false, 0, 8);
	m = check_map(&c, "@c", BPF_MAP_TYPE_PERCPU_HASH, 16, 8, 4096);
	check_key(m, 0, RT_STR, false, 0, 16);
	m = check_map(&c, "@k", BPF_MAP_TYPE_PERCPU_HASH, 32, 8, 4096);
	check_key(m, 0, RT_STR, false, 0, 16);
	check_key(m, 1, RT_INT, true, 16, 8);
	check_key(m, 2, RT_PROBE, false, 24, 8);
	/* plain assignments: hashes, not per-CPU */
	m = check_map(&c, "@s", BPF_MAP_TYPE_HASH, 8, 16, 4096);
	CHECK(m && m->agg == RT_AGG_NONE && m->value.kind == RT_STR &&
	      m->value.size == 16);
	m = check_map(&c, "@v", BPF_MAP_TYPE_HASH, 8, 8, 4096);
	CHECK(m && m->value.kind == RT_INT && m->value.size == 8);
	/* no key: one slot, key u32 0; a hash so that it is empty until
	 * assigned */
	m = check_map(&c, "@n", BPF_MAP_TYPE_HASH, 4, 8, 1);
	CHECK(m && m->value.is_signed);
	check_plan_programs(&c);
	release(&c);
}

static void test_string_sizes(void)
{
	struct compiled c;
	const struct rt_map *m;

	/* str() is SCRY_DEFAULT_STRLEN (256) bytes by default; str(p, 5) holds 4 characters and
	 * the NUL, as in bpftrace; the key field is rounded up to 8 */
	if (compile(OPENAT " { @a[str(args.filename)] = count(); "
		    "@b[str(args.filename, 5)] = str(args.filename, 5); "
		    "@c = \"x\"; @c = \"longer\"; }", &c)) {
		CHECK(0);
		release(&c);
		return;
	}
	m = check_map(&c, "@a", BPF_MAP_TYPE_PERCPU_HASH, SCRY_DEFAULT_STRLEN,
		      8, 4096);
	check_key(m, 0, RT_STR, false, 0, SCRY_DEFAULT_STRLEN);
	m = check_map(&c, "@b", BPF_MAP_TYPE_HASH, 8, 8, 4096);
	check_key(m, 0, RT_STR, false, 0, 5);
	CHECK(m && m->value.kind == RT_STR && m->value.size == 5);
	/* the largest string stored */
	m = check_map(&c, "@c", BPF_MAP_TYPE_HASH, 4, 8, 1);
	CHECK(m && m->value.size == 7);
	release(&c);
}

/* sum(), min(), max() and avg() maps and their value sizes */
static void test_other_aggregations(void)
{
	struct compiled c;
	const struct rt_map *m;

	if (compile(OPENAT " { @s[pid] = sum(args.dfd); @mi = min(args.dfd); "
		    "@ma[comm] = max(pid); @av = avg(1); }", &c)) {
		CHECK(0);
		release(&c);
		return;
	}
	m = check_map(&c, "@s", BPF_MAP_TYPE_PERCPU_HASH, 8, 8, 4096);
	CHECK(m && m->agg == RT_AGG_SUM);
	m = check_map(&c, "@mi", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 16, 1);
	CHECK(m && m->agg == RT_AGG_MIN);
	m = check_map(&c, "@ma", BPF_MAP_TYPE_PERCPU_HASH, 16, 16, 4096);
	CHECK(m && m->agg == RT_AGG_MAX);
	m = check_map(&c, "@av", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 16, 1);
	CHECK(m && m->agg == RT_AGG_AVG);
	check_plan_programs(&c);
	release(&c);
}

/* ---- events ---------------------------------------------------------- */

static void test_printf_events(void)
{
	struct compiled c;
	const struct rt_event *ev;

	if (compile(OPENAT " { printf(\"%d %s %s\\n\", pid, comm, probe); "
		    "printf(\"x\\n\"); exit(); }", &c)) {
		CHECK(0);
		release(&c);
		return;
	}
	CHECK(c.plan.ringbuf_name != NULL);
	/* two printfs, then the event of exit() */
	CHECK_INT(c.plan.nevents, 3);
	if (c.plan.nevents == 3) {
		ev = &c.plan.events[0];
		CHECK_INT(ev->kind, RT_EV_PRINTF);
		CHECK_INT(ev->nargs, 3);
		/* a u64 event id, then the arguments 8-byte aligned */
		if (ev->nargs == 3) {
			CHECK_INT(ev->args[0].kind, RT_INT);
			CHECK_INT(ev->args[0].offset, 8);
			CHECK_INT(ev->args[1].kind, RT_STR);
			CHECK_INT(ev->args[1].offset, 16);
			CHECK_INT(ev->args[1].size, 16);
			CHECK_INT(ev->args[2].kind, RT_PROBE);
			CHECK_INT(ev->args[2].offset, 32);
		}
		CHECK_INT(ev->size, 40);
		ev = &c.plan.events[1];
		CHECK_INT(ev->kind, RT_EV_PRINTF);
		CHECK_INT(ev->nargs, 0);
		CHECK_INT(ev->size, 8);
		CHECK_INT(c.plan.events[2].kind, RT_EV_EXIT);
		CHECK_INT(c.plan.events[2].size, 16);	/* id, status */
	}
	CHECK_INT(c.plan.nmaps, 0);
	check_plan_programs(&c);
	release(&c);
}

static void test_elapsed_config(void)
{
	struct compiled c;
	struct bpf_map *m;

	if (compile("BEGIN { @t = elapsed; }", &c)) {
		CHECK(0);
		release(&c);
		return;
	}
	CHECK(c.plan.config_name != NULL);
	m = c.plan.config_name ? obj_map(&c, c.plan.config_name) : NULL;
	CHECK(m != NULL);
	if (m) {
		CHECK_INT(bpf_map__type(m), BPF_MAP_TYPE_ARRAY);
		CHECK_INT(bpf_map__key_size(m), 4);
		CHECK_INT(bpf_map__max_entries(m), RT_CONFIG_SLOTS);
	}
	release(&c);
}

/* ---- programs and targets -------------------------------------------- */

static const struct rt_prog *find_prog(const struct compiled *c,
				       const char *cat, const char *event)
{
	for (size_t i = 0; i < c->plan.nprogs; i++) {
		const struct rt_prog *rp = &c->plan.progs[i];
		for (size_t j = 0; j < rp->ntargets; j++)
			if (!strcmp(rp->targets[j].category, cat) &&
			    !strcmp(rp->targets[j].event, event))
				return rp;
	}
	return NULL;
}

static void test_begin_end(void)
{
	struct compiled c;

	if (compile("BEGIN { @b = count(); } " OPENAT " { @t = count(); } "
		    "END { @e = count(); }", &c)) {
		CHECK(0);
		release(&c);
		return;
	}
	CHECK_INT(c.plan.nprogs, 3);
	if (c.plan.nprogs == 3) {
		CHECK_INT(c.plan.progs[0].kind, RT_PROG_BEGIN);
		CHECK_STR(c.plan.progs[0].probe, "BEGIN");
		CHECK_INT(c.plan.progs[1].kind, RT_PROG_TRACEPOINT);
		CHECK_STR(c.plan.progs[1].probe, OPENAT);
		CHECK_INT(c.plan.progs[1].ntargets, 1);
		CHECK_INT(c.plan.progs[2].kind, RT_PROG_END);
		CHECK_STR(c.plan.progs[2].probe, "END");
		CHECK(strcmp(c.plan.progs[0].bpf_name,
			     c.plan.progs[2].bpf_name));
	}
	CHECK_INT(c.plan.nprobe_names, 3);
	check_plan_programs(&c);
	release(&c);
}

/* Several BEGIN (END) probes are several programs, run in order, each
 * named in the plan as in the object. */
static void test_two_begins(void)
{
	struct compiled c;

	if (compile("BEGIN { printf(\"a\\n\"); } BEGIN { printf(\"b\\n\"); } "
		    "END { @a = count(); } END { @b = count(); }", &c)) {
		CHECK(0);
		release(&c);
		return;
	}
	CHECK_INT(c.plan.nprogs, 4);
	if (c.plan.nprogs == 4) {
		CHECK_INT(c.plan.progs[0].kind, RT_PROG_BEGIN);
		CHECK_INT(c.plan.progs[1].kind, RT_PROG_BEGIN);
		CHECK_INT(c.plan.progs[2].kind, RT_PROG_END);
		CHECK_INT(c.plan.progs[3].kind, RT_PROG_END);
	}
	check_plan_programs(&c);
	release(&c);
}

/* A wildcard that does not read args: one program, one target (and
 * cookie) per tracepoint. */
static void test_wildcard_shared(void)
{
	static const char *const events[] = { "sched_process_exec",
					      "sched_switch", "sched_wakeup" };
	struct compiled c;

	if (compile("t:sched:sched_* { @[probe] = count(); }", &c)) {
		CHECK(0);
		release(&c);
		return;
	}
	CHECK_INT(c.plan.nprogs, 1);
	CHECK_INT(c.plan.nprobe_names, 3);
	if (c.plan.nprogs == 1 && c.plan.progs[0].ntargets == 3) {
		const struct rt_prog *rp = &c.plan.progs[0];
		CHECK_STR(rp->probe, "t:sched:sched_*");
		CHECK(rp->dispatch_map == NULL);
		for (int i = 0; i < 3; i++) {
			CHECK_STR(rp->targets[i].category, "sched");
			CHECK_STR(rp->targets[i].event, events[i]);
		}
		CHECK(rp->targets[0].cookie != rp->targets[1].cookie &&
		      rp->targets[1].cookie != rp->targets[2].cookie &&
		      rp->targets[0].cookie != rp->targets[2].cookie);
	} else {
		CHECK(0);
	}
	check_plan_programs(&c);
	release(&c);

	/* one match only */
	if (compile("t:syscalls:sys_enter_open* { @ = count(); }", &c) == 0) {
		CHECK_INT(c.plan.nprogs, 1);
		CHECK(find_prog(&c, "syscalls", "sys_enter_openat") != NULL);
		CHECK_INT(c.plan.progs[0].ntargets, 1);
		CHECK_INT(c.plan.nprobe_names, 1);
		check_plan_programs(&c);
	} else {
		CHECK(0);
	}
	release(&c);

	/* one entry and one exit: no syscall group of two, so attached
	 * one by one */
	if (compile("t:syscalls:sys_*_openat { @[probe] = count(); }", &c)
	    == 0) {
		CHECK_INT(c.plan.nprogs, 1);
		CHECK_INT(c.plan.progs[0].ntargets, 2);
		CHECK(find_prog(&c, "syscalls", "sys_enter_openat") != NULL);
		CHECK(find_prog(&c, "syscalls", "sys_exit_openat") != NULL);
		check_plan_programs(&c);
	} else {
		CHECK(0);
	}
	release(&c);
}

/* A wildcard that reads args: one program per tracepoint, as the
 * records differ. */
static void test_wildcard_split(void)
{
	struct compiled c;

	/* (the common_* fields all records share cannot be read: the
	 * kernel hides their 8 bytes from tracepoint programs) */
	if (compile("t:sched:sched_wakeup, t:sched:sched_process_exec "
		    "{ @[args.pid] = count(); }", &c)) {
		CHECK(0);
		release(&c);
		return;
	}
	CHECK_INT(c.plan.nprogs, 2);
	for (size_t i = 0; i < c.plan.nprogs; i++) {
		CHECK_INT(c.plan.progs[i].ntargets, 1);
		CHECK_STR(c.plan.progs[i].probe, "t:sched:sched_wakeup");
		for (size_t j = 0; j < i; j++)
			CHECK(strcmp(c.plan.progs[i].bpf_name,
				     c.plan.progs[j].bpf_name));
	}
	CHECK(find_prog(&c, "sched", "sched_process_exec") != NULL);
	CHECK(find_prog(&c, "sched", "sched_wakeup") != NULL);
	check_plan_programs(&c);
	release(&c);

	if (compile("t:syscalls:sys_enter_* { @[args.__syscall_nr] = "
		    "count(); }", &c) == 0) {
		CHECK_INT(c.plan.nprogs, 2);
		CHECK(find_prog(&c, "syscalls", "sys_enter_execve") != NULL);
		CHECK(find_prog(&c, "syscalls", "sys_enter_openat") != NULL);
		for (size_t i = 0; i < c.plan.nprogs; i++)
			CHECK(c.plan.progs[i].dispatch_map == NULL);
		check_plan_programs(&c);
	} else {
		CHECK(0);
	}
	release(&c);
}

/* A probe that does not read args runs on raw tracepoints, except on
 * events that are not kernel tracepoints (syscalls, ftrace, dynamic
 * events); one that reads args runs on the perf-built record. */
static void test_raw_tracepoint(void)
{
	struct compiled c;
	const struct rt_prog *rp;

	if (compile("t:sched:sched_switch, t:syscalls:sys_enter_openat, "
		    "t:kprobes:open_probe { @[probe] = count(); }", &c) == 0) {
		CHECK_INT(c.plan.nprogs, 2);
		rp = find_prog(&c, "sched", "sched_switch");
		CHECK(rp && rp->kind == RT_PROG_RAW_TRACEPOINT &&
		      rp->ntargets == 1);
		rp = find_prog(&c, "syscalls", "sys_enter_openat");
		CHECK(rp && rp->kind == RT_PROG_TRACEPOINT && rp->ntargets == 2);
		CHECK(rp == find_prog(&c, "kprobes", "open_probe"));
		check_plan_programs(&c);
	} else {
		CHECK(0);
	}
	release(&c);

	if (compile("t:sched:sched_switch { @[args.prev_pid] = count(); }",
		    &c) == 0) {
		CHECK_INT(c.plan.nprogs, 1);
		CHECK_INT(c.plan.progs[0].kind, RT_PROG_TRACEPOINT);
		check_plan_programs(&c);
	} else {
		CHECK(0);
	}
	release(&c);
}

/* Two or more syscall tracepoints without args: one program on
 * raw_syscalls that maps the syscall number to the probe id. */
static void test_syscall_dispatch(void)
{
	struct compiled c;
	const struct rt_prog *rp;
	struct bpf_map *m;

	if (compile("t:syscalls:sys_enter_* { @[probe] = count(); }", &c)) {
		CHECK(0);
		release(&c);
		return;
	}
	CHECK_INT(c.plan.nprogs, 1);
	rp = &c.plan.progs[0];
	CHECK_INT(rp->kind, RT_PROG_TRACEPOINT);
	CHECK_INT(rp->ntargets, 1);
	if (rp->ntargets == 1) {
		CHECK_STR(rp->targets[0].category, "raw_syscalls");
		CHECK_STR(rp->targets[0].event, "sys_enter");
	}
	CHECK(rp->dispatch_map != NULL);
	m = rp->dispatch_map ? obj_map(&c, rp->dispatch_map) : NULL;
	if (m) {
		CHECK_INT(bpf_map__type(m), BPF_MAP_TYPE_ARRAY);
		CHECK_INT(bpf_map__key_size(m), 4);
		CHECK_INT(bpf_map__value_size(m), 4);
	}
	CHECK_INT(rp->ndispatch, 2);
	CHECK_INT(c.plan.nprobe_names, 2);
	for (size_t i = 0; i < rp->ndispatch; i++) {
		const struct rt_dispatch *d = &rp->dispatch[i];
		const char *name;

		CHECK(d->probe_id < c.plan.nprobe_names);
		if (d->probe_id >= c.plan.nprobe_names)
			continue;
		name = c.plan.probe_names[d->probe_id];
		if (!strcmp(name, "tracepoint:syscalls:sys_enter_openat"))
			CHECK_INT(d->nr, __NR_openat);
		else if (!strcmp(name, "tracepoint:syscalls:sys_enter_execve"))
			CHECK_INT(d->nr, __NR_execve);
		else
			CHECK_STR(name, "a syscall entry of the fixtures");
	}
	check_plan_programs(&c);
	release(&c);
}

/* ---- instruction counts ---------------------------------------------- */

static void test_lean(void)
{
	LEAN(OPENAT " { @ = count(); }", 13);
	LEAN(OPENAT " { @[pid] = count(); }", 35);
	/* sum(1) is count() by another name */
	LEAN(OPENAT " { @[pid] = sum(1); }", 35);
	/* comm is read straight into the key, not copied (was 40) */
	LEAN(OPENAT " { @[comm] = count(); }", 36);
	LEAN(OPENAT " /pid == 1/ { @ = count(); }", 21);
	LEAN(OPENAT " { @x = 1; }", 18);
	LEAN(OPENAT " { @[pid] = 1; }", 19);
	LEAN(OPENAT " { printf(\"%d\\n\", pid); }", 25);
	/* a record too large for the stack is built in the ring buffer
	 * (reserve, submit), comm read into it: no scratch (was 42) */
	LEAN(OPENAT " { printf(\"%d %s\\n\", pid, comm); }", 33);
	/* variables set before they are read are not zeroed first */
	LEAN(OPENAT " { $x = pid; $y = $x * 2; @[$y] = 1; }", 22);
	LEAN(OPENAT " { exit(); }", 17);
	LEAN("BEGIN { @ = count(); }", 13);
	LEAN("t:syscalls:sys_enter_* { @[probe] = count(); }", 46);
}

static int quiet_libbpf(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

int main(int argc, char **argv)
{
	const char *fixtures = getenv("FIXTURES");
	char *root;

	if (!fixtures || !*fixtures)
		fixtures = argc > 1 ? argv[1] : "tests/fixtures";
	root = xasprintf("%s/tracefs", fixtures);
	setenv("SCRY_TRACEFS", root, 1);
	CHECK_STR(tracefs_root(), root);
	libbpf_set_print(quiet_libbpf);

	test_count_no_key();
	test_keyed_maps();
	test_string_sizes();
	test_other_aggregations();
	test_printf_events();
	test_elapsed_config();
	test_begin_end();
	test_two_begins();
	test_wildcard_shared();
	test_wildcard_split();
	test_syscall_dispatch();
	test_raw_tracepoint();
	test_lean();
	free(root);
	return unit_done("test-codegen");
}
