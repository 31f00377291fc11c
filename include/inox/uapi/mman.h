/* SPDX-License-Identifier: Apache-2.0 */
/* mmap()/mprotect() flags, Linux's values, shared by the kernel and user programs. */
#ifndef INOX_UAPI_MMAN_H_
#define INOX_UAPI_MMAN_H_

#define PROT_NONE  0x0
#define PROT_READ  0x1
#define PROT_WRITE 0x2
#define PROT_EXEC  0x4

/* The mapping's type, flags & MAP_TYPE: one of the three below, anything else is EINVAL. */
#define MAP_TYPE            0x0f
#define MAP_SHARED          0x01
#define MAP_PRIVATE         0x02
#define MAP_SHARED_VALIDATE 0x03 /* MAP_SHARED, and a flag not in Linux's legacy set fails */

#define MAP_FIXED         0x10 /* not supported (EINVAL) */
#define MAP_ANONYMOUS     0x20
#define MAP_ANON          MAP_ANONYMOUS
#define MAP_GROWSDOWN     0x0100
#define MAP_DENYWRITE     0x0800
#define MAP_EXECUTABLE    0x1000
#define MAP_LOCKED        0x2000
#define MAP_NORESERVE     0x4000
#define MAP_POPULATE      0x8000
#define MAP_NONBLOCK      0x10000
#define MAP_STACK         0x20000
#define MAP_HUGETLB       0x40000
#define MAP_UNINITIALIZED 0x4000000

#endif /* INOX_UAPI_MMAN_H_ */
