/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Builtins that read another task through the current one (ppid, pcomm,
 * leader_tid, leader_comm): sema finds the members' offsets in the
 * kernel's BTF; codegen/task.c emits the two reads. */
#include <string.h>
#include <bpf/btf.h>
#include "btf.h"
#include "sema.h"
#include "stdlib/builtins.h"

/* Each builtin follows a task_struct pointer of the current task, then
 * reads one member of the task it points to. */
static const struct task_read {
	enum bi_id id;
	const char *link;	/* a struct task_struct * of task_struct */
	const char *field;	/* read from the task link points to */
} task_reads[] = {
	/* tgid, as getppid(2) returns: the parent process, not the
	 * parent thread, when a thread other than the leader forked */
	{ BI_PPID, "real_parent", "tgid" },
	{ BI_PCOMM, "real_parent", "comm" },
	{ BI_LEADER_TID, "group_leader", "pid" },
	{ BI_LEADER_COMM, "group_leader", "comm" },
};

static const struct task_read *task_read_find(enum bi_id id)
{
	for (unsigned i = 0; i < sizeof(task_reads) / sizeof(*task_reads); i++)
		if (task_reads[i].id == id)
			return &task_reads[i];
	return NULL;
}

/* Look up task_struct.member and check it is of the kind wanted: a
 * pointer, an integer of 1, 2, 4 or 8 bytes, or a char array. */
static bool task_member(struct sema *s, struct ast_node *n,
			const char *member, int kind, struct kbtf_member *m)
{
	char err[200];
	bool ok;

	if (kbtf_load(err, sizeof(err))) {
		diag_error(s->diag, n->loc, "'%s' needs the kernel's BTF: %s",
			   n->name, err);
		return false;
	}
	if (kbtf_member("task_struct", member, m, err, sizeof(err))) {
		diag_error(s->diag, n->loc, "'%s' cannot be read on this "
			   "kernel: %s in its BTF", n->name, err);
		return false;
	}
	ok = m->kind == kind;
	if (kind == BTF_KIND_PTR)
		ok = ok && m->size == 8;
	else if (kind == BTF_KIND_INT)
		ok = (ok || m->kind == BTF_KIND_ENUM) && m->size &&
		     m->size <= 8 && !(m->size & (m->size - 1));
	else
		ok = ok && m->size && m->size <= SCRY_MAX_STRLEN;
	if (!ok)
		diag_error(s->diag, n->loc, "'%s' cannot be read on this "
			   "kernel: 'task_struct.%s' is not %s in its BTF",
			   n->name, member, kind == BTF_KIND_PTR ? "a pointer"
			   : kind == BTF_KIND_INT ? "an integer" : "an array");
	return ok;
}

/* Resolve the two offsets now, so that a kernel without BTF or with
 * other member names fails at compile time, at the builtin's use. The
 * node keeps them for codegen: ival = link offset << 32 | field offset,
 * aux = the field's size. */
void bi_check_task(struct sema *s, struct ast_node *n,
		   const struct builtin *b)
{
	const struct task_read *tr = task_read_find(b->id);
	bool str = b->ret.kind == TY_STR;
	struct kbtf_member link, field;

	n->type = b->ret;	/* even after an error: no cascades */
	if (!tr || !task_member(s, n, tr->link, BTF_KIND_PTR, &link) ||
	    !task_member(s, n, tr->field, str ? BTF_KIND_ARRAY : BTF_KIND_INT,
			 &field))
		return;
	n->ival = (uint64_t)link.offset << 32 | field.offset;
	n->aux = field.size;
	if (str)
		n->type = type_string(field.size);
}
