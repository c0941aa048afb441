// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unix socket names by inode; see unames.h. */
#include <stdlib.h>
#include <string.h>
#include "unames.h"

/*
 * Inodes direct-mapped: a newer socket takes an older one's slot, which then
 * shows its inode again.  Names interned: every connection accepted on one
 * listener has the listener's name, so a few strings serve many sockets, and
 * a name handed out stays valid however slots are reused.
 */
#define UNAMES_SLOTS 16384
#define UNAMES_NAMES 1024 /* distinct names; sockets with newer ones show their inode */

struct uname_slot {
	uint64_t ino;
	const char *name;
};

static struct uname_slot *slots;
static char *names[UNAMES_NAMES];
static int nnames;
static unsigned int gen;

static const char *intern(const char *name)
{
	for (int i = 0; i < nnames; i++)
		if (!strcmp(names[i], name))
			return names[i];
	if (nnames == UNAMES_NAMES || !(names[nnames] = strdup(name)))
		return NULL;
	return names[nnames++];
}

void unames_set(uint64_t ino, const char *name)
{
	const char *kept;

	/* only a trace that meets a named unix socket pays for the table */
	if (!slots && !(slots = calloc(UNAMES_SLOTS, sizeof(*slots))))
		return;
	if (!ino || !(kept = intern(name)))
		return;
	slots[ino % UNAMES_SLOTS] = (struct uname_slot){ino, kept};
	gen++;
}

const char *unames_get(uint64_t ino)
{
	const struct uname_slot *s = slots ? &slots[ino % UNAMES_SLOTS] : NULL;

	return s && ino && s->ino == ino ? s->name : NULL;
}

unsigned int unames_gen(void)
{
	return gen;
}

const char *unames_bare(const char *name, char *buf, size_t len)
{
	size_t o = 0;

	for (const char *p = name; *p && o + 1 < len; p++)
		if (*p != '"')
			buf[o++] = *p;
	if (len)
		buf[o] = 0;
	return buf;
}
