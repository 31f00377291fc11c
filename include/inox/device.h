/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Devices, as in Zephyr: a driver defines one struct device per okay devicetree node of its
 * compatible (DEVICE_DT_INST_DEFINE inside DT_INST_FOREACH_STATUS_OKAY), initialised at its
 * init level; code reaches a device with DEVICE_DT_GET(node_id), resolved at link time.
 */
#ifndef INOX_DEVICE_H_
#define INOX_DEVICE_H_

#include <stdbool.h>
#include <stddef.h>
#include <inox/devicetree.h>
#include <inox/init.h>
#include <inox/toolchain.h>

struct device_state {
	int init_res;
	bool initialized;
};

struct device {
	const char *name;
	const void *config;
	const void *api;
	struct device_state *state;
	void *data;
	int (*init)(const struct device *dev);
};

#define DEVICE_DT_NAME_GET(node_id) Z_CONCAT(__device_, node_id)

#define DEVICE_DT_DEFINE(node_id, init_fn, data_ptr, config_ptr, level, prio, api_ptr)             \
	static struct device_state Z_CONCAT(__devstate_, node_id);                                 \
	const struct device DEVICE_DT_NAME_GET(node_id) __used __section(".z_device") = {          \
		.name = DT_NODE_FULL_NAME(node_id),                                                \
		.config = (config_ptr),                                                            \
		.api = (api_ptr),                                                                  \
		.state = &Z_CONCAT(__devstate_, node_id),                                          \
		.data = (data_ptr),                                                                \
		.init = (init_fn),                                                                 \
	};                                                                                         \
	Z_INIT_ENTRY_DEFINE(Z_CONCAT(__devinit_, node_id), NULL, &DEVICE_DT_NAME_GET(node_id),     \
			    level, prio)

#define DEVICE_DT_INST_DEFINE(inst, ...) DEVICE_DT_DEFINE(DT_DRV_INST(inst), __VA_ARGS__)

/* A pointer to the device of a node; a link error if no enabled driver defines it. */
#define DEVICE_DT_GET(node_id)                                                                     \
	({                                                                                         \
		extern const struct device DEVICE_DT_NAME_GET(node_id);                            \
		&DEVICE_DT_NAME_GET(node_id);                                                      \
	})

/* True once the device's init function ran and returned 0. */
static inline bool device_is_ready(const struct device *dev)
{
	return dev != NULL && dev->state->initialized && dev->state->init_res == 0;
}

#endif /* INOX_DEVICE_H_ */
