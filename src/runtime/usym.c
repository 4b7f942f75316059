/* SPDX-License-Identifier: GPL-2.0-or-later */
/* usym(): user addresses to symbol names, from a process's /proc/PID/maps
 * and the ELF symbol tables (.symtab, else .dynsym) of the mapped files.
 * Files are cached by device and inode, processes by pid: a pid's maps are
 * read again only when an address misses them (a library loaded since),
 * so a pid reused during a trace may resolve against the old process's
 * mappings until it is evicted. */
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "arena.h"
#include "runtime/runtime.h"

/* Processes kept at once: a busy system-wide trace sees many short-lived
 * pids, and each entry holds its mapping list. */
#define USYM_MAX_PROCS 64

struct usym_sym {
	uint64_t addr, size;
	unsigned rank;		/* lower is better among equal addresses */
	char *name;
};

/* A PT_LOAD segment: file offsets [off, off + filesz) are loaded at the
 * link-time address vaddr (plus the load bias, which the mapping gives);
 * memsz goes on past the file's bytes (.bss) */
struct usym_load {
	uint64_t off, filesz, memsz, vaddr;
};

struct usym_file {
	unsigned dev_major, dev_minor;
	uint64_t ino;
	bool loaded;			/* read (syms may still be empty) */
	struct usym_sym *syms;
	size_t nsyms;
	struct usym_load *loads;
	size_t nloads;
	struct usym_file *next;
};

/* An address in [start, end) is at file offset addr - base + off. A
 * file's .bss beyond its last page is an anonymous mapping right after
 * the file's: it continues the previous one (same base and off, path
 * NULL). */
struct usym_map {
	uint64_t start, end, off, base;
	char *path;			/* as the process names it */
	struct usym_file *file;
};

struct usym_proc {
	int pid;
	unsigned long used;		/* for eviction: last use */
	struct usym_map *maps;
	size_t nmaps;
};

static struct usym_file *files;
static struct usym_proc procs[USYM_MAX_PROCS];
static unsigned long clock_now;

/* Equal addresses: global before weak before local, so an alias such as
 * __write does not hide write; then the order of the table. */
static unsigned sym_rank(unsigned bind)
{
	return bind == STB_GLOBAL ? 0 : bind == STB_WEAK ? 1 : 2;
}

static int by_addr_rank(const void *a, const void *b)
{
	const struct usym_sym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (int)x->rank - (int)y->rank;
}

static void add_sym(struct usym_file *f, size_t *cap, const GElf_Sym *s,
		    const char *name)
{
	unsigned type = GELF_ST_TYPE(s->st_info);

	if (s->st_shndx == SHN_UNDEF || !s->st_value || !name || !*name)
		return;
	if (type != STT_FUNC && type != STT_GNU_IFUNC && type != STT_OBJECT)
		return;
	if (f->nsyms == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		f->syms = xrealloc(f->syms, *cap * sizeof(*f->syms));
	}
	f->syms[f->nsyms++] = (struct usym_sym){
		s->st_value, s->st_size,
		sym_rank(GELF_ST_BIND(s->st_info)), xstrdup(name) };
}

/* The symbols of one symbol table section. */
static void read_symtab(Elf *e, Elf_Scn *scn, const GElf_Shdr *sh,
			struct usym_file *f, size_t *cap)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;
	GElf_Sym s;

	for (size_t i = 0; d && i < n; i++)
		if (gelf_getsym(d, i, &s))
			add_sym(f, cap, &s, elf_strptr(e, sh->sh_link,
							s.st_name));
}

static void read_loads(Elf *e, struct usym_file *f)
{
	size_t n = 0;
	GElf_Phdr ph;

	if (elf_getphdrnum(e, &n))
		return;
	f->loads = xcalloc(n + 1, sizeof(*f->loads));
	for (size_t i = 0; i < n; i++)
		if (gelf_getphdr(e, i, &ph) && ph.p_type == PT_LOAD)
			f->loads[f->nloads++] = (struct usym_load){
				ph.p_offset, ph.p_filesz, ph.p_memsz,
				ph.p_vaddr };
}

/* .symtab when the file has one (it holds the static functions too),
 * else .dynsym, which even a stripped file keeps. */
