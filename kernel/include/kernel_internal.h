/* SPDX-License-Identifier: Apache-2.0 */
/* Kernel-private declarations shared between kernel/ and arch/. */
#ifndef INOX_KERNEL_INTERNAL_H_
#define INOX_KERNEL_INTERNAL_H_

#include <inox/fatal.h>

/* Starts a fatal report (">>> INOX [EXPECTED ]FATAL ERROR: "); z_fatal_print() adds to it. */
void z_fatal_begin(void);
void z_fatal_print(const char *fmt, ...) __printf_like(1, 2);
/* Ends a fatal report: k_sys_fatal_error_handler(), then a halt if it returned. */
__noreturn void z_fatal_error(unsigned int reason, const struct arch_esf *esf);

#endif /* INOX_KERNEL_INTERNAL_H_ */
