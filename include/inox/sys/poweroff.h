/* SPDX-License-Identifier: Apache-2.0 */
#ifndef INOX_SYS_POWEROFF_H_
#define INOX_SYS_POWEROFF_H_

#include <inox/toolchain.h>

/*
 * Stops the system: SBI System Reset (shutdown) when the firmware has it, else the
 * devicetree's syscon-poweroff or sifive,test0 device, else (CONFIG_POWEROFF_BY_RESET) a
 * reset through SBI or the devicetree's gpio-restart; if all fail, halts this hart.
 */
__noreturn void sys_poweroff(void);

#endif /* INOX_SYS_POWEROFF_H_ */
