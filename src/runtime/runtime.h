/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The runtime: what the compiler hands over (struct rt_plan: the BPF object
 * and a description of every map, ring-buffer record and program in it),
 * and the calls that load, attach, stream events and print maps.
 *
 * Layout rules shared with codegen (src/codegen/maps.c):
 * - A map key is the concatenation of its key fields, each at an 8-byte
 *   aligned offset: integers are 8 bytes (sign-extended when is_signed),
 *   strings are char[N] (N rounded up to 8), probe ids are u64 indexes into
 *   plan->probe_names. A map with no key is a one-slot (PERCPU_)ARRAY
 *   indexed by a u32 0.
 * - Values: COUNT and SUM are one 64-bit integer; MIN and MAX are
 *   { s64 value; u64 set; }; AVG and STATS are { s64 total; u64 count; };
 *   a plain assignment holds the value itself (8-byte integer or char[N]).
 *   Aggregations live in per-CPU maps; the runtime merges the CPUs.
 * - HIST and LHIST: the key is the user's key fields followed by a u64
 *   bucket index (at offset key_size - 8; nkeys counts only the user's
 *   fields); the value is a u64 count. HIST buckets are bpftrace's
 *   log2(n, k) with k = hist_bits: 0 for n < 0, n + 1 for
 *   0 <= n < 2^k, else ((l - k + 1) << k) + the k bits after n's
 *   leading 1 + 1, l being that bit's position. LHIST buckets: 0 for
 *   n < lhist_min, 1 + (n - min) / step up to 1 + (max - min) / step
 *   for n >= max.
 * - A plain map with no key is a one-slot HASH with key u32 0, so it
 *   stays empty (and unprinted) until assigned.
 * - A ring-buffer record starts with a u64 event id (an index into
 *   plan->events); the arguments follow at the offsets in its fields.
 */
#ifndef SCRY_RUNTIME_H
#define SCRY_RUNTIME_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "stdlib/format.h"

enum rt_kind {
	RT_INT,		/* integer, 1..8 bytes, is_signed says how to print */
	RT_STR,		/* char[size], NUL-terminated unless full */
	RT_PROBE,	/* u64 index into plan->probe_names */
	RT_TIME,	/* strftime(): u64 ns since boot, its low
			   RT_TIME_FMT_BITS bits replaced by the index of
			   the format in plan->time_formats */
	RT_INET,	/* ntop(): u64 family (AF_INET/AF_INET6), 16 bytes */
	RT_KSYM,	/* ksym(): u64 kernel address */
	RT_USER,	/* username: u64 uid */
	RT_TUPLE,	/* size bytes of elems, each at its offset from
			   the tuple's start (8-aligned, as map keys are) */
	RT_USYM,	/* usym(): u64 user address, u64 pid (16 bytes) */
};

/* strftime() values carry their format in the nanoseconds' low bits (64
 * ns are far below the second strftime prints), so a time keeps its
 * format through variables, map keys and values, and tuples. */
#define RT_TIME_FMT_BITS 6
#define RT_TIME_FMT_MAX (1u << RT_TIME_FMT_BITS)

struct rt_field {
	enum rt_kind kind;
	bool is_signed;
	unsigned offset, size;
	unsigned nelems;	/* RT_TUPLE */
	struct rt_field *elems;
};

/* Free what f owns (its elements), not f itself. */
void rt_field_fini(struct rt_field *f);

struct rt_plan;
/* The text of an RT_TIME, RT_INET, RT_KSYM, RT_USYM or RT_USER value:
 * (malloc'd) a time with its format from plan, a user name, a symbol or,
 * unresolved, the address in hex. */
char *rt_format_value(const struct rt_plan *plan, const struct rt_field *f,
		      const void *v);
/* The bytes a field of kind k and declared size takes in a record or key. */
unsigned rt_field_bytes(const struct rt_field *f);
/* usym(): the name of the function or object at addr in process pid (its
 * /proc/PID/maps and the ELF symbol tables of the mapped file), or NULL
 * when unknown: the process is gone or the file has no symbol there.
 * Symbol tables are cached per file and mappings per process, so a busy
 * trace reads each file once. Returns a malloc'd string. */
