/* SPDX-License-Identifier: Apache-2.0 */
/* Supervisor CSRs and their bits (RISC-V privileged spec, S-mode). */
#ifndef INOX_ARCH_RISCV_CSR_H_
#define INOX_ARCH_RISCV_CSR_H_

#define SSTATUS_SIE  (1UL << 1)
#define SSTATUS_SPIE (1UL << 5)
#define SSTATUS_SPP  (1UL << 8)
#define SSTATUS_FS   (3UL << 13)
#define SSTATUS_SUM  (1UL << 18)
#define SSTATUS_MXR  (1UL << 19)

#define SIE_SSIE (1UL << 1)
#define SIE_STIE (1UL << 5)
#define SIE_SEIE (1UL << 9)

#define SATP_MODE_SV39 (8UL << 60)

#define SCAUSE_INTERRUPT (1UL << 63)

#ifndef __ASSEMBLER__

#define csr_read(csr)                                                                              \
	({                                                                                         \
		unsigned long __v;                                                                 \
		__asm__ volatile("csrr %0, " #csr : "=r"(__v) : : "memory");                       \
		__v;                                                                               \
	})

#define csr_write(csr, val)                                                                        \
	({                                                                                         \
		unsigned long __v = (unsigned long)(val);                                          \
		__asm__ volatile("csrw " #csr ", %0" : : "rK"(__v) : "memory");                    \
	})

#define csr_set(csr, val)                                                                          \
	({                                                                                         \
		unsigned long __v = (unsigned long)(val);                                          \
		__asm__ volatile("csrs " #csr ", %0" : : "rK"(__v) : "memory");                    \
	})

#define csr_clear(csr, val)                                                                        \
	({                                                                                         \
		unsigned long __v = (unsigned long)(val);                                          \
		__asm__ volatile("csrc " #csr ", %0" : : "rK"(__v) : "memory");                    \
	})

#define csr_read_clear(csr, val)                                                                   \
	({                                                                                         \
		unsigned long __v = (unsigned long)(val);                                          \
		__asm__ volatile("csrrc %0, " #csr ", %1" : "=r"(__v) : "rK"(__v) : "memory");     \
		__v;                                                                               \
	})

#endif /* __ASSEMBLER__ */
#endif /* INOX_ARCH_RISCV_CSR_H_ */
