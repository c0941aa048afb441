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
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "demangle.h"
#include "ulines.h"
#include "usyms.h"
#include "util.h"

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
	char *names;  /* every name, NUL-separated */
	char **shown; /* demangled names, made when first found (elf_syms__find_shown) */
	struct segment seg[16];
	int nseg;
	int lines_fd;	      /* -uu: the file with DWARF lines (itself or its debug file), or -1 */
	struct ulines *lines; /* read from it when first asked */
	int lines_tried;
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
	size_t count = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0, names_cap = *names_len;
	struct esym *more = realloc(e->syms, (e->n + count + 1) * sizeof(*e->syms));

	/* room for every symbol at once; names grow by doubling (a libc has 10^4 of them) */
	if (!more)
		return -ENOMEM;
	e->syms = more;
	for (size_t i = 0; data && i < count; i++) {
		GElf_Sym sym;
		const char *name;
		size_t len;

		if (!gelf_getsym(data, i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
		    !sym.st_value || !(name = elf_strptr(elf, sh->sh_link, sym.st_name)) || !*name)
			continue;
		len = strlen(name) + 1;
		if (*names_len + len > names_cap) {
			char *grown;

			names_cap = (*names_len + len) * 2;
			if (!(grown = realloc(e->names, names_cap)))
				return -ENOMEM;
			e->names = grown;
		}
		memcpy(e->names + *names_len, name, len);
		printable(e->names + *names_len); /* a binary's names are its author's */
		/* names move with realloc: keep offsets now, pointers at the end */
		e->syms[e->n++] = (struct esym){sym.st_value, sym.st_size,
						(const char *)(uintptr_t)*names_len};
		*names_len += len;
	}
	return 0;
}

/* An ELF file, opened with libelf; NULL (fd closed) if it is not one. */
static Elf *elf_open(const char *path, int *fd)
{
	Elf *elf = NULL;

	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return NULL;
	if (elf_version(EV_CURRENT) == EV_NONE || !(elf = elf_begin(*fd, ELF_C_READ, NULL)) ||
	    elf_kind(elf) != ELF_K_ELF) {
		if (elf)
			elf_end(elf);
		close(*fd);
		*fd = -1;
		errno = ENOEXEC;
		return NULL;
	}
	return elf;
}

static Elf_Scn *section_named(Elf *elf, const char *name)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *n;

		if (gelf_getshdr(scn, &sh) && (n = elf_strptr(elf, shstrndx, sh.sh_name)) &&
		    !strcmp(n, name))
			return scn;
	}
	return NULL;
}

/* Function symbols of the first section of this type; 1 if there was one. */
static int read_symbols(Elf *elf, Elf64_Word type, struct elf_syms *e, size_t *names_len)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && sh.sh_type == type)
			return read_symtab(elf, scn, &sh, e, names_len) ? -1 : 1;
	}
	return 0;
}

/* The GNU build ID as hex, "" if the file has none. */
static void build_id(Elf *elf, char *hex, size_t len)
{
	Elf_Scn *scn = NULL;

	hex[0] = 0;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		GElf_Nhdr nh;
		size_t off = 0, name_off, desc_off;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE ||
		    !(d = elf_getdata(scn, NULL)))
			continue;
		while ((off = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
			const unsigned char *id = (const unsigned char *)d->d_buf + desc_off;

			if (nh.n_type != NT_GNU_BUILD_ID || nh.n_namesz != 4 ||
			    memcmp((const char *)d->d_buf + name_off, "GNU", 4) ||
			    nh.n_descsz * 2 + 1 > len)
				continue;
			for (size_t i = 0; i < nh.n_descsz; i++)
				snprintf(hex + 2 * i, 3, "%02x", id[i]);
			return;
		}
	}
}

/* zlib's CRC-32 is the one .gnu_debuglink records. */
static int crc_matches(const char *path, uint32_t want)
{
	unsigned char buf[65536];
	uLong crc = crc32(0L, Z_NULL, 0);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		crc = crc32(crc, buf, (uInt)n);
	close(fd);
	return n == 0 && crc == want;
}