char *rt_usym_lookup(int pid, uint64_t addr);
/* Drop the usym caches (tests, and the end of a run). */
void rt_usym_reset(void);
/* kaddr(): the address of a kernel symbol, or 0 (/proc/kallsyms). */
uint64_t rt_kaddr(const char *name);

enum rt_agg {
	RT_AGG_NONE,	/* plain assignment @x = v */
	RT_AGG_COUNT,
	RT_AGG_SUM,
	RT_AGG_MIN,
	RT_AGG_MAX,
	RT_AGG_AVG,
	RT_AGG_STATS,
	RT_AGG_HIST,
	RT_AGG_LHIST,
};

struct rt_map {
	const char *name;	/* as the user wrote it: "@", "@bytes" */
	const char *bpf_name;	/* the map's symbol in the object */
	enum rt_agg agg;
	bool percpu;		/* one value per possible CPU */
	bool array;		/* no key: a one-slot array, key u32 0 */
	bool lru;		/* declared lruhash: full means evicting */
	bool declared;		/* let @m = hash(N): N entries */
	unsigned max_entries;
	unsigned key_size, value_size;
	unsigned nkeys;
	struct rt_field *keys;
	struct rt_field value;	/* for RT_AGG_NONE: how to print the value */
	unsigned hist_bits;	/* HIST: k, sub-buckets per power of 2 (0-5) */
	int64_t lhist_min, lhist_max, lhist_step;	/* LHIST */
	int fd;			/* filled in at load */
};

/* Ring-buffer records are u64 words: the event id, then per kind: */
enum rt_event_kind {
	RT_EV_PRINTF,		/* the arguments at their fields' offsets */
	RT_EV_EXIT,		/* exit([code]): stop tracing; code at 8 */
	RT_EV_PRINT_MAP,	/* print(@m[, top[, div]]): map index at 8,
				   top at 16, div at 24 */
	RT_EV_CLEAR,		/* clear(@m): map index at 8 */
	RT_EV_ZERO,		/* zero(@m): map index at 8 */
	RT_EV_TIME,		/* time([fmt]): text is the strftime format */
	RT_EV_SYSTEM,		/* system(fmt, ...): as printf, then run */
	RT_EV_CAT,		/* cat(fmt, ...): as printf, then print the
				   file so named */
	RT_EV_JOIN,		/* join(argv[, sep]): count at 8, then
				   RT_JOIN_MAX strings of RT_JOIN_LEN bytes;
				   text is the separator */
	RT_EV_VALUE,		/* print(value): as RT_EV_PRINTF, whose fmt
				   gives the text form; -f json prints
				   {"type": "value"} with the fields nested
				   as text says: "%" is the next field, the
				   rest is copied ("[%,%]" for a tuple,
				   {"name": %} for args) */
};

#define RT_JOIN_MAX 16
#define RT_JOIN_LEN 64

struct rt_event {
	enum rt_event_kind kind;
	struct fmt fmt;		/* RT_EV_PRINTF: the parsed format */
	char *text;		/* RT_EV_TIME, RT_EV_JOIN, RT_EV_VALUE: above */
	unsigned nargs;
	struct rt_field *args;	/* offsets inside the record */
	unsigned size;		/* record size in bytes */
};

enum rt_prog_kind {
	RT_PROG_TRACEPOINT,
	RT_PROG_BEGIN,
	RT_PROG_END,
	RT_PROG_INTERVAL,	/* a CPU-clock perf event on one CPU */
	RT_PROG_RAW_TRACEPOINT,	/* a tracepoint's raw link: no record */
};

struct rt_target {
	const char *category, *event;	/* tracepoint:CATEGORY:EVENT */
	uint64_t cookie;		/* probe id passed as the BPF cookie */
	uint64_t period_ns;		/* RT_PROG_INTERVAL */
};

/* A syscall-dispatch program's table: syscall number -> probe id. */
struct rt_dispatch {
	uint32_t nr, probe_id;
};

struct rt_prog {
	enum rt_prog_kind kind;
	const char *bpf_name;	/* function name in the object */
	const char *probe;	/* the attach point as written, for messages */
	size_t ntargets;
	struct rt_target *targets;
	/* Set when one program on raw_syscalls stands for many syscall
	 * tracepoints: the array map (indexed by syscall number, holding
	 * probe id + 1) the runtime fills before attaching. */
	const char *dispatch_map;
	size_t ndispatch;
	struct rt_dispatch *dispatch;
};

