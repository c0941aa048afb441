// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The recording file: writer and parser; see record.h.  The parser is pure (fuzzed). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "record.h"
#include "util.h"

/*
 * A block waits at most this long for more records before it goes to the
 * file: a recording cut short by SIGKILL or a crash keeps all but the last
 * second of a quiet server's calls, not all but the last 256 KiB.
 */
#define REC_BLOCK_AGE_NS 1000000000ull

struct recorder {
	FILE *f;
	uint8_t *raw;
	size_t used;
	uint64_t first_ns; /* when the block's first record came; 0: none yet */
	unsigned blocks;   /* written so far */
	uint8_t *z;
	size_t zcap;
	int err;
};

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static int chunk(struct recorder *r, uint32_t type, const void *data, size_t len)
{
	uint8_t h[8];

	put32(h, type);
	put32(h + 4, len);
	if (fwrite(h, 1, 8, r->f) != 8 || (len && fwrite(data, 1, len, r->f) != len))
		r->err = errno ? errno : EIO;
	return r->err ? -r->err : 0;
}

struct recorder *record__open(const char *path)
{
	struct recorder *r = calloc(1, sizeof(*r));
	int fd;

	if (!r)
		return NULL;
	r->raw = malloc(REC_BLOCK_RAW);
	r->zcap = compressBound(REC_BLOCK_RAW) + 4;
	r->z = malloc(r->zcap);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (!r->raw || !r->z || fd < 0 || !(r->f = fdopen(fd, "w"))) {
		int e = errno;

		if (fd >= 0 && !r->f)
			close(fd);
		free(r->raw);
		free(r->z);
		free(r);
		errno = e;
		return NULL;
	}
	return r;
}

int record__start(struct recorder *r, const char *header)
{
	if (fwrite(REC_MAGIC, 1, REC_MAGIC_LEN, r->f) != REC_MAGIC_LEN ||
	    chunk(r, REC_HEADER, header, strlen(header)) || fflush(r->f))
		return -(r->err ? r->err : (r->err = errno ? errno : EIO));
	return 0;
}

/* The raw block so far, compressed, as one chunk, in the file whole. */
static int block_out(struct recorder *r)
{
	uLongf zlen = r->zcap - 4;

	if (!r->used)
		return 0;
	if (compress2(r->z + 4, &zlen, r->raw, r->used, Z_BEST_SPEED) != Z_OK)
		return -(r->err = EIO);
	put32(r->z, r->used);
	r->used = 0;
	r->first_ns = 0;
	r->blocks++;
	if (!chunk(r, REC_BLOCK, r->z, zlen + 4) && fflush(r->f))
		r->err = errno ? errno : EIO;
	return r->err ? -r->err : 0;
}

static int item(struct recorder *r, const void *rec, uint32_t size)
{
	if (r->used + 4 + size > REC_BLOCK_RAW && block_out(r))
		return -r->err;
	put32(r->raw + r->used, size);
	if (size) /* 0: a drain's end, no record */
		memcpy(r->raw + r->used + 4, rec, size);
	r->used += 4 + size;
	return 0;
}

int record__event(struct recorder *r, const void *rec, uint32_t size)
{
	if (!size || size > REC_MAX_RECORD)
		return -EINVAL;
	if (item(r, rec, size))
		return -r->err;
	if (!r->first_ns)
		r->first_ns = mono_ns();
	return 0;
}

int record__drain_end(struct recorder *r)
{
	int ret = item(r, NULL, 0);

	/* a block of drains that met nothing can wait for the next record */
	if (!ret && r->first_ns && mono_ns() - r->first_ns >= REC_BLOCK_AGE_NS)
		ret = block_out(r);
	return ret;
}

unsigned record__blocks(const struct recorder *r)
{
	return r->blocks;
}

/* The chunks of what the blocks name; an empty one is left out. */
static int names(struct recorder *r, const void *stacks, size_t stacks_len, const char *syms,
		 const char *usyms)
{
	int ret = 0;

	if (stacks_len)
		ret = chunk(r, REC_STACKS, stacks, stacks_len);
	if (!ret && syms && *syms)
		ret = chunk(r, REC_SYMS, syms, strlen(syms));
	if (!ret && usyms && *usyms)
		ret = chunk(r, REC_USYMS, usyms, strlen(usyms));
	return ret;
}

int record__names(struct recorder *r, const void *stacks, size_t stacks_len, const char *syms,
		  const char *usyms)
{
	int ret = names(r, stacks, stacks_len, syms, usyms);

	if (!ret && fflush(r->f))
		ret = -(r->err = errno ? errno : EIO);
	return ret;
}

int record__finish(struct recorder *r, const void *stacks, size_t stacks_len, const char *syms,
		   const char *usyms, const char *footer)
{
	int ret = block_out(r);

	if (!ret)
		ret = names(r, stacks, stacks_len, syms, usyms);
	if (!ret)
		ret = chunk(r, REC_FOOTER, footer, strlen(footer));
	if (fclose(r->f) && !ret)
		ret = -errno;
	r->f = NULL;
	record__abort(r);
	return ret;
}

