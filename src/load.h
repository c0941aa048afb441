/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The load client: N connections, request/response round trips of B bytes,
 * every echoed byte checked, latency percentiles.  epoll-driven so it is not
 * the bottleneck of a benchmark; with --slow, a step-by-step blocking client
 * a class can follow.
 */
#ifndef LOAD_H
#define LOAD_H

#include <stdint.h>
#include "poison.h"

struct load_opts {
	const char *host; /* 127.0.0.1 unless asked */
	int port;
	int connections;
	int idle;	      /* silent connections, opened first and held to the end */
	uint32_t size;	      /* bytes per message */
	uint64_t requests;    /* round trips per connection; 0: until duration */
	uint64_t duration_ns; /* with requests == 0 */
	int udp;
	int slow_ms; /* >= 0: step by step, pausing this long between steps */
	int json;
};

struct load_result {
	uint64_t round_trips, errors, bytes;
	uint64_t differed; /* of the errors, echoes not as sent: a server is there */
	double secs;
	uint64_t p50_ns, p99_ns, p999_ns, max_ns;
	char first_error[160];
};

/* Runs the load; 0, or -errno when it could not start (a message was logged). */
/*
 * 0 if that many connections fit in the files a process may open (the soft
 * limit raised to the hard one first); else -EMFILE after one line saying
 * how many do.  A server needs as many as its client.
 */
int load_check_fds(int connections, int idle);
int load_run(const struct load_opts *o, struct load_result *r);
void load_print(const struct load_opts *o, const struct load_result *r);
int cmd_load(const struct load_opts *o);

#endif /* LOAD_H */
