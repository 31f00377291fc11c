/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The architecture's setjmp/longjmp for ztest (the kernel links no libc), which also carries
 * the interrupt-enable state across the jump:
 *
 *   struct z_ztest_jmp_buf
 *   int z_ztest_setjmp(struct z_ztest_jmp_buf *buf)              0, then each longjmp's val
 *   void z_ztest_longjmp(struct z_ztest_jmp_buf *buf, int val)   never returns
 */
#ifndef INOX_ARCH_ZTEST_JMP_H_
#define INOX_ARCH_ZTEST_JMP_H_

#if defined(CONFIG_RISCV)
#include <inox/arch/riscv/ztest_jmp.h>
#else
#error "no ztest setjmp for this architecture"
#endif

#endif /* INOX_ARCH_ZTEST_JMP_H_ */
