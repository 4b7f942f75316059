/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer harness for the front end: parse, sema and codegen of the
 * input as a program, to a BPF object in memory; nothing is loaded.
 * Tracepoints come from the fixture tracefs (FUZZ_TRACEFS), so a result
 * does not depend on the machine. A crash reproduces with
 * `SCRY_TRACEFS=tests/fixtures/tracefs scry -d ast,types,bpf CRASH-FILE`. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "compile.h"

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *root = getenv("FUZZ_TRACEFS");

	setenv("SCRY_TRACEFS", root ? root : FUZZ_TRACEFS, 1);
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* struct source wants the text NUL-terminated (it may hold NULs) */
	char *text = malloc(size + 1);
	struct source src = { .name = "<fuzz>", .text = text, .len = size };
	struct compile_options opt = {
		.dump = DUMP_AST | DUMP_TYPES | DUMP_BPF,
		.dump_out = devnull,
	};
	struct rt_plan plan;
	struct diag diag;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	diag_init(&diag, &src, devnull);
	compile_program(&src, &diag, &opt, &plan);
	rt_plan_free(&plan);
	free(text);
	return 0;
}
