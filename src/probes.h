/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Loading and attaching the BPF programs.  Only probes.c sees the skeleton;
 * the rest of socktrace sees this opaque handle, the ring buffer's fd and the
 * counters.
 */
#ifndef PROBES_H
#define PROBES_H

#include <stdint.h>
#include "poison.h"
#include <linux/types.h>
#include "socktrace.h"

struct probes;

struct probe_opts {
	const unsigned char *sys_on; /* [NT_SYS_MAX]: calls to attach */
	int follow;
	uint32_t buffer_bytes; /* ring buffer size, a power of two */
	const uint32_t *tgids; /* traced from the start */
	int ntgids;
	int verbose;
};

/* Opens, loads and attaches everything; NULL with errno set, the reason logged. */
struct probes *probes__new(const struct probe_opts *o);
void probes__free(struct probes *p);
int probes__ringbuf_fd(const struct probes *p);
/* Summed over CPUs, indexed by enum nt_stat. */
int probes__stats(const struct probes *p, uint64_t out[NT_STAT_MAX]);
/* A short description of the mechanism in use, for the header line. */
const char *probes__mechanism(const struct probes *p);

/* Checks done before anything is loaded; 0 or -errno with the reason logged. */
int probes_check_privileges(void);
int probes_check_kernel(void);

#endif /* PROBES_H */
