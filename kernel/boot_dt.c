/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The firmware's devicetree: see include/inox/boot_dt.h. Parsed once on the boot hart before
 * the kernel map exists, reported once the console works.
 */
#include <inox/kernel.h>
#include <inox/boot_dt.h>
#include <inox/sys/fdt.h>
#include <inox/arch/mmu.h>

#define CONSOLE_NODE DT_CHOSEN(inox_console)
/* The boot page table maps physical [0, BOOT_DIRECT_MAP_GIB GiB): all that can be read. */
#define DIRECT_MAP_END ((uintptr_t)BOOT_DIRECT_MAP_GIB << 30)
/* A DTB is a few KiB; more than this is a bad totalsize, not a tree. */
#define DTB_MAX_SIZE (1 << 20)

#define BANK(node) {DT_REG_ADDR(node), DT_REG_ADDR(node) + DT_REG_SIZE(node)},
static const struct z_ram_bank compiled_banks[] = {DT_FOREACH_MEMORY(BANK)};

struct z_ram_bank z_ram_banks[Z_RAM_BANKS_MAX];
unsigned int z_num_ram_banks;
static struct z_boot_dt boot_dt;
static uintptr_t boot_dtb_pa;

static uint64_t total(const struct z_ram_bank *b, unsigned int n)
{
	uint64_t sum = 0;

	for (unsigned int i = 0; i < n; i++) {
		sum += b[i].end - b[i].start;
	}
	return sum;
}

const char *z_boot_dt_error(void)
{
	return boot_dt.bad;
}

uint64_t z_ram_size(void)
{
	return total(z_ram_banks, z_num_ram_banks);
}

static bool same_banks(const struct z_boot_dt *dt)
{
	if ((size_t)dt->num_banks != ARRAY_SIZE(compiled_banks)) {
		return false;
	}
	for (int i = 0; i < dt->num_banks; i++) {
		if (dt->banks[i].start != compiled_banks[i].start ||
		    dt->banks[i].end != compiled_banks[i].end) {
			return false;
		}
	}
	return true;
}

void z_boot_dt_parse(const void *blob, size_t max_size, struct z_boot_dt *dt)
{
	struct sys_fdt_range r[Z_RAM_BANKS_MAX];
	bool holds_kernel = false;
	int n;

	dt->bad = NULL;
	dt->num_banks = 0;
	dt->harts = -1;
	dt->console = 0;
	if (sys_fdt_check(blob, max_size, &dt->bad) != 0) {
		return;
	}
	dt->harts = sys_fdt_num_cpus(blob);
	if (sys_fdt_stdout_addr(blob, &dt->console) != 0) {
		dt->console = 0;
	}
	n = sys_fdt_memory(blob, r, Z_RAM_BANKS_MAX);
	if (n <= 0 || n > Z_RAM_BANKS_MAX) {
		dt->bad = n <= 0 ? "no usable memory node" : "too many memory banks";
		return;
	}
	for (int i = 0; i < n; i++) {
		if (r[i].base >= DIRECT_MAP_END || r[i].size > DIRECT_MAP_END - r[i].base) {
			dt->bad = "memory past the direct map";
			return;
		}
		dt->banks[i].start = r[i].base;
		dt->banks[i].end = r[i].base + r[i].size;
		holds_kernel |= CONFIG_KERNEL_LOAD_ADDRESS >= dt->banks[i].start &&
				CONFIG_KERNEL_LOAD_ADDRESS < dt->banks[i].end;
	}
	if (!holds_kernel) {
		dt->bad = "memory does not hold the kernel";
		return;
	}
	dt->num_banks = n;
	if (same_banks(dt)) {
		dt->num_banks = 0;
	}
}

void z_boot_dt_init(uintptr_t dtb_pa)
{
	const struct z_ram_bank *src = compiled_banks;
	unsigned int n = ARRAY_SIZE(compiled_banks);

	boot_dtb_pa = dtb_pa;
	/*
	 * Only what can be RAM: from the first compiled bank to the end of the direct map.
	 * 4-byte alignment, not the spec's 8: U-Boot leaves the tree in place inside the FIT
	 * (fdt_high = ~0), where mkimage put it on a 4-byte boundary, and the reader reads
	 * bytes.
	 */
	if (dtb_pa == 0 || dtb_pa % 4 != 0 || dtb_pa < compiled_banks[0].start ||
	    dtb_pa >= DIRECT_MAP_END) {
		boot_dt.bad = "a1 holds no address of RAM";
		boot_dt.harts = -1;
	} else {
		z_boot_dt_parse(z_phys_to_virt(dtb_pa), MIN(DIRECT_MAP_END - dtb_pa, DTB_MAX_SIZE),
				&boot_dt);
	}
	if (boot_dt.bad == NULL && boot_dt.num_banks > 0) {
		src = boot_dt.banks;
		n = boot_dt.num_banks;
	}
	for (unsigned int i = 0; i < n; i++) {
		z_ram_banks[i] = src[i];
	}
	z_num_ram_banks = n;
}

void z_boot_dt_report(void)
{
	uint64_t compiled = total(compiled_banks, ARRAY_SIZE(compiled_banks));

	if (boot_dt.bad != NULL) {
		printk("dt: firmware devicetree at 0x%lx unusable (%s): using the compiled one, "
		       "%llu MiB RAM, %d harts\n",
		       (unsigned long)boot_dtb_pa, boot_dt.bad,
		       (unsigned long long)(compiled >> 20), CONFIG_DT_NUM_CPUS);
		return;
	}
	if (boot_dt.num_banks > 0) {
		printk("dt: RAM %llu MiB at 0x%lx from the firmware's devicetree (compiled: %llu "
		       "MiB at 0x%lx)\n",
		       (unsigned long long)(z_ram_size() >> 20),
		       (unsigned long)z_ram_banks[0].start, (unsigned long long)(compiled >> 20),
		       (unsigned long)compiled_banks[0].start);
	}
	if (boot_dt.harts >= 0 && boot_dt.harts != CONFIG_DT_NUM_CPUS) {
		printk("dt: the firmware's devicetree has %d harts, the compiled one %d: using %d\n",
		       boot_dt.harts, CONFIG_DT_NUM_CPUS, CONFIG_DT_NUM_CPUS);
	}
	if (boot_dt.console != 0 && boot_dt.console != DT_REG_ADDR(CONSOLE_NODE)) {
		printk("dt: the firmware's console is at 0x%llx, the compiled one at 0x%lx: using "
		       "0x%lx\n",
		       (unsigned long long)boot_dt.console,
		       (unsigned long)DT_REG_ADDR(CONSOLE_NODE),
		       (unsigned long)DT_REG_ADDR(CONSOLE_NODE));
	}
}
