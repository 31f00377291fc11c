/* SPDX-License-Identifier: Apache-2.0 */
/* Anonymous memory mappings, private or shared (picolibc has no <sys/mman.h>); flags are
 * Linux's. */
#ifndef INOX_USER_SYS_MMAN_H_
#define INOX_USER_SYS_MMAN_H_

#include <sys/types.h>
#include <inox/uapi/mman.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MAP_FAILED ((void *)-1)

/* Maps len bytes of zeroed memory (MAP_PRIVATE or MAP_SHARED, with MAP_ANONYMOUS and fd -1);
 * MAP_FAILED + errno. */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);

#ifdef __cplusplus
}
#endif

#endif /* INOX_USER_SYS_MMAN_H_ */
