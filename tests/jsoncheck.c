/* SPDX-License-Identifier: GPL-2.0-or-later */
/* jsoncheck: is every line of the input one JSON text? Checks with the
 * strict validator of tests/unit/json.h (RFC 8259, UTF-8 per RFC 3629),
 * as the -f json output must be: one JSON object a line, each line ended
 * by a newline, no blank lines. Used by tests/json-check.
 *
 * usage: jsoncheck [-o] [-n] [FILE...]   (no FILE or "-": stdin)
 *   -o  every line must be a JSON object (not an array, string...)
 *   -n  the input may be empty (by default no lines at all fails)
 * Prints "FILE:LINE: ..." for each bad line (at most 10 a file, with
 * the first 200 bytes of the line). Exit status: 0 all valid, 1 some
 * line is not, 2 a usage error or a file that cannot be read. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "unit/json.h"

#define MAX_REPORTS 10
#define EXCERPT 200

static int objects_only, allow_empty;

/* Print at most EXCERPT bytes of line, with bytes outside printable
 * ASCII as \xHH, so that the report itself stays readable. */
static void excerpt(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < EXCERPT; i++) {
		unsigned char c = s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
	if (n > EXCERPT)
		fputs("...", stdout);
	putchar('\n');
}

/* 0 when every line of f is valid, 1 when one is not */
static int check(FILE *f, const char *name)
{
	char *line = NULL;
	size_t cap = 0, lineno = 0, bad = 0;
	ssize_t len;

	while ((len = getline(&line, &cap, f)) >= 0) {
		const char *why = NULL;
		size_t n = len;

		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			n--;
		else
			why = "no newline at the end";
		if (!why && memchr(line, '\0', n))
			why = "a NUL byte";
		else if (!why && n == 0)
			why = "an empty line";
		else if (!why && !json_valid(line, n, NULL, NULL))
			why = "not valid JSON";
		else if (!why && objects_only) {
			size_t i = 0;

			while (i < n && strchr(" \t\r", line[i]))
				i++;
			if (line[i] != '{')
				why = "not a JSON object";
		}
		if (!why)
			continue;
		if (++bad <= MAX_REPORTS) {
			printf("%s:%zu: %s: ", name, lineno, why);
			excerpt(line, n);
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "jsoncheck: %s: %s\n", name, strerror(errno));
		free(line);
		exit(2);
	}
	free(line);
	if (bad > MAX_REPORTS)
		printf("%s: %zu more bad lines\n", name, bad - MAX_REPORTS);
	if (lineno == 0 && !allow_empty) {
		printf("%s: no output at all\n", name);
		return 1;
	}
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	int opt, rc = 0;

	while ((opt = getopt(argc, argv, "onh")) != -1) {
		switch (opt) {
		case 'o':
			objects_only = 1;
			break;
		case 'n':
			allow_empty = 1;
			break;
		case 'h':
			puts("usage: jsoncheck [-o] [-n] [FILE...]");
			return 0;
		default:
			fputs("usage: jsoncheck [-o] [-n] [FILE...]\n", stderr);
			return 2;
		}
	}
	if (optind == argc)
		return check(stdin, "<stdin>");
	for (; optind < argc; optind++) {
		const char *name = argv[optind];
		FILE *f;

		if (strcmp(name, "-") == 0) {
			rc |= check(stdin, "<stdin>");
			continue;
		}
		f = fopen(name, "rb");
		if (!f) {
			fprintf(stderr, "jsoncheck: %s: %s\n", name,
				strerror(errno));
			return 2;
		}
		rc |= check(f, name);
		fclose(f);
	}
	return rc;
}
