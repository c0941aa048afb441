// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The cgroup v2 root; see cgroup_root.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include "cgroup_root.h"

/* mountinfo escapes a path's space, tab, newline and backslash as \ooo */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
}

/* A cgroup2 mount of the hierarchy's root (not of a subtree), from mountinfo. */
static int open_mounted(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096], root[1024], dir[1024], type[64];
	int fd = -1;

	while (f && fd < 0 && fgets(line, sizeof(line), f)) {
		const char *sep = strstr(line, " - ");

		if (!sep || sscanf(line, "%*s %*s %*s %1023s %1023s", root, dir) != 2 ||
		    sscanf(sep, " - %63s", type) != 1)
			continue;
		if (strcmp(type, "cgroup2") || strcmp(root, "/"))
			continue;
		unescape(dir);
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (f)
		fclose(f);
	return fd;
}

/* Mounted here for as long as it takes to open it (a fresh machine, a VM's initramfs). */
static int open_own_mount(char *why, size_t len)
{
	char dir[] = "/tmp/socktrace-cgroup2.XXXXXX";
	int fd = -1, e = 0;

	if (!mkdtemp(dir)) {
		e = errno;
		snprintf(why, len, "no cgroup2 mount, and no directory for one in /tmp: %s",
			 strerror(e));
		return -e;
	}
	if (mount("cgroup2", dir, "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) {
		e = errno;
		snprintf(why, len, "no cgroup2 mount, and mounting one failed: %s", strerror(e));
	} else {
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		e = errno;
		if (fd < 0)
			snprintf(why, len, "cannot open the cgroup2 root: %s", strerror(e));
		umount2(dir, MNT_DETACH);
	}
	rmdir(dir);
	return fd >= 0 ? fd : -e;
}

int cgroup_root_open(char *why, size_t len)
{
	int fd = open_mounted();

	return fd >= 0 ? fd : open_own_mount(why, len);
}
