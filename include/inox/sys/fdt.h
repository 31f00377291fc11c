/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small reader of flattened devicetrees (DTB, devicetree spec v0.4 chapter 5), for the
 * blob the firmware passes the kernel in a1. It only reads, never trusts: every offset and
 * length is checked against the header's sizes before it is used, so a malformed blob
 * yields -EINVAL, never a read outside it. No allocation, no recursion, no libfdt.
 */
#ifndef INOX_SYS_FDT_H_
#define INOX_SYS_FDT_H_

#include <stddef.h>
#include <stdint.h>

#define SYS_FDT_MAGIC 0xd00dfeedU

struct sys_fdt_range {
	uint64_t base;
	uint64_t size;
};

/*
 * Returns 0 if blob holds a well-formed DTB of at most max_size bytes (header, version 16
 * or later, blocks inside totalsize, every token of the structure block in bounds and
 * nested properly), -EINVAL otherwise; *why, if why is not NULL, names the first problem.
 */
int sys_fdt_check(const void *blob, size_t max_size, const char **why);

/* The header's totalsize (blob already checked). */
uint32_t sys_fdt_size(const void *blob);

/*
 * Fills ranges with the reg entries of every node whose device_type is "memory", in
 * order, using the root's #address-cells / #size-cells. Returns how many there are (more
 * than max means only max were stored), or -EINVAL. The blob must have passed
 * sys_fdt_check().
 */
int sys_fdt_memory(const void *blob, struct sys_fdt_range *ranges, int max);

/* The number of /cpus children of device_type "cpu", status okay, with an mmu-type. */
int sys_fdt_num_cpus(const void *blob);

/*
 * The first reg address of the node /chosen's stdout-path names (a path, or an alias of
 * /aliases; ":options" ignored), in the root's address space (no ranges translation: the
 * node's parents must map 1:1, as the SoC buses of Inox's boards do). Returns 0, or
 * -ENOENT if there is no such node or it has no reg.
 */
int sys_fdt_stdout_addr(const void *blob, uint64_t *addr);

#endif /* INOX_SYS_FDT_H_ */
