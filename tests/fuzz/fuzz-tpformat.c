/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer harness for the tracefs format-file parser: tpf_parse() over
 * the input exactly as given (not NUL-terminated, so that a read past
 * the end is caught), then every field looked up by name. */
#include <stdint.h>
#include "runtime/tpformat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tpf_format f;
	char err[256];

	if (tpf_parse((const char *)data, size, &f, err, sizeof(err)))
		return 0;
	for (size_t i = 0; i < f.nfields; i++)
		if (tpf_field(&f, f.fields[i].name) == NULL)
			__builtin_trap();	/* a parsed field must be found */
	tpf_free(&f);
	return 0;
}