static void read_elf(int fd, struct usym_file *f)
{
	Elf_Scn *scn = NULL, *dyn = NULL;
	bool symtab = false;
	size_t cap = 0;
	GElf_Shdr sh;
	Elf *e;

	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!e)
		return;
	if (elf_kind(e) == ELF_K_ELF) {
		read_loads(e, f);
		while ((scn = elf_nextscn(e, scn))) {
			if (!gelf_getshdr(scn, &sh))
				continue;
			if (sh.sh_type == SHT_SYMTAB) {
				read_symtab(e, scn, &sh, f, &cap);
				symtab = true;
			} else if (sh.sh_type == SHT_DYNSYM) {
				dyn = scn;
			}
		}
		if (!symtab && dyn && gelf_getshdr(dyn, &sh))
			read_symtab(e, dyn, &sh, f, &cap);
	}
	elf_end(e);
	qsort(f->syms, f->nsyms, sizeof(*f->syms), by_addr_rank);
}

/* The symbol containing vaddr: the nearest start at or below it whose
 * size covers it (a zero-sized symbol only at its own address). */
static const char *find_sym(const struct usym_file *f, uint64_t vaddr)
{
	size_t lo = 0, hi = f->nsyms;

	while (lo < hi) {	/* the first symbol above vaddr */
		size_t mid = (lo + hi) / 2;
		if (f->syms[mid].addr <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* look back a little: nested or aliased symbols share ranges */
	for (size_t i = lo, k = 0; i > 0 && k < 16; i--, k++) {
		const struct usym_sym *s = &f->syms[i - 1];

		while (i > 1 && f->syms[i - 2].addr == s->addr)
			s = &f->syms[--i - 1];	/* the best of equals */
		if (vaddr < s->addr + s->size ||
		    (!s->size && vaddr == s->addr))
			return s->name;
	}
	return NULL;
}

/* A file offset to the address the ELF file links it at. An offset
 * past a segment's bytes may still be its .bss (memsz): tried second,
 * as segments overlap in the file there. */
static bool file_vaddr(const struct usym_file *f, uint64_t off,
		       uint64_t *vaddr)
{
	for (int bss = 0; bss < 2; bss++)
		for (size_t i = 0; i < f->nloads; i++) {
			const struct usym_load *l = &f->loads[i];
			uint64_t len = bss ? l->memsz : l->filesz;
			if (off >= l->off && off - l->off < len) {
				*vaddr = l->vaddr + (off - l->off);
				return true;
			}
		}
	return false;
}

static void file_free(struct usym_file *f)
{
	for (size_t i = 0; i < f->nsyms; i++)
		free(f->syms[i].name);
	free(f->syms);
	free(f->loads);
	free(f);
}

/* Open a mapped file as the process sees it: map_files works for a
 * deleted file or another mount namespace, root/PATH as a fallback. */
static int open_mapped(int pid, const struct usym_map *m)
{
	char buf[4096 + 64];
	int fd;

	snprintf(buf, sizeof(buf), "/proc/%d/map_files/%" PRIx64 "-%" PRIx64,
		 pid, m->start, m->end);
	fd = open(buf, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	snprintf(buf, sizeof(buf), "/proc/%d/root%s", pid, m->path);
	return open(buf, O_RDONLY | O_CLOEXEC);
}

/* The cached file of a mapping; its symbols are read by file_load,
 * only when an address falls in it. */
static struct usym_file *file_get(unsigned maj, unsigned min, uint64_t ino)
{
	struct usym_file *f;

	for (f = files; f; f = f->next)
		if (f->ino == ino && f->dev_major == maj && f->dev_minor == min)
			return f;
	f = xcalloc(1, sizeof(*f));
	f->dev_major = maj;
	f->dev_minor = min;
	f->ino = ino;
	f->next = files;
	files = f;
	return f;
}

static const struct usym_map *proc_file_map(const struct usym_proc *p,
					    const struct usym_file *f);

/* Read the symbols of m's file, through a mapping of the file itself
 * when m is its .bss. */
static void file_load(const struct usym_proc *p, const struct usym_map *m)
{
	int fd;

	if (m->file->loaded)
		return;
	m->file->loaded = true;	/* once, even if it cannot be read */
	if (!m->path)
		m = proc_file_map(p, m->file);
	fd = m ? open_mapped(p->pid, m) : -1;
	if (fd < 0)
		return;
	read_elf(fd, m->file);
	close(fd);
}

/* One line of /proc/PID/maps: "start-end perms offset maj:min inode
 * path"; *path is "" for an anonymous mapping (inode 0). */
static bool parse_maps_line(const char *line, struct usym_map *m,
			    unsigned *maj, unsigned *min, uint64_t *ino,
			    const char **path)
{
	char perms[8];
	int at = 0;

	if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %x:%x %"
		   SCNu64 " %n", &m->start, &m->end, perms, &m->off, maj, min,
		   ino, &at) < 7 || !at)
		return false;
	m->base = m->start;
	*path = line + at;
	return true;
}

static void proc_add_map(struct usym_proc *p, size_t *cap,
			 const struct usym_map *m)
{
	if (p->nmaps == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		p->maps = xrealloc(p->maps, *cap * sizeof(*p->maps));
	}
	p->maps[p->nmaps++] = *m;
}

static void proc_free_maps(struct usym_proc *p)
{
	for (size_t i = 0; i < p->nmaps; i++)
		free(p->maps[i].path);
	free(p->maps);
}

static void proc_read_maps(struct usym_proc *p)
{
	char name[64], line[4096 + 128];
	size_t cap = 0;
	FILE *f;

	proc_free_maps(p);
	p->maps = NULL;
	p->nmaps = 0;
	snprintf(name, sizeof(name), "/proc/%d/maps", p->pid);
	f = fopen(name, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		struct usym_map m;
		unsigned maj, min;
		uint64_t ino;
		const char *path;

		line[strcspn(line, "\n")] = 0;
		if (!parse_maps_line(line, &m, &maj, &min, &ino, &path))
			continue;
		if (ino && path[0] == '/') {
			m.path = xstrdup(path);
			m.file = file_get(maj, min, ino);
			proc_add_map(p, &cap, &m);
		} else if (!ino && !path[0] && p->nmaps &&
			   p->maps[p->nmaps - 1].end == m.start &&
			   p->maps[p->nmaps - 1].path) {
			const struct usym_map *prev = &p->maps[p->nmaps - 1];
			m.base = prev->base;	/* the file's .bss goes on */
			m.off = prev->off;
			m.path = NULL;
			m.file = prev->file;
			proc_add_map(p, &cap, &m);
		}
	}
	fclose(f);
}

/* The cached process, read now if new; the least recently used entry
 * makes room. *fresh says whether its maps were just read. */
static struct usym_proc *proc_get(int pid, bool *fresh)
{
	struct usym_proc *p = NULL, *old = &procs[0];

	clock_now++;
	for (unsigned i = 0; i < USYM_MAX_PROCS; i++) {
		if (procs[i].pid == pid && procs[i].used) {
			p = &procs[i];
			break;
		}
		if (procs[i].used < old->used)
			old = &procs[i];
	}
	*fresh = !p;
	if (!p) {
		p = old;
		p->pid = pid;
		proc_read_maps(p);
	}
	p->used = clock_now;
	return p;
}

static const struct usym_map *proc_find(const struct usym_proc *p,
					uint64_t addr)
{
	for (size_t i = 0; i < p->nmaps; i++)
		if (addr >= p->maps[i].start && addr < p->maps[i].end)
			return &p->maps[i];
	return NULL;
}

static const struct usym_map *proc_file_map(const struct usym_proc *p,
					    const struct usym_file *f)
{
	for (size_t i = 0; i < p->nmaps; i++)
		if (p->maps[i].file == f && p->maps[i].path)
			return &p->maps[i];
	return NULL;
}

char *rt_usym_lookup(int pid, uint64_t addr)
{
	const struct usym_map *m;
	struct usym_proc *p;
	const char *name;
	uint64_t vaddr;
	bool fresh;

	if (pid <= 0)
		return NULL;
	p = proc_get(pid, &fresh);
	m = proc_find(p, addr);
	if (!m && !fresh) {	/* mapped since (dlopen): read again */
		proc_read_maps(p);
		m = proc_find(p, addr);
	}
	if (!m)
		return NULL;
	file_load(p, m);
	if (!file_vaddr(m->file, addr - m->base + m->off, &vaddr))
		return NULL;
	name = find_sym(m->file, vaddr);
	return name ? xstrdup(name) : NULL;
}

void rt_usym_reset(void)
{
	for (unsigned i = 0; i < USYM_MAX_PROCS; i++) {
		proc_free_maps(&procs[i]);
		procs[i] = (struct usym_proc){ 0 };
	}
	while (files) {
		struct usym_file *f = files;
		files = f->next;
		file_free(f);
	}
	clock_now = 0;
}
