/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A program with a large .bss (4 MiB, p_memsz far past p_filesz) and a .data section of a
 * few pages holding a marker the kernel test looks for in the data segment's file bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BIG_BSS_SIZE (4 << 20)

static char big_bss[BIG_BSS_SIZE];
char big_marker[] = "INOX big data marker";
int big_table[2048] = {1, 2, 3, 4, 5, 6, 7, 8};

int main(void)
{
	char *heap = malloc(64 << 10);
	long sum = 0;

	if (!heap) {
		return 1;
	}
	memset(big_bss, 1, sizeof(big_bss));
	memset(heap, 2, 64 << 10);
	for (size_t i = 0; i < sizeof(big_bss); i += 4096) {
		sum += big_bss[i];
	}
	for (int i = 0; i < 2048; i++) {
		sum += big_table[i];
	}
	printf("%s: sum %ld, heap at %p\n", big_marker, sum, (void *)heap);
	free(heap);
	return 0;
}