/*
 * A stripped binary's separate debug file, where gdb and perf look: the
 * build-ID tree, then the .gnu_debuglink name beside the binary, in its
 * .debug/ directory and under /usr/lib/debug.  Inside root (the process's
 * view of the file system).  1 if found.
 */
static int find_debug_file(Elf *elf, const char *root, const char *path, char *out, size_t len)
{
	char id[128], dir[512];
	Elf_Scn *scn;
	Elf_Data *d;
	const char *slash = strrchr(path, '/');

	build_id(elf, id, sizeof(id));
	if (strlen(id) > 2) {
		snprintf(out, len, "%s/usr/lib/debug/.build-id/%.2s/%s.debug", root, id, id + 2);
		if (!access(out, R_OK))
			return 1;
	}
	scn = section_named(elf, ".gnu_debuglink");
	d = scn ? elf_getdata(scn, NULL) : NULL;
	if (!d || !d->d_size || !memchr(d->d_buf, 0, d->d_size))
		return 0;
	{
		const char *name = d->d_buf;
		size_t crc_at = (strlen(name) + 4) & ~(size_t)3;
		uint32_t crc;
		const char *fmt[] = {"%s%s/%s", "%s%s/.debug/%s", "%s/usr/lib/debug%s/%s"};

		if (crc_at + 4 > d->d_size)
			return 0;
		memcpy(&crc, (const char *)d->d_buf + crc_at, 4);
		snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 0, path);
		for (size_t i = 0; i < sizeof(fmt) / sizeof(fmt[0]); i++) {
			snprintf(out, len, fmt[i], root, dir, name);
			if (crc_matches(out, crc))
				return 1;
		}
	}
	return 0;
}

struct elf_syms *elf_syms__open(const char *root, const char *path, int want_lines)
{
	struct elf_syms *e = calloc(1, sizeof(*e));
	char real[1024], debug[1200];
	int fd = -1, dfd = -1, have_symtab = 0, has_lines, err = 0;
	size_t names_len = 0, nphdr = 0;
	Elf *elf = NULL, *delf = NULL;

