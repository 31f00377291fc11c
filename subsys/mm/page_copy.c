/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Whole-page copy and zero, for COW breaks and fresh pages: 64-bit words, eight per
 * iteration, with every load of a group issued before its stores. The library's memcpy and
 * memset handle any size and alignment and pay for it in the loop.
 */
#include <stdint.h>
#include <inox/mm/page.h>

#define WORDS (PAGE_SIZE / sizeof(uint64_t))

void page_copy(void *dst, const void *src)
{
	uint64_t *d = dst;
	const uint64_t *s = src;

	for (unsigned int i = 0; i < WORDS; i += 8) {
		uint64_t a0 = s[i], a1 = s[i + 1], a2 = s[i + 2], a3 = s[i + 3];
		uint64_t a4 = s[i + 4], a5 = s[i + 5], a6 = s[i + 6], a7 = s[i + 7];

		d[i] = a0;
		d[i + 1] = a1;
		d[i + 2] = a2;
		d[i + 3] = a3;
		d[i + 4] = a4;
		d[i + 5] = a5;
		d[i + 6] = a6;
		d[i + 7] = a7;
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
