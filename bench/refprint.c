// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * refprint PID FILE: the reference design's reader (see refprint.bpf.c).
 * Drains the ring every 5 ms, as the measurement did, one line a
 * call through a buffered FILE; on SIGINT or SIGTERM drains once more and
 * ends with "# N calls, N lost".
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "refprint.skel.h"
#include "refprint.h"

static volatile sig_atomic_t stop;
static unsigned long long calls;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int on_call(void *ctx, void *data, size_t size)
{
	const struct ref_call *c = data;

	(void)size;
	fprintf(ctx, "%llu.%06llu %u %u nr=%lld = %lld %lluns\n", c->ts_ns / 1000000000,
		c->ts_ns % 1000000000 / 1000, c->tgid, c->tid, (long long)c->nr, (long long)c->ret,
		(unsigned long long)c->dur_ns);
	calls++;
	return 0;
}

int main(int argc, char **argv)
{
	static char buf[1 << 16];
	const struct timespec drain = {.tv_nsec = 5000000};
	struct refprint_bpf *skel;
	struct ring_buffer *rb = NULL;
	FILE *out = NULL;
	char *end;
	long pid;
	int fd, err = 1;

	if (argc != 3 || (pid = strtol(argv[1], &end, 10)) <= 0 || *end) {
		fprintf(stderr, "usage: refprint PID FILE\n");
		return 2;
	}
	skel = refprint_bpf__open();
	if (!skel) {
		fprintf(stderr, "refprint: cannot open its BPF object: %s\n", strerror(errno));
		return 1;
	}
	skel->rodata->targ_tgid = pid;
	if (refprint_bpf__load(skel) || refprint_bpf__attach(skel)) {
		fprintf(stderr, "refprint: cannot load or attach: %s\n", strerror(errno));
		goto out;
	}
	fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || !(out = fdopen(fd, "w"))) {
		fprintf(stderr, "refprint: cannot open '%s': %s\n", argv[2], strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	setvbuf(out, buf, _IOFBF, sizeof(buf));
	rb = ring_buffer__new(bpf_map__fd(skel->maps.calls), on_call, out, NULL);
	if (!rb) {
		fprintf(stderr, "refprint: cannot map the ring buffer: %s\n", strerror(errno));
		goto out;
	}
	/* the bench starts its load once the file is not empty */
	fprintf(out, "# refprint: tracing pid %ld\n", pid);
	fflush(out);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	while (!stop) {
		nanosleep(&drain, NULL);
		ring_buffer__consume(rb);
		fflush(out);
	}
	ring_buffer__consume(rb);
	fprintf(out, "# %llu calls, %llu lost\n", calls, (unsigned long long)skel->bss->lost);
	err = 0;
out:
	ring_buffer__free(rb);
	if (out && fclose(out))
		err = 1;
	refprint_bpf__destroy(skel);
	return err;
}