	snprintf(real, sizeof(real), "%s%s", root, path);
	if (e)
		e->lines_fd = -1;
	if (!e || !(elf = elf_open(real, &fd))) {
		err = errno;
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
	has_lines = section_named(elf, ".debug_line") != NULL;
	/* opened now: once the process has gone, its /proc/PID/root is gone too */
	e->lines_fd = want_lines && has_lines ? open(real, O_RDONLY | O_CLOEXEC) : -1;
	/* the debug file has what stripping took: the full symbol table, the lines */
	if ((!has_lines || !section_named(elf, ".symtab")) &&
	    find_debug_file(elf, root, path, debug, sizeof(debug)) &&
	    (delf = elf_open(debug, &dfd))) {
		have_symtab = read_symbols(delf, SHT_SYMTAB, e, &names_len);
		if (want_lines && !has_lines && section_named(delf, ".debug_line"))
			e->lines_fd = open(debug, O_RDONLY | O_CLOEXEC);
	}
	/* .symtab when present (not stripped), else the exported .dynsym */
	if (have_symtab <= 0)
		have_symtab = read_symbols(elf, SHT_SYMTAB, e, &names_len);
	if (have_symtab <= 0 && read_symbols(elf, SHT_DYNSYM, e, &names_len) < 0)
		have_symtab = -1;
	if (have_symtab < 0) {
		err = ENOMEM;
		goto fail;
	}
	for (int i = 0; i < e->n; i++)
		e->syms[i].name = e->names + (uintptr_t)e->syms[i].name;
	qsort(e->syms, e->n, sizeof(*e->syms), by_addr);
	err = 0;
fail:
	if (delf)
		elf_end(delf);
	if (dfd >= 0)
		close(dfd);
	if (elf)
		elf_end(elf);
	if (fd >= 0)
		close(fd);
	if (err) {
		elf_syms__free(e);
		errno = err;
		return NULL;
	}
	return e;
}

int elf_syms__line(struct elf_syms *e, uint64_t vaddr, const char **file)
{
	if (!e->lines_tried) {
		e->lines_tried = 1;
		e->lines = e->lines_fd >= 0 ? ulines__open(e->lines_fd) : NULL;
		e->lines_fd = -1; /* ulines owns it now */
	}
	return e->lines ? ulines__find(e->lines, vaddr, file) : 0;
}

void elf_syms__free(struct elf_syms *e)
{
	if (!e)
		return;
	ulines__free(e->lines);
	if (e->lines_fd >= 0)
		close(e->lines_fd);
	for (int i = 0; e->shown && i < e->n; i++)
		if (e->shown[i] != e->syms[i].name)
			free(e->shown[i]);
	free(e->shown);
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

/* The symbol vaddr is in, or -1; the offset into it in *off. */
static int sym_at(const struct elf_syms *e, uint64_t vaddr, uint64_t *off)
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
		return -1;
	*off = vaddr - e->syms[best].addr;
	return best;
}

const char *elf_syms__find(const struct elf_syms *e, uint64_t vaddr, uint64_t *off)
{
	int i = sym_at(e, vaddr, off);

	return i < 0 ? NULL : e->syms[i].name;
}

const char *elf_syms__find_shown(struct elf_syms *e, uint64_t vaddr, uint64_t *off)
{
	int i = sym_at(e, vaddr, off);

	if (i < 0)
		return NULL;
	if (!e->shown && !(e->shown = calloc(e->n, sizeof(*e->shown))))
		return e->syms[i].name;
	if (!e->shown[i]) { /* once per symbol: its own name if not mangled */
		char *d = demangle(e->syms[i].name);

		e->shown[i] = d ? d : (char *)e->syms[i].name;
	}
	return e->shown[i];
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

const char *elf_syms__at(const struct elf_syms *e, int i, uint64_t *addr)
{
	if (i < 0 || i >= e->n)
		return NULL;
	*addr = e->syms[i].addr;
	return e->syms[i].name;
}

struct file;

struct mapping {
	uint64_t start, end, pgoff;
	struct file *file;
};

/* A file by identity (device, inode): two mount namespaces, or a rebuilt binary, differ. */
struct file {
	dev_t dev;
	ino_t ino;
	const char *name;      /* its base name, as the process's maps show it */
	struct elf_syms *syms; /* NULL: not ELF, or unreadable */
	struct file *next;
	char path[];
};

struct process {
	uint32_t pid;
	struct mapping *maps;
	int nmaps;
	uint64_t read_ns; /* CLOCK_MONOTONIC, as records' times: when maps were read */
	struct process *next;
};

/*
 * A busy server makes the same calls from the same places: each address is
 * named once, then found here (direct-mapped by pid and address).
 */
#define FRAME_CACHE 4096

struct cached_frame {
	uint32_t pid;
	struct uframe f;
};

struct usyms {
	struct process *procs;
	struct file *files;
	int want_lines;
	struct cached_frame cache[FRAME_CACHE];
};

struct usyms *usyms__new(int want_lines)
{
	struct usyms *u = calloc(1, sizeof(struct usyms));

	if (u)
		u->want_lines = want_lines;
	return u;
}

static struct file *file_of(struct usyms *u, uint32_t pid, const char *path)
{
	char root[64], real[1024];
	struct stat st;
	struct file *f;

	/* through the process's root: its mount namespace's view of the file */
	snprintf(root, sizeof(root), "/proc/%u/root", pid);
	snprintf(real, sizeof(real), "%s%s", root, path);
	if (stat(real, &st)) {
		root[0] = 0;
		if (stat(path, &st))
			return NULL;
	}
	for (f = u->files; f; f = f->next)
		if (f->dev == st.st_dev && f->ino == st.st_ino)
			return f;
	f = calloc(1, sizeof(*f) + 2 * (strlen(path) + 1));
	if (!f)
		return NULL;
	strcpy(f->path, path);
	/* shown in frames: a printable copy after the path, which stays as opened */
	f->name = printable(strcpy(f->path + strlen(path) + 1,
				   strrchr(path, '/') ? strrchr(path, '/') + 1 : path));
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->syms = elf_syms__open(root, path, u->want_lines);
	f->next = u->files;
	u->files = f;
	return f;
}

/* /proc/PID/maps whole, read before anything else is done: a short command exits as we go. */
static char *maps_text(uint32_t pid)
{
	char path[64], *text;
	size_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/maps", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	text = read_to_end(fd, 1 << 16, SIZE_MAX, &len);
	close(fd);
	return text;
}

/*
 * The process's executable mappings now.  A process gone (or a zombie) has
 * none: the ones read while it lived are kept, the best there is.
 */
static struct process *read_maps(struct usyms *u, struct process *p)
{
	char *text = maps_text(p->pid), *line, *save = NULL;
	struct mapping *maps = NULL;
	int nmaps = 0;

	for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		uint64_t start, end, pgoff;
		char perms[8], file[600] = "";
		struct mapping *more;

		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %*s %*s %599[^\n]",
			   &start, &end, perms, &pgoff, file) < 4 ||
		    perms[2] != 'x' || file[0] != '/')
			continue;
		more = realloc(maps, (nmaps + 1) * sizeof(*more));
		if (!more)
			break;
		maps = more;
		maps[nmaps++] = (struct mapping){start, end, pgoff, file_of(u, p->pid, file)};
	}
	free(text);
	if (!nmaps)
		return p;
	free(p->maps);
	p->maps = maps;
	p->nmaps = nmaps;
	p->read_ns = mono_ns();
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

