/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Calls that straddle the trace's ends.  A trace shows a call when it
 * returns, and pairs its return with an entry it saw: so a server parked in
 * accept or epoll_wait, from before attach until after the trace, would
 * show nothing.  At attach, the calls threads are already in (as /proc
 * shows them) are armed as if just entered; at the end, the calls still in
 * the kernel become the records the BPF side would have sent.
 */
#ifndef UNFINISHED_H
#define UNFINISHED_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "socktrace.h"
#include "poison.h"

/* Room for any record unfinished_record makes: select's sets or poll's array, then the hits. */
struct unfinished_buf {
	struct ev_call ev;
	__u8 rest[(sizeof(struct nt_aux_fdsets) > NT_VEC_MAX * sizeof(struct pollfd)
			   ? sizeof(struct nt_aux_fdsets)
			   : NT_VEC_MAX * sizeof(struct pollfd)) +
		  NT_HITS_MAX * sizeof(struct nt_hit)];
};

/*
 * Thread tid's in-flight entry as a record in *b, flagged NT_F_UNFINISHED
 * (dur_ns: its time in the kernel until now_ns), or, for a close held for
 * its socket's release, the record it was holding.  Returns the record's
 * size, 0 for a call no trace would show (a read of a pipe, a thread gone).
 */
size_t unfinished_record(uint32_t tid, const struct inflight *in, uint64_t now_ns,
			 struct unfinished_buf *b);

/* Each thread of process pid that is inside a syscall: fn(ctx, tid, nr, args). */
void syscalls_in_progress(uint32_t pid,
			  void (*fn)(void *ctx, uint32_t tid, long nr, const uint64_t args[6]),
			  void *ctx);

#endif /* UNFINISHED_H */
