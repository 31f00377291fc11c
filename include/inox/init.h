/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Init levels, as in Zephyr. SYS_INIT(fn, LEVEL, PRIO) runs int fn(void) at boot: every
 * PRE_KERNEL_1 entry first (devices with no dependencies, the console), then PRE_KERNEL_2,
 * POST_KERNEL (after the kernel can schedule) and APPLICATION, each level in ascending
 * PRIO (0..99). A non-zero return is reported and boot goes on.
 */
#ifndef INOX_INIT_H_
#define INOX_INIT_H_

#include <stddef.h>
#include <inox/toolchain.h>

struct device;

struct init_entry {
	int (*init_fn)(void);
	const struct device *dev;
	const char *name;
};

#define Z_INIT_LEVEL_PRE_KERNEL_1 0
#define Z_INIT_LEVEL_PRE_KERNEL_2 1
#define Z_INIT_LEVEL_POST_KERNEL  2
#define Z_INIT_LEVEL_APPLICATION  3

enum init_level {
	INIT_LEVEL_PRE_KERNEL_1 = Z_INIT_LEVEL_PRE_KERNEL_1,
	INIT_LEVEL_PRE_KERNEL_2 = Z_INIT_LEVEL_PRE_KERNEL_2,
	INIT_LEVEL_POST_KERNEL = Z_INIT_LEVEL_POST_KERNEL,
	INIT_LEVEL_APPLICATION = Z_INIT_LEVEL_APPLICATION,
};

/* The linker script sorts .z_init_<level>.<prio> sections by level, then by prio. */
#define Z_INIT_SECTION(level, prio)                                                                \
	__section(".z_init_" STRINGIFY(Z_CONCAT(Z_INIT_LEVEL_, level)) "." STRINGIFY(prio))

#define Z_INIT_ENTRY_DEFINE(entry, fn, devp, level, prio)                                          \
	static const struct init_entry entry __used Z_INIT_SECTION(level, prio) = {                \
		.init_fn = (fn), .dev = (devp), .name = #entry}

#define SYS_INIT(fn, level, prio) Z_INIT_ENTRY_DEFINE(Z_CONCAT(__init_, fn), fn, NULL, level, prio)

/* Runs every entry of one level (kernel/init.c). */
void z_sys_init_run_level(enum init_level level);

#endif /* INOX_INIT_H_ */
