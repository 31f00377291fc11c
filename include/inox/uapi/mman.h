/* SPDX-License-Identifier: Apache-2.0 */
/* mmap()/mprotect() flags, Linux's values, shared by the kernel and user programs. */
#ifndef INOX_UAPI_MMAN_H_
#define INOX_UAPI_MMAN_H_

#define PROT_NONE  0x0
#define PROT_READ  0x1
#define PROT_WRITE 0x2
#define PROT_EXEC  0x4

#define MAP_SHARED    0x01 /* not supported: anonymous private memory only */
#define MAP_PRIVATE   0x02
#define MAP_FIXED     0x10
#define MAP_ANONYMOUS 0x20
#define MAP_ANON      MAP_ANONYMOUS

#endif /* INOX_UAPI_MMAN_H_ */
