// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* User symbols with libelf; see usyms.h. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "usyms.h"

struct esym {
	uint64_t addr, size;
	const char *name;
};

struct segment {
	uint64_t vaddr, offset, filesz;
};

struct elf_syms {
	struct esym *syms;
	int n;
	char *names; /* every name, NUL-separated */
	struct segment seg[16];
	int nseg;
};

static int by_addr(const void *a, const void *b)
{
	const struct esym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Function symbols of one symbol table section. */
static int read_symtab(Elf *elf, Elf_Scn *scn, GElf_Shdr *sh, struct elf_syms *e, size_t *names_len)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t count = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;

	for (size_t i = 0; data && i < count; i++) {
		GElf_Sym sym;
		const char *name;
		size_t len;
		char *grown;
		struct esym *more;

		if (!gelf_getsym(data, i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
		    !sym.st_value || !(name = elf_strptr(elf, sh->sh_link, sym.st_name)) || !*name)
			continue;
		len = strlen(name) + 1;
		grown = realloc(e->names, *names_len + len);
		more = realloc(e->syms, (e->n + 1) * sizeof(*e->syms));
		if (grown)
			e->names = grown;
		if (more)
			e->syms = more;
		if (!grown || !more)
			return -ENOMEM;
		memcpy(e->names + *names_len, name, len);
		/* names move with realloc: keep offsets now, pointers at the end */
		e->syms[e->n++] = (struct esym){sym.st_value, sym.st_size,
						(const char *)(uintptr_t)*names_len};
		*names_len += len;
	}
	return 0;
}

struct elf_syms *elf_syms__open(const char *path)
{
	struct elf_syms *e = calloc(1, sizeof(*e));
	int fd = open(path, O_RDONLY | O_CLOEXEC), have_symtab = 0, err = 0;
	size_t names_len = 0, nphdr = 0;
	Elf_Scn *scn = NULL;
	Elf *elf = NULL;

	if (!e || fd < 0 || elf_version(EV_CURRENT) == EV_NONE ||
	    !(elf = elf_begin(fd, ELF_C_READ, NULL)) || elf_kind(elf) != ELF_K_ELF) {
		err = fd < 0 ? errno : ENOEXEC;
		goto fail;
	}
	/* where each file offset is loaded (offset -> link-time address) */
	if (!elf_getphdrnum(elf, &nphdr))
		for (size_t i = 0; i < nphdr && e->nseg < 16; i++) {
			GElf_Phdr ph;

			if (gelf_getphdr(elf, i, &ph) && ph.p_type == PT_LOAD)
				e->seg[e->nseg++] =
					(struct segment){ph.p_vaddr, ph.p_offset, ph.p_filesz};
		}
	/* .symtab when present (not stripped), else the exported .dynsym */
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB) {
			have_symtab = 1;
			err = -read_symtab(elf, scn, &sh, e, &names_len);
		}
	}
	while (!have_symtab && !err && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_DYNSYM)
			err = -read_symtab(elf, scn, &sh, e, &names_len);
	}
	if (err)
		goto fail;
	for (int i = 0; i < e->n; i++)
		e->syms[i].name = e->names + (uintptr_t)e->syms[i].name;
	qsort(e->syms, e->n, sizeof(*e->syms), by_addr);
	elf_end(elf);
	close(fd);
	return e;
fail:
	if (elf)
		elf_end(elf);
	if (fd >= 0)
		close(fd);
	elf_syms__free(e);
	errno = err ? err : EINVAL;
	return NULL;
}

void elf_syms__free(struct elf_syms *e)
{
	if (!e)
		return;
	free(e->syms);
	free(e->names);
	free(e);
}

uint64_t elf_syms__vaddr(const struct elf_syms *e, uint64_t file_off)
{
	for (int i = 0; i < e->nseg; i++)
		if (file_off >= e->seg[i].offset && file_off < e->seg[i].offset + e->seg[i].filesz)
			return e->seg[i].vaddr + (file_off - e->seg[i].offset);
	return 0;
}

