/* SPDX-License-Identifier: Apache-2.0 */
/* The kernel's <string.h> (lib/libc/string.c); user programs get picolibc's. */
#ifndef INOX_KERNEL_STRING_H_
#define INOX_KERNEL_STRING_H_

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
size_t strlcpy(char *dst, const char *src, size_t size);

#endif /* INOX_KERNEL_STRING_H_ */
