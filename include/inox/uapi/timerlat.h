/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SYS_inox_timerlat: wake-up latency of a kernel thread, sampled for a user program (as
 * Linux's timerlat tracer samples a per-CPU kernel thread for rtla). A kernel thread of the
 * highest priority, on the boot hart, sleeps until absolute deadlines `interval_us` apart and
 * records how late it ran after each, in ns of the time CSR; the caller blocks until `loops`
 * samples are in `samples_ns`. Under QEMU -icount shift=0 a ns is one guest instruction.
 */
#ifndef INOX_UAPI_TIMERLAT_H_
#define INOX_UAPI_TIMERLAT_H_

#include <stdint.h>

struct inox_timerlat {
	uint32_t interval_us; /* 1 .. 1,000,000 */
	uint32_t loops; /* 1 .. CONFIG_TIMERLAT_MAX_SAMPLES */
	uint32_t *samples_ns; /* loops entries, written by the call */
};

#endif /* INOX_UAPI_TIMERLAT_H_ */
