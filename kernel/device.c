/* SPDX-License-Identifier: Apache-2.0 */
/* Running the init levels: SYS_INIT functions and device init, in linker-sorted order. */
#include <inox/kernel.h>
#include <inox/device.h>

extern const struct init_entry __init_PRE_KERNEL_1_start[];
extern const struct init_entry __init_PRE_KERNEL_2_start[];
extern const struct init_entry __init_POST_KERNEL_start[];
extern const struct init_entry __init_APPLICATION_start[];
extern const struct init_entry __init_end[];

static const struct init_entry *const levels[] = {
	__init_PRE_KERNEL_1_start,
	__init_PRE_KERNEL_2_start,
	__init_POST_KERNEL_start,
	__init_APPLICATION_start,
	__init_end,
};

static void init_device(const struct device *dev)
{
	int res = dev->init ? dev->init(dev) : 0;

	dev->state->init_res = res;
	dev->state->initialized = true;
	if (res != 0) {
		printk("device %s: init failed (%d)\n", dev->name, res);
	}
}

void z_sys_init_run_level(enum init_level level)
{
	for (const struct init_entry *e = levels[level]; e < levels[level + 1]; e++) {
		if (e->dev != NULL) {
			init_device(e->dev);
		} else {
			int res = e->init_fn();

			if (res != 0) {
				printk("%s: init failed (%d)\n", e->name, res);
			}
		}
	}
}