static void name_frame(struct usyms *u, uint32_t pid, uint64_t addr, struct uframe *out)
{
	struct process *p = process_of(u, pid);
	const struct mapping *m = p ? find_map(p, addr) : NULL;
	uint64_t vaddr;

	*out = (struct uframe){.addr = addr};
	/*
	 * An address outside every known mapping: a library dlopened since, or
	 * an exec.  Names cached from the old mappings may no longer hold (a
	 * first sight of a pid has none to drop).
	 */
	if (p && !m) {
		memset(u->cache, 0, sizeof(u->cache));
		m = find_map(read_maps(u, p), addr);
	}
	if (!m || !m->file)
		return;
	out->module = m->file->name;
	if (!m->file->syms)
		return;
	/* the file offset, then the link-time address: PIE and non-PIE alike */
	vaddr = elf_syms__vaddr(m->file->syms, addr - m->start + m->pgoff);
	if (!vaddr)
		return;
	out->sym = elf_syms__find_shown(m->file->syms, vaddr, &out->off);
	/* a return address is just past its call: the call's line is the one before */
	if (u->want_lines)
		out->line = elf_syms__line(m->file->syms, vaddr - 1, &out->file);
}

void usyms__resolve(struct usyms *u, uint32_t pid, uint64_t addr, struct uframe *out)
{
	struct cached_frame *c = &u->cache[(addr ^ (addr >> 12) ^ pid * 2654435761u) % FRAME_CACHE];

	if (c->pid == pid && c->f.addr == addr && addr) {
		*out = c->f;
		return;
	}
	name_frame(u, pid, addr, out);
	c->pid = pid;
	c->f = *out;
}

void usyms__snapshot(struct usyms *u, uint32_t pid)
{
	struct process *p = u->procs;

	while (p && p->pid != pid)
		p = p->next;
	if (p)
		read_maps(u, p);
	else
		process_of(u, pid); /* made with its maps read */
	memset(u->cache, 0, sizeof(u->cache));
}

void usyms__forget(struct usyms *u, uint32_t pid, uint64_t ts_ns)
{
	for (struct process **pp = &u->procs; *pp; pp = &(*pp)->next)
		if ((*pp)->pid == pid) {
			struct process *p = *pp;

			if (p->read_ns > ts_ns)
				return; /* read since: they are the new program's already */
			memset(u->cache, 0, sizeof(u->cache));
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
