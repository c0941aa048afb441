// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * serve, load and demo: the classroom commands.  serve and load turn the
 * options into their own; demo launches `socktrace serve BACKEND` traced,
 * with `socktrace load` as its client (started once the server listens,
 * traced with --trace-client), through run's session.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "cmd_demo.h"
#include "compare.h"
#include "load.h"
#include "log.h"
#include "serve.h"
#include "session.h"

static struct serve_opts serve_opts_of(const struct config *cfg)
{
	return (struct serve_opts){.bind = cfg->host,
				   .port = cfg->port,
				   .edge = cfg->edge,
				   .udp = cfg->udp,
				   .sqpoll = cfg->sqpoll,
				   .backlog = cfg->backlog,
				   .accept_delay_ms = cfg->accept_delay_ms};
}

int cmd_serve_main(const struct config *cfg)
{
	struct serve_opts o = serve_opts_of(cfg);

	return cmd_serve(&o, cfg->backend);
}

int cmd_load_main(const struct config *cfg)
{
	struct load_opts o = {
		.host = cfg->host,
		.port = cfg->port,
		.connections = cfg->connections ? cfg->connections : 1,
		.idle = cfg->idle,
		.size = cfg->size ? cfg->size : 64,
		.requests = cfg->requests,
		.duration_ns = cfg->duration_set ? cfg->duration_ns : 3000000000ull,
		.udp = cfg->udp,
		.slow_ms = cfg->slow_ms,
		.json = cfg->format == FMT_JSON,
	};

	return cmd_load(&o);
}

/*
 * The port both sides are given: one free right now, or --port's once it
 * binds here (else every backend of --compare would fail alike).
 */
int demo_port(const struct config *cfg)
{
	const char *host = cfg->host;
	struct sockaddr_in6 in6 = {.sin6_family = AF_INET6, .sin6_port = htons(cfg->port)};
	struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(cfg->port)};
	int v6 = strchr(host, ':') != NULL, fd, port = -1, one = 1;
	socklen_t len = v6 ? sizeof(in6) : sizeof(in);
	void *sa = v6 ? (void *)&in6 : (void *)&in;

	if ((v6 ? inet_pton(AF_INET6, host, &in6.sin6_addr)
		: inet_pton(AF_INET, host, &in.sin_addr)) != 1) {
		err("--bind %s: not an IPv4 or IPv6 address", host);
		return -1;
	}
	fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
	/* SO_REUSEADDR as the server sets it: a port in TIME_WAIT is free to it */
	if (fd >= 0 && !setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) &&
	    !bind(fd, sa, len) && !getsockname(fd, sa, &len))
		port = ntohs(v6 ? in6.sin6_port : in.sin_port);
	if (fd >= 0)
		close(fd);
	if (port < 0 && cfg->port)
		err("cannot use port %d on %s: %s%s", cfg->port, host, strerror(errno),
		    errno == EADDRINUSE ? " (pick another --port, or none for a free one)" : "");
	else if (port < 0)
		err("cannot find a free port on %s: %s", host, strerror(errno));
	return port;
}

int demo_self_exe(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);

	if (n < 0) {
		err("cannot find socktrace's own binary: %s", strerror(errno));
		return -1;
	}
	buf[n] = 0;
	return 0;
}

static void list_backends(void)
{
	printf("socktrace demo BACKEND: an echo server and a client, the server traced.\n\n");
	for (size_t i = 0; i < backends_len; i++)
		printf("  %-9s %s\n", backends[i].name, backends[i].history);
	printf("\nIPv6 works with every backend (--bind ::1). Try:\n"
	       "  socktrace demo epoll\n"
	       "  socktrace demo blocking --view sequence --explain\n"
	       "  socktrace demo --compare\n"
	       "  socktrace demo --compare --idle 900   (select and poll scan the idle ones)\n");
}

int cmd_demo(const struct config *cfg)
{
	char self[4096], port[16], conns[16], reqs[32], size[16], slow[16], backlog[16], delay[16];
	char idle[16];
	char *server[20], *client[26];
	int n = 0, k = 0, p;

	if (cfg->compare)
		return compare_backends(cfg);
	if (!cfg->backend) {
		list_backends();
		return 0;
	}
	/* the server holds as many as the client: refused before either starts */
	if (load_check_fds(cfg->connections ? cfg->connections : 2, cfg->idle) ||
	    demo_self_exe(self, sizeof(self)) || (p = demo_port(cfg)) < 0)
		return 1;
	snprintf(port, sizeof(port), "%d", p);
	snprintf(conns, sizeof(conns), "%d", cfg->connections ? cfg->connections : 2);
	snprintf(reqs, sizeof(reqs), "%llu",
		 (unsigned long long)(cfg->requests ? cfg->requests : 3));
	snprintf(size, sizeof(size), "%u", cfg->size ? cfg->size : 16);
	snprintf(slow, sizeof(slow), "%d", cfg->slow_ms > 0 ? cfg->slow_ms : 0);

	server[n++] = self;
	server[n++] = "serve";
	server[n++] = (char *)cfg->backend;
	server[n++] = "--port";
	server[n++] = port;
	server[n++] = "--bind";
	server[n++] = (char *)cfg->host;
	if (cfg->edge)
		server[n++] = "--edge";
	if (cfg->udp)
		server[n++] = "--udp";
	if (cfg->sqpoll)
		server[n++] = "--sqpoll";
	if (cfg->backlog_set) {
		snprintf(backlog, sizeof(backlog), "%d", cfg->backlog);
		server[n++] = "--backlog";
		server[n++] = backlog;
	}
	if (cfg->accept_delay_ms) {
		snprintf(delay, sizeof(delay), "%d", cfg->accept_delay_ms);
		server[n++] = "--accept-delay";
		server[n++] = delay;
	}
	server[n] = NULL;

	client[k++] = self;
	client[k++] = "load";
	client[k++] = "--port";
	client[k++] = port;
	client[k++] = "--host";
	client[k++] = (char *)cfg->host;
	client[k++] = "--connections";
	client[k++] = conns;
	client[k++] = "--requests";
	client[k++] = reqs;
	client[k++] = "--size";
	client[k++] = size;
	/* step by step: the story reads in order, connection after connection */
	client[k++] = "--slow";
	client[k++] = slow;
	if (cfg->udp)
		client[k++] = "--udp";
	if (cfg->idle) {
		snprintf(idle, sizeof(idle), "%d", cfg->idle);
		client[k++] = "--idle";
		client[k++] = idle;
	}
	client[k] = NULL;

	return session_launch(
		cfg, &(struct launch){
			     .argv = server,
			     .name = cfg->backend,
			     .companion = client,
			     /* a recording is for every view: the sequence's needs both sides */
			     .trace_companion =
				     cfg->trace_client || cfg->view == VIEW_SEQUENCE || cfg->record,
		     });
}
