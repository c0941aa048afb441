/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The calls still in the kernel when tracing stops, as the records the
 * BPF side would have sent: a trace shows a call when it returns, so a
 * server parked in accept or epoll_wait would otherwise show nothing.
 */
#ifndef UNFINISHED_H
#define UNFINISHED_H

#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "socktrace.h"
#include "poison.h"

/* Room for any record unfinished_record makes. */
struct unfinished_buf {
	struct ev_call ev;
	struct nt_hit hits[NT_HITS_MAX];
};

/*
 * Thread tid's in-flight entry as a record in *b, flagged NT_F_UNFINISHED
 * (dur_ns: its time in the kernel until now_ns), or, for a close held for
 * its socket's release, the record it was holding.  Returns the record's
 * size, 0 for a call no trace would show (a read of a pipe, a thread gone).
 */
size_t unfinished_record(uint32_t tid, const struct inflight *in, uint64_t now_ns,
			 struct unfinished_buf *b);

#endif /* UNFINISHED_H */
