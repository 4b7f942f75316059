/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A minimal unit-test harness: CHECK records a failure and goes on;
 * unit_done() prints a summary line and returns the exit status
 * (0 all passed, 1 some failed). */
#ifndef SCRY_UNIT_H
#define SCRY_UNIT_H
#include <stdio.h>
#include <string.h>

static unsigned unit_checks, unit_failures;

#define CHECK(cond)                                                        \
	do {                                                               \
		unit_checks++;                                             \
		if (!(cond)) {                                             \
			unit_failures++;                                   \
			fprintf(stderr, "%s:%d: check failed: %s\n",       \
				__FILE__, __LINE__, #cond);                \
		}                                                          \
	} while (0)

#define CHECK_STR(got, want)                                               \
	do {                                                               \
		const char *g_ = (got), *w_ = (want);                      \
		unit_checks++;                                             \
		if (!g_ || strcmp(g_, w_)) {                               \
			unit_failures++;                                   \
			fprintf(stderr,                                    \
				"%s:%d: got \"%s\", want \"%s\"\n",        \
				__FILE__, __LINE__, g_ ? g_ : "(null)", w_); \
		}                                                          \
	} while (0)

#define CHECK_INT(got, want)                                               \
	do {                                                               \
		long long g_ = (long long)(got), w_ = (long long)(want);   \
		unit_checks++;                                             \
		if (g_ != w_) {                                            \
			unit_failures++;                                   \
			fprintf(stderr, "%s:%d: %s is %lld, want %lld\n",  \
				__FILE__, __LINE__, #got, g_, w_);         \
		}                                                          \
	} while (0)

static inline int unit_done(const char *name)
{
	fprintf(stderr, "%s: %u checks, %u failed\n", name, unit_checks,
		unit_failures);
	return unit_failures ? 1 : 0;
}

#endif
