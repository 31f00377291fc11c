/* SPDX-License-Identifier: Apache-2.0 */
/* Calls into the SBI firmware (OpenSBI), the kernel's only path to M-mode. */
#ifndef INOX_ARCH_RISCV_SBI_H_
#define INOX_ARCH_RISCV_SBI_H_

#include <stdbool.h>

#define SBI_EXT_LEGACY_CONSOLE_PUTCHAR 0x01
#define SBI_EXT_BASE                   0x10
#define SBI_EXT_TIME                   0x54494D45
#define SBI_EXT_IPI                    0x735049
#define SBI_EXT_RFENCE                 0x52464E43
#define SBI_EXT_HSM                    0x48534D
#define SBI_EXT_SRST                   0x53525354

#define SBI_SRST_TYPE_SHUTDOWN    0
#define SBI_SRST_TYPE_COLD_REBOOT 1
#define SBI_SRST_REASON_NONE      0

struct sbiret {
	long error;
	long value;
};

struct sbiret sbi_ecall(long ext, long fid, unsigned long a0, unsigned long a1, unsigned long a2,
			unsigned long a3, unsigned long a4, unsigned long a5);

/* True if the firmware implements extension ext (SBI base probe_extension). */
bool sbi_probe_extension(long ext);

/* The legacy console putchar (SBI v0.1): early output before any UART driver runs. */
void sbi_console_putchar(char c);

/* SBI SRST system_reset; returns only if the firmware refused (its error code). */
long sbi_system_reset(unsigned long type, unsigned long reason);

#endif /* INOX_ARCH_RISCV_SBI_H_ */
