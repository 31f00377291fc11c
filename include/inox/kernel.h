/* SPDX-License-Identifier: Apache-2.0 */
/* The kernel's public API in one include, as Zephyr's <zephyr/kernel.h>. */
#ifndef INOX_KERNEL_H_
#define INOX_KERNEL_H_

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <inox/toolchain.h>
#include <inox/sys/util.h>
#include <inox/sys/printk.h>
#include <inox/init.h>
#include <inox/fatal.h>

#define INOX_VERSION_STRING "0.1.0"

/* The hart the firmware booted the kernel on. */
extern unsigned long z_boot_hart_id;

#endif /* INOX_KERNEL_H_ */
