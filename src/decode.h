/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Raw ring-buffer records -> model events.  Pure: tested with hand-built records. */
#ifndef DECODE_H
#define DECODE_H

#include <stddef.h>
#include <stdint.h>
#include "model.h"

struct ev_call;
struct ev_proc;
struct ev_ureq;
struct nt_addr;

/* 0, or -EINVAL when the record is inconsistent (size, unknown call). */
int decode_call(const struct ev_call *ev, size_t size, struct call *out);
int decode_proc(const struct ev_proc *ev, size_t size, struct proc_event *out);
/* Is the call's result a byte count (a send or receive of some kind, not *mmsg)? */
int call_moves_bytes(const struct call *c);
/* What a finished call moved, as the tables count it: a peek moved none. */
uint64_t call_bytes(const struct call *c);
/* Its category (xlat.h): a sendfile or splice from a socket is a receive. */
int call_category(const struct call *c);
/* Do the bytes it moved come in (a receive of some kind, or such a request)? */
int call_receives(const struct call *c);
/* What the kernel told of a socket, as shown (kind, endpoints, state). */
void decode_sock(const struct nt_sock *s, struct call_sock *out);
/* Keeps a unix socket's name (unames.h); -EINVAL if the record is malformed. */
int decode_uname(const struct ev_uname *ev, size_t size);
/* One CQE of an io_uring request, as a call with out->req filled. */
int decode_ureq(const struct ev_ureq *ev, size_t size, struct call *out);

/* "127.0.0.1:8080", "[::1]:8080", "\"/run/x.sock\"", "@abstract" */
char *fmt_sockaddr(const uint8_t *sa, size_t len, char *buf, size_t buflen);
char *fmt_nt_addr(const struct nt_addr *a, char *buf, size_t buflen);
/* "[3 5 9]" for the set bits below nfds */
char *fmt_fdset(const uint8_t *bits, size_t nbytes, uint64_t nfds, char *buf, size_t buflen);

#endif /* DECODE_H */