const char *elf_syms__find(const struct elf_syms *e, uint64_t vaddr, uint64_t *off)
{
	int lo = 0, hi = e->n - 1, best = -1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;

		if (e->syms[mid].addr <= vaddr) {
			best = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	/* past a sized symbol's end is not inside it */
	if (best < 0 || (e->syms[best].size && vaddr >= e->syms[best].addr + e->syms[best].size))
		return NULL;
	*off = vaddr - e->syms[best].addr;
	return e->syms[best].name;
}

uint64_t elf_syms__addr(const struct elf_syms *e, const char *name)
{
	for (int i = 0; i < e->n; i++)
		if (!strcmp(e->syms[i].name, name))
			return e->syms[i].addr;
	return 0;
}

int elf_syms__count(const struct elf_syms *e)
{
	return e->n;
}

struct file;

struct mapping {
	uint64_t start, end, pgoff;
	struct file *file;
};

struct file {
	char path[512];	       /* as the process sees it */
	uint32_t pid;	       /* read through /proc/pid/root */
	struct elf_syms *syms; /* NULL: not ELF, or unreadable */
	struct file *next;
};

struct process {
	uint32_t pid;
	struct mapping *maps;
	int nmaps;
	struct process *next;
};

struct usyms {
	struct process *procs;
	struct file *files;
};

struct usyms *usyms__new(void)
{
	return calloc(1, sizeof(struct usyms));
}

static struct file *file_of(struct usyms *u, uint32_t pid, const char *path)
{
	char real[600];
	struct file *f;

	for (f = u->files; f; f = f->next)
		if (!strcmp(f->path, path))
			return f;
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	snprintf(f->path, sizeof(f->path), "%s", path);
	f->pid = pid;
	/* through the process's root: its mount namespace's view of the file */
	snprintf(real, sizeof(real), "/proc/%u/root%s", pid, path);
	f->syms = elf_syms__open(real);
	if (!f->syms)
		f->syms = elf_syms__open(path);
	f->next = u->files;
	u->files = f;
	return f;
}

static struct process *read_maps(struct usyms *u, struct process *p)
{
	char path[64], line[1024];
	FILE *m;

	snprintf(path, sizeof(path), "/proc/%u/maps", p->pid);
	m = fopen(path, "r");
	free(p->maps);
	p->maps = NULL;
	p->nmaps = 0;
	while (m && fgets(line, sizeof(line), m)) {
		uint64_t start, end, pgoff;
		char perms[8], file[600] = "";
		struct mapping *more;

		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %*s %*s %599[^\n]",
			   &start, &end, perms, &pgoff, file) < 4 ||
		    perms[2] != 'x' || file[0] != '/')
			continue;
		more = realloc(p->maps, (p->nmaps + 1) * sizeof(*more));
		if (!more)
			break;
		p->maps = more;
		p->maps[p->nmaps++] = (struct mapping){start, end, pgoff, file_of(u, p->pid, file)};
	}
	if (m)
		fclose(m);
	return p;
}

static struct process *process_of(struct usyms *u, uint32_t pid)
{
	struct process *p;

	for (p = u->procs; p; p = p->next)
		if (p->pid == pid)
			return p;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->pid = pid;
	p->next = u->procs;
	u->procs = p;
	return read_maps(u, p);
}

static const struct mapping *find_map(const struct process *p, uint64_t addr)
{
	for (int i = 0; i < p->nmaps; i++)
		if (addr >= p->maps[i].start && addr < p->maps[i].end)
			return &p->maps[i];
	return NULL;
}

void usyms__resolve(struct usyms *u, uint32_t pid, uint64_t addr, struct uframe *out)
{
	struct process *p = process_of(u, pid);
	const struct mapping *m = p ? find_map(p, addr) : NULL;
	uint64_t vaddr;

	out->addr = addr;
	out->sym = NULL;
	out->module = NULL;
	out->off = 0;
	/* an address outside every known mapping: a library dlopened since, or an exec */
	if (p && !m)
		m = find_map(read_maps(u, p), addr);
	if (!m || !m->file)
		return;
	out->module = strrchr(m->file->path, '/') ? strrchr(m->file->path, '/') + 1 : m->file->path;
	if (!m->file->syms)
		return;
	/* the file offset, then the link-time address: PIE and non-PIE alike */
	vaddr = elf_syms__vaddr(m->file->syms, addr - m->start + m->pgoff);
	if (vaddr)
		out->sym = elf_syms__find(m->file->syms, vaddr, &out->off);
}

void usyms__forget(struct usyms *u, uint32_t pid)
{
	for (struct process **pp = &u->procs; *pp; pp = &(*pp)->next)
		if ((*pp)->pid == pid) {
			struct process *p = *pp;

			*pp = p->next;
			free(p->maps);
			free(p);
			return;
		}
}

void usyms__free(struct usyms *u)
{
	if (!u)
		return;
	while (u->procs) {
		struct process *p = u->procs;

		u->procs = p->next;
		free(p->maps);
		free(p);
	}
	while (u->files) {
		struct file *f = u->files;

		u->files = f->next;
		elf_syms__free(f->syms);
		free(f);
	}
	free(u);
}