void record__abort(struct recorder *r)
{
	if (!r)
		return;
	if (r->f)
		fclose(r->f);
	free(r->raw);
	free(r->z);
	free(r);
}

static int fail(char *err, size_t errlen, const char *why, size_t off)
{
	snprintf(err, errlen, "%s (at byte %zu)", why, off);
	return -1;
}

/* The items of one decompressed block. */
static int items(const uint8_t *raw, size_t len, const struct rec_visitor *v, char *err,
		 size_t errlen, size_t at)
{
	/* records are handed over 8-byte aligned, as decoders expect */
	static _Alignas(8) uint8_t rec[REC_MAX_RECORD];

	for (size_t o = 0; o < len;) {
		uint32_t size;

		if (len - o < 4)
			return fail(err, errlen, "a record is cut short", at);
		size = get32(raw + o);
		o += 4;
		if (!size) {
			if (v->drain_end)
				v->drain_end(v->ctx);
			continue;
		}
		if (size > REC_MAX_RECORD || size > len - o)
			return fail(err, errlen, "a record's length is impossible", at);
		memcpy(rec, raw + o, size);
		if (v->event)
			v->event(v->ctx, rec, size);
		o += size;
	}
	return 0;
}

int record__parse(const uint8_t *buf, size_t len, const struct rec_visitor *v, char *err,
		  size_t errlen)
{
	uint8_t *raw = NULL;
	size_t o = REC_MAGIC_LEN;
	int ret = 0;

	if (len >= REC_MAGIC_LEN && !memcmp(buf, REC_MAGIC, REC_MAGIC_LEN - 1) &&
	    buf[REC_MAGIC_LEN - 1] > REC_MAGIC[REC_MAGIC_LEN - 1])
		return fail(err, errlen, "a newer socktrace wrote this file", 0);
	if (len < REC_MAGIC_LEN ||
	    (memcmp(buf, REC_MAGIC, REC_MAGIC_LEN) && memcmp(buf, REC_MAGIC_V1, REC_MAGIC_LEN)))
		return fail(err, errlen, "not a socktrace recording (no SOCKTRACE-REC magic)", 0);
	while (!ret && o < len) {
		uint32_t type, clen;
		const uint8_t *p;

		/* its writer stopped mid-chunk: the chunks before are whole */
		if (len - o < 8 || get32(buf + o + 4) > len - o - 8) {
			fail(err, errlen, "the file is cut short", o);
			ret = 1;
			break;
		}
		type = get32(buf + o);
		clen = get32(buf + o + 4);
		p = buf + o + 8;
		switch (type) {
		case REC_HEADER:
			if (v->header)
				v->header(v->ctx, (const char *)p, clen);
			break;
		case REC_BLOCK: {
			uLongf rawlen;

			if (clen < 4 || (rawlen = get32(p)) > REC_BLOCK_RAW) {
				ret = fail(err, errlen, "a block's length is impossible", o);
				break;
			}
			if (!raw && !(raw = malloc(REC_BLOCK_RAW))) {
				ret = fail(err, errlen, "out of memory", o);
				break;
			}
			if (uncompress(raw, &rawlen, p + 4, clen - 4) != Z_OK ||
			    rawlen != get32(p)) {
				ret = fail(err, errlen, "a block does not decompress", o);
				break;
			}
			ret = items(raw, rawlen, v, err, errlen, o);
			break;
		}
		case REC_STACKS:
			if (v->stacks)
				v->stacks(v->ctx, p, clen);
			break;
		case REC_SYMS:
			if (v->syms)
				v->syms(v->ctx, (const char *)p, clen);
			break;
		case REC_USYMS:
			if (v->usyms)
				v->usyms(v->ctx, (const char *)p, clen);
			break;
		case REC_FOOTER:
			if (v->footer)
				v->footer(v->ctx, (const char *)p, clen);
			break;
		default:
			ret = fail(err, errlen,
				   "an unknown chunk: a newer socktrace wrote this file", o);
		}
		o += 8 + clen;
	}
	free(raw);
	return ret;
}

const char *rec_kv(const char *text, size_t len, const char *key, char *out, size_t outlen)
{
	size_t klen = strlen(key);

	for (size_t o = 0; o < len;) {
		const char *line = text + o, *nl = memchr(line, '\n', len - o);
		size_t llen = nl ? (size_t)(nl - line) : len - o;

		if (llen > klen && !memcmp(line, key, klen) && line[klen] == '=') {
			size_t vlen = llen - klen - 1;

			if (vlen >= outlen)
				vlen = outlen - 1;
			memcpy(out, line + klen + 1, vlen);
			out[vlen] = 0;
			return out;
		}
		o += llen + 1;
	}
	return NULL;
}
