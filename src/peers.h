/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Which calls of traced processes are two ends of one exchange: a connect
 * and the accept that took it (by socket pair), a send and the recv that got
 * its bytes (by socket pair, in byte order), a datagram's sendto and the
 * recvfrom that got it (by the addresses they name).  Both ends must be traced.
 * Pure: the sequence view and the Perfetto exporter ask it, call by call.
 */
#ifndef PEERS_H
#define PEERS_H

#include "model.h"

enum peer_end { PEER_NONE, PEER_FROM, PEER_TO };

/*
 * A recv's end is its return less the stack walks socktrace made inside it:
 * it can stand before the start of the send it got, by this much at most.
 */
#define PEER_WALK_MAX_NS 1000000ull

/* What matching needs of a call: small enough to keep while its other end comes. */
struct peer_call {
	enum peer_end end; /* FROM: starts a flow (connect, send); TO: may end one */
	int kind;
	int dgram; /* one send, one recv; peer: the call's address when unconnected */
	char local[64], peer[64];
	long long ret;
	int err;
};

struct peers;

struct peers *peers__new(void);
void peers__free(struct peers *p);
/* c as matching sees it; returns its end (PEER_NONE: not a connect/accept/send/recv). */
enum peer_end peers__describe(const struct call *c, struct peer_call *out);
/* A FROM call: its flow's number (from 1), or 0. */
int peers__start(struct peers *p, const struct peer_call *c);
/*
 * A TO call: the number of the flow it ends (a recv: of the oldest send
 * whose bytes it got), or 0.  A recv often begins before the send it gets
 * (it waits): start the FROM calls of a batch before finishing its TO calls.
 */
int peers__finish(struct peers *p, const struct peer_call *c);
/* A call of this syscall (NT_SYS_*) may start a flow: a connect, or one that may send. */
int peers__sys_may_start(unsigned int sys_id);

#endif /* PEERS_H */
