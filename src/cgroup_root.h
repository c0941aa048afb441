/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The root of the cgroup v2 hierarchy, where the cgroup socket hooks attach:
 * a program there runs for every process below it (a link allows others
 * beside it, and goes with the link's last fd).
 */
#ifndef CGROUP_ROOT_H
#define CGROUP_ROOT_H

#include <stddef.h>
#include "poison.h"

/*
 * An O_RDONLY fd on the root of the cgroup v2 hierarchy: where it is mounted,
 * else through a mount of our own, gone again before this returns.  -errno
 * with why saying what failed.
 */
int cgroup_root_open(char *why, size_t len);

#endif /* CGROUP_ROOT_H */