/* The config map's slots, filled after loading, before attaching. */
enum rt_config {
	RT_CONFIG_START,	/* CLOCK_MONOTONIC ns: elapsed's zero */
	RT_CONFIG_CPID,		/* the -c command's pid: cpid */
	RT_CONFIG_SLOTS,
};

struct rt_plan {
	void *obj;		/* BPF ELF object (malloc'd) */
	size_t obj_len;
	struct rt_map *maps;
	size_t nmaps;
	struct rt_event *events;
	size_t nevents;
	struct rt_prog *progs;
	size_t nprogs;
	const char **probe_names;	/* probe id -> "tracepoint:cat:name" */
	size_t nprobe_names;
	const char **time_formats;	/* strftime() formats, by index */
	size_t ntime_formats;
	const char *ringbuf_name;	/* NULL when nothing is streamed */
	/* The map (.bss) holding u64 problem counters the programs bump on
	 * their failure paths: slot 0 counts records the full ring buffer
	 * refused (lost events), slot 1 + i updates map i dropped because it
	 * was full. */
	const char *counters_name;
	unsigned map_keys;		/* capacity of each keyed map */
	const char *config_name;	/* array map of run-time settings,
					   u64 slots: enum rt_config */
	unsigned ringbuf_size;
};

/* Printing (src/runtime/print.c, hist.c, record.c) */
struct rt_printer {
	FILE *out;
	const struct rt_plan *plan;
	bool json;		/* -f json: one JSON object per line */
};
/* Read every entry of m from the kernel and print it as bpftrace does
 * ("@name[k1, k2]: value" lines, sorted; histograms with their bars).
 * Prints nothing for an empty map. Returns 0 or -errno. */
int rt_print_map(const struct rt_printer *p, const struct rt_map *m);
/* print(@m, top, div): only the top entries (0: all), values divided by
 * div (0 or 1: as they are). An empty scalar prints its zero value, as
 * bpftrace's print() does (at exit it prints nothing). */
int rt_print_map_opts(const struct rt_printer *p, const struct rt_map *m,
		      unsigned top, unsigned div);
/* clear(@m) deletes every entry; zero(@m) sets every value to 0. */
int rt_map_clear(const struct rt_map *m);
int rt_map_zero(const struct rt_map *m);
/* Print every map of the plan in name order, as at exit. */
int rt_print_maps(const struct rt_printer *p);
/* Format one printf-like record into a malloc'd string. */
char *rt_format_event(const struct rt_plan *plan, const struct rt_event *ev,
		      const void *data, size_t size);
/* Format one ring-buffer record of a printf event. */
void rt_print_event(const struct rt_printer *p, const struct rt_event *ev,
		    const void *data, size_t size);

/* The whole run (src/runtime/load.c, attach.c, events.c) */
struct rt_options {
	const char *command;	/* -c CMD, or NULL */
	FILE *out;
	bool quiet;		/* no "Attached N probes" */
	bool json;		/* -f json */
	int target_pid;		/* -p PID: stop when it exits */
};
/* Does this process have what tracing needs (root, or CAP_BPF and
 * CAP_PERFMON; tracefs when tracepoints are used)? Returns 0, or -errno
 * after printing one line that says what is missing. */
int rt_check_privileges(bool needs_tracefs);
/* Load, attach, run BEGIN, stream events until exit()/signal/command end,
 * run END, print maps, detach. Returns the exit status for main. */
int rt_run(struct rt_plan *plan, const struct rt_options *opt);
void rt_plan_free(struct rt_plan *plan);

/* JSON (src/runtime/json.c) */
/* Write s[0..len) as a JSON string literal, quotes included: " \ \n \r
 * \t escaped as bpftrace does, other bytes below 0x20 as \u00xx, valid
 * UTF-8 copied, and each byte of invalid UTF-8 as \ufffd, so the result
 * is strict JSON whatever the bytes (NULs included). */
void rt_json_string(FILE *out, const char *s, size_t len);

#endif
