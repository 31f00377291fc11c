/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Whole-page copy and zero, for COW breaks and fresh pages: 64-bit words, sixteen at a time
 * with every load of a group issued before its stores, two groups per iteration of a pointer
 * loop (three instructions of loop per 256 bytes). The library's memcpy and memset handle
 * any size and alignment and pay for it in the loop.
 */
#include <stdint.h>
#include <inox/mm/page.h>

#define WORDS (PAGE_SIZE / sizeof(uint64_t))

static inline __attribute__((always_inline)) void copy16(uint64_t *d, const uint64_t *s)
{
	uint64_t a0 = s[0], a1 = s[1], a2 = s[2], a3 = s[3];
	uint64_t a4 = s[4], a5 = s[5], a6 = s[6], a7 = s[7];
	uint64_t a8 = s[8], a9 = s[9], a10 = s[10], a11 = s[11];
	uint64_t a12 = s[12], a13 = s[13], a14 = s[14], a15 = s[15];

	d[0] = a0;
	d[1] = a1;
	d[2] = a2;
	d[3] = a3;
	d[4] = a4;
	d[5] = a5;
	d[6] = a6;
	d[7] = a7;
	d[8] = a8;
	d[9] = a9;
	d[10] = a10;
	d[11] = a11;
	d[12] = a12;
	d[13] = a13;
	d[14] = a14;
	d[15] = a15;
}

void page_copy(void *dst, const void *src)
{
	uint64_t *d = dst;
	const uint64_t *s = src;
	const uint64_t *end = s + WORDS;

	for (; s < end; s += 32, d += 32) {
		copy16(d, s);
		copy16(d + 16, s + 16);
	}
}

void page_fill(void *dst, uint64_t word)
{
	uint64_t *d = dst;

	for (unsigned int i = 0; i < WORDS; i += 8) {
		d[i] = word;
		d[i + 1] = word;
		d[i + 2] = word;
		d[i + 3] = word;
		d[i + 4] = word;
		d[i + 5] = word;
		d[i + 6] = word;
		d[i + 7] = word;
	}
}

void page_zero(void *dst)
{
	page_fill(dst, 0);
}
