/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The devicetree the firmware passed in a1 (OpenSBI, U-Boot), set against the compiled one.
 *
 * RAM comes from the firmware's tree when it is well formed and says something else than the
 * compiled tree (QEMU -m, a board with another memory size): the kernel map's direct map and
 * the page allocator both take their banks from z_ram_banks. Harts and the console stay the
 * compiled ones (drivers are bound at build time); a difference is only reported.
 */
#ifndef INOX_BOOT_DT_H_
#define INOX_BOOT_DT_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <inox/devicetree.h>

/* Banks the firmware may describe: the compiled ones plus a few. */
#define Z_RAM_BANKS_MAX (DT_MEMORY_NUM + 4)

struct z_ram_bank {
	uintptr_t start;
	uintptr_t end;
};

/* What the firmware's tree said, for z_boot_dt_init() and its tests. */
struct z_boot_dt {
	const char *bad; /* why the tree was not used, or NULL */
	int num_banks; /* 0: RAM is the compiled one */
	struct z_ram_bank banks[Z_RAM_BANKS_MAX];
	int harts; /* -1 if the tree says nothing usable */
	uint64_t console; /* 0 if unknown */
};

extern struct z_ram_bank z_ram_banks[Z_RAM_BANKS_MAX];
extern unsigned int z_num_ram_banks;

/*
 * Reads blob (at most max_size bytes) into *dt; never reads outside it. Firmware RAM that does not hold the kernel image, or lies past the boot direct map,
 * is refused (dt->bad says why).
 */
void z_boot_dt_parse(const void *blob, size_t max_size, struct z_boot_dt *dt);

/* Before the kernel map is built (it reads the DTB through the boot direct map): fills
 * z_ram_banks from the firmware's tree or the compiled one. */
void z_boot_dt_init(uintptr_t dtb_pa);

/* Prints what z_boot_dt_init() found that differs from the compiled tree, one line each. */
void z_boot_dt_report(void);

/* Why the firmware's tree was not used at boot, or NULL if it was. */
const char *z_boot_dt_error(void);

/* Bytes of RAM in z_ram_banks. */
uint64_t z_ram_size(void);

#endif /* INOX_BOOT_DT_H_ */
