/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --record FILE and `socktrace report FILE`: the raw event stream in the
 * order it was shown, with what rendering it elsewhere needs.
 *
 * File: "SOCKTRACE-REC v2" (16 bytes), then chunks of u32 type, u32 length
 * (little endian), payload:
 *   HEADER  key=value lines: the trace header, the clock, the host
 *   BLOCK   u32 raw length, then zlib (deflate) of items: u32 size, record
 *           bytes; size 0 marks the end of a drain
 *   STACKS  the kernel stacks hits refer to: i32 id, u32 n, u64 frames[n]...
 *   SYMS    kallsyms lines for every frame's function (renders without the kernel)
 *   USYMS   -u: the user frames named, by pid and address (uframes.h's text)
 *           (STACKS, SYMS, USYMS: what is met since the last of them, after
 *           the blocks that met it and at the end; a reader takes them all)
 *   FOOTER  key=value lines: what ended it, the counts and losses
 * Every length is checked when read; a bad file is one error, never a crash.
 * Each block is in the file whole within a second of its first record, so
 * a recording whose writer was killed reads up to where it stopped.
 */
#ifndef RECORD_H
#define RECORD_H

#include <stddef.h>
#include <stdint.h>
#include "poison.h"

/*
 * v2: STACKS, SYMS and USYMS follow the blocks that name them, more than
 * once (a v1 reader would keep the last SYMS alone and misname frames); v1
 * files, with them once at the end, read as before.
 */
#define REC_MAGIC      "SOCKTRACE-REC v2"
#define REC_MAGIC_V1   "SOCKTRACE-REC v1"
#define REC_MAGIC_LEN  16
#define REC_BLOCK_RAW  (256u << 10) /* raw bytes per compressed block, at most */
#define REC_MAX_RECORD 4096	    /* a record larger than this is corrupt */

enum rec_chunk {
	REC_HEADER = 1,
	REC_BLOCK = 2,
	REC_STACKS = 3,
	REC_SYMS = 4,
	REC_FOOTER = 5,
	REC_USYMS = 6
};

struct recorder;

/* Creates FILE (mode 0600), before tracing begins; NULL with errno set. */
struct recorder *record__open(const char *path);
/* The magic and the header lines, once the trace's header is known; 0 or -errno. */
int record__start(struct recorder *r, const char *header);
/* One record, as it is dispatched; a drain's end. */
int record__event(struct recorder *r, const void *rec, uint32_t size);
int record__drain_end(struct recorder *r);
/* Blocks written so far: when it grows, what they name goes out too. */
unsigned record__blocks(const struct recorder *r);
/* The stacks, symbols and user frames (NULL without -u) met since the last (any may be empty). */
int record__names(struct recorder *r, const void *stacks, size_t stacks_len, const char *syms,
		  const char *usyms);
/* The rest of the stream, then the last names (as record__names) and the footer; closes the file. */
int record__finish(struct recorder *r, const void *stacks, size_t stacks_len, const char *syms,
		   const char *usyms, const char *footer);
void record__abort(struct recorder *r);

/* Reading: a file's chunks handed to these, in file order. */
struct rec_visitor {
	void *ctx;
	void (*header)(void *ctx, const char *text, size_t len);
	void (*event)(void *ctx, const void *rec, uint32_t size); /* 8-byte aligned */
	void (*drain_end)(void *ctx);
	void (*stacks)(void *ctx, const uint8_t *data, size_t len);
	void (*syms)(void *ctx, const char *text, size_t len);
	void (*usyms)(void *ctx, const char *text, size_t len);
	void (*footer)(void *ctx, const char *text, size_t len);
};

/*
 * Walks buf: 0; 1 when the file ends inside a chunk (its writer was stopped:
 * the chunks before it were visited, err says where); -1 when it is damaged
 * or foreign, with a one-line reason in err.
 */
int record__parse(const uint8_t *buf, size_t len, const struct rec_visitor *v, char *err,
		  size_t errlen);

/* "key=value" lines: the value of key (copied into out), or NULL. */
const char *rec_kv(const char *text, size_t len, const char *key, char *out, size_t outlen);

#endif /* RECORD_H */
