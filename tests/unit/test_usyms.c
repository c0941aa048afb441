// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * User symbols on binaries built here: this test's own functions resolve from
 * its addresses (PIE load bias through /proc/self/maps); programs it compiles,
 * PIE and not, resolve in their own running processes; symbol tables are in
 * address order; a stripped copy still names exported functions through
 * .dynsym, and one with a .gnu_debuglink names its static ones and their lines.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "usyms.h"
#include "unit.h"

/* exported (-rdynamic), not inlined: found by address, and in .dynsym */
__attribute__((noinline)) int usyms_probe_target(int x);
__attribute__((noinline)) int usyms_probe_target(int x)
{
	return x * 3 + 1;
}

static void test_self(void)
{
	struct usyms *u = usyms__new(0);
	struct uframe f;
	uint64_t addr = (uint64_t)(uintptr_t)usyms_probe_target + 2;

	usyms__resolve(u, getpid(), addr, &f);
	t_streq(f.sym, "usyms_probe_target");
	t_check(f.off == 2);
	t_streq(f.module, "test_usyms");
	/* main is in the symbol table too; an address in no mapping is not named */
	usyms__resolve(u, getpid(), 8, &f);
	t_check(!f.sym && !f.module);
	usyms__free(u);
}

static void test_stripped(void)
{
	char exe[512], cmd[1200], copy[] = "/tmp/test_usyms.stripped.XXXXXX";
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct elf_syms *full, *stripped;
	int fd = mkstemp(copy);
	uint64_t off = 0;
	const char *name;

	if (n < 0 || fd < 0) {
		t_check(0);
		return;
	}
	exe[n] = 0;
	close(fd);
	snprintf(cmd, sizeof(cmd), "strip -o %s %s", copy, exe);
	if (system(cmd)) {
		fprintf(stderr, "strip failed: skipping the stripped check\n");
		unlink(copy);
		return;
	}
	full = elf_syms__open("", exe, 0);
	stripped = elf_syms__open("", copy, 0);
	t_check(full && stripped);
	if (full && stripped) {
		/* fewer symbols, but the exported function is there, at the same address */
		uint64_t va = elf_syms__addr(full, "usyms_probe_target");

		t_check(elf_syms__count(stripped) < elf_syms__count(full));
		t_check(va != 0);
		name = elf_syms__find(stripped, va, &off);
		t_streq(name, "usyms_probe_target");
		t_check(off == 0);
	}
	elf_syms__free(full);
	elf_syms__free(stripped);
	unlink(copy);
	t_check(!elf_syms__open("", "/etc/passwd", 0));
}

/* Every symbol is found at its own address: the table is sorted and searched right. */
static void check_sorted(const struct elf_syms *e)
{
	uint64_t prev = 0, addr, off;
	const char *name;

	for (int i = 0; (name = elf_syms__at(e, i, &addr)); i++) {
		const char *found = elf_syms__find(e, addr, &off);
		uint64_t found_addr = found ? elf_syms__addr(e, found) : 0;

		t_check(addr >= prev);
		/* an alias (two names, one address) may answer for it */
		t_check(found && off == 0 && found_addr == addr);
		prev = addr;
	}
}

#define PROGRAM                                                                                    \
	"#include <stdio.h>\n"                                                                     \
	"#include <unistd.h>\n"                                                                    \
	"__attribute__((noinline)) static int known(int x) { return x * 7 + getpid(); }\n"         \
	"int main(void) {\n"                                                                       \
	"	printf(\"%p\\n\", (void *)known); fflush(stdout);\n"                                     \
	"	char c; return known(read(0, &c, 1));\n"                                                 \
	"}\n"

/*
 * A program built with FLAGS names its static function by the address it
 * prints while it runs (the load bias of a PIE, none for a non-PIE), and the
 * stripped copy with a debug link finds it and its line in the debug file.
 */
static void test_built(const char *dir, const char *flags)
{
	char src[300], exe[300], dbg[320], lnk[320], cmd[4096], line[64];
	uint64_t addr = 0, off = 1;
	int to[2], from[2], status;
	struct elf_syms *e;
	const char *file = NULL;
	struct uframe f;
	struct usyms *u;
	FILE *out;
	pid_t pid;

	snprintf(src, sizeof(src), "%s/prog.c", dir);
	snprintf(exe, sizeof(exe), "%s/prog%s", dir, strstr(flags, "no-pie") ? "-nopie" : "-pie");
	snprintf(dbg, sizeof(dbg), "%s.debug", exe);
	snprintf(lnk, sizeof(lnk), "%s.linked", exe);
	out = fopen(src, "w");
	fputs(PROGRAM, out);
	fclose(out);
	snprintf(cmd, sizeof(cmd),
		 "cc -g -O1 %s %s -o %s && objcopy --only-keep-debug %s %s && "
		 "objcopy --strip-all --add-gnu-debuglink=%s %s %s",
		 flags, src, exe, exe, dbg, dbg, exe, lnk);
	if (system(cmd)) {
		fprintf(stderr, "cc or objcopy failed: skipping %s\n", flags);
		return;
	}
	e = elf_syms__open("", exe, 0);
	t_check(e != NULL);
	if (!e)
		return;
	check_sorted(e);
	t_check(elf_syms__addr(e, "known") != 0);
	/* a non-PIE is linked where it runs, a PIE at 0 and moved */
	t_check(strstr(flags, "no-pie") ? elf_syms__addr(e, "known") >= 0x400000
					: elf_syms__addr(e, "known") < 0x100000);
	elf_syms__free(e);

	/* running: the address it prints is named */
	if (pipe(to) || pipe(from) || (pid = fork()) < 0) {
		t_check(0);
		return;
	}
	if (!pid) {
		dup2(to[0], 0);
		dup2(from[1], 1);
		close(to[1]);
		close(from[0]);
		execl(exe, exe, (char *)NULL);
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	out = fdopen(from[0], "r");
	t_check(fgets(line, sizeof(line), out) && sscanf(line, "%" SCNx64, &addr) == 1);
	u = usyms__new(1);
	usyms__resolve(u, pid, addr + 1, &f);
	t_streq(f.sym, "known");
	t_check(f.off == 1);
	t_check(f.line == 3 && f.file && !strcmp(f.file, "prog.c"));
	usyms__free(u);
	close(to[1]);
	fclose(out);
	waitpid(pid, &status, 0);

	/* stripped, with a debug link: the static function and its line, from the debug file */
	e = elf_syms__open("", lnk, 1);
	t_check(e != NULL);
	if (e) {
		uint64_t va;
		const char *name;

		/* the debug file's addresses are the binary's */
		va = elf_syms__addr(e, "known");
		t_check(va != 0);
		name = elf_syms__find(e, va + 2, &off);
		t_streq(name, "known");
		t_check(off == 2);
		t_check(elf_syms__line(e, va, &file) == 3);
		t_streq(file, "prog.c");
		elf_syms__free(e);
	}
	unlink(src);
	unlink(exe);
	unlink(dbg);
	unlink(lnk);
}

int main(void)
{
	char dir[] = "/tmp/test_usyms.XXXXXX";

	test_self();
	test_stripped();
	if (mkdtemp(dir)) {
		test_built(dir, "-fPIE -pie");
		test_built(dir, "-fno-pie -no-pie");
		rmdir(dir);
	}
	return t_done();
}
