/* SPDX-License-Identifier: Apache-2.0 */
/* The timerlat sampler (subsys/proc/timerlat.c), behind SYS_inox_timerlat. */
#ifndef INOX_PROC_TIMERLAT_H_
#define INOX_PROC_TIMERLAT_H_

#include <stdint.h>

/*
 * Takes `loops` wake-up latencies of the highest-priority kernel thread, deadlines
 * interval_us apart, and copies them (ns each) to the user buffer usamples. Blocks the
 * caller meanwhile. 0, -EINVAL (interval or loops out of range), -EFAULT, -EINTR (killed).
 */
long timerlat_run(uint32_t interval_us, uint32_t loops, uint32_t *usamples);

#endif /* INOX_PROC_TIMERLAT_H_ */
