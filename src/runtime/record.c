/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Ring-buffer records of printf() and print(value), formatted as they
 * arrive: text through the printf format, or JSON ("printf" records of
 * the text, "value" records of print()). */
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "runtime/print.h"

/* One printf argument from a record; *tmp receives a buffer to free when
 * a cut string needs the trailer appended. Out-of-bounds fields (a
 * record shorter than its descriptor) print as 0 or "". */
static void pr_event_arg(const struct rt_printer *p, const struct rt_field *f,
			 const unsigned char *data, size_t size,
			 struct fmt_arg *a, char **tmp)
{
	const unsigned char *v = data + f->offset;
	size_t n;

	a->kind = f->kind == RT_INT ? FMT_ARG_INT : FMT_ARG_STR;
	a->is_signed = f->is_signed;
	a->s = "";
	if (pr_field_end(f) > size)
		return;
	switch (f->kind) {
	case RT_INT:
		a->u = pr_int(v, f->size, f->is_signed);
		break;
	case RT_STR:
		n = strnlen((const char *)v, f->size);
		a->s = (const char *)v;
		a->slen = n;
		if (n < f->size)
			break;
		n = f->size ? f->size - 1 : 0;	/* cut short: see pr_str */
		*tmp = xmalloc(n + sizeof(PR_TRUNC_TRAILER));
		memcpy(*tmp, v, n);
		memcpy(*tmp + n, PR_TRUNC_TRAILER, sizeof(PR_TRUNC_TRAILER));
		a->s = *tmp;
		a->slen = n + sizeof(PR_TRUNC_TRAILER) - 1;
		break;
	case RT_PROBE:
		a->s = pr_probe_name(p->plan, pr_int(v, 8, false));
		a->slen = strlen(a->s);
		break;
	case RT_TIME:
	case RT_INET:
	case RT_KSYM:
	case RT_USYM:
	case RT_USER:
		*tmp = rt_format_value(p->plan, f, v);
		a->s = *tmp;
		a->slen = strlen(*tmp);
		break;
	case RT_TUPLE: {	/* %s of a tuple: its text */
		size_t len;
		FILE *m = pr_memstream(tmp, &len);
		pr_field(m, p->plan, f, data, false);
		fclose(m);
		a->s = *tmp;
		a->slen = len;
		break;
	}
	}
}

static void pr_printf(FILE *out, const struct rt_printer *p,
		      const struct rt_event *ev, const void *data,
		      size_t size)
{
	size_t i, n = ev->fmt.nargs;
	struct fmt_arg *args;
	char **tmp;

	args = xcalloc(n ? n : 1, sizeof(*args));
	tmp = xcalloc(n ? n : 1, sizeof(*tmp));
	for (i = 0; i < n && i < ev->nargs; i++)
		pr_event_arg(p, &ev->args[i], data, size, &args[i], &tmp[i]);
	fmt_print(out, &ev->fmt, args);
	for (i = 0; i < n; i++)
		free(tmp[i]);
	free(tmp);
	free(args);
}

/* print(value) in JSON: {"type": "value", "data": 5}, a tuple as an
 * array ([1,"a"]), args as an object, as bpftrace prints them; the
 * shape is ev->text. */
static void pr_json_value(const struct rt_printer *p,
			  const struct rt_event *ev, const unsigned char *data,
			  size_t size)
{
	unsigned i = 0;

	fputs("{\"type\": \"value\", \"data\": ", p->out);
	for (const char *c = ev->text; *c; c++) {
		const struct rt_field *f = &ev->args[i];

		if (*c != '%') {
			fputc(*c, p->out);
			continue;
		}
		if (i++ >= ev->nargs || pr_field_end(f) > size)
			fputs("null", p->out);	/* a short record */
		else
			pr_field(p->out, p->plan, f, data, true);
	}
	fputs("}\n", p->out);
}

/* In JSON, the formatted text as {"type": "printf", "data": "text"}. */
void rt_print_event(const struct rt_printer *p, const struct rt_event *ev,
		    const void *data, size_t size)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (ev->kind != RT_EV_PRINTF && ev->kind != RT_EV_VALUE)
		return;
	if (p->json && ev->kind == RT_EV_VALUE && ev->text) {
		pr_json_value(p, ev, data, size);
		return;
	}
	if (!p->json) {
		pr_printf(p->out, p, ev, data, size);
		return;
	}
	f = pr_memstream(&buf, &len);
	pr_printf(f, p, ev, data, size);
	fclose(f);
	fputs("{\"type\": \"printf\", \"data\": ", p->out);
	rt_json_string(p->out, buf, len);
	fputs("}\n", p->out);
	free(buf);
}

char *rt_format_event(const struct rt_plan *plan, const struct rt_event *ev,
		      const void *data, size_t size)
{
	struct rt_event as_printf = *ev;
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	struct rt_printer p = { .out = m, .plan = plan };

	as_printf.kind = RT_EV_PRINTF;
	rt_print_event(&p, &as_printf, data, size);
	fclose(m);
	return text;
}
