/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The firmware's devicetree (kernel/boot_dt.c): the tree the firmware passed (QEMU through
 * OpenSBI, or U-Boot) was taken at boot; the kernel's RAM is what it says, and a page past
 * the compiled RAM, when there is RAM past it, is allocated, written and read back; copies
 * of the tree broken on purpose (bad magic, totalsize beyond the buffer, no tree at all)
 * are refused with their reason.
 */
#include <string.h>
#include <inox/kernel.h>
#include <inox/boot_dt.h>
#include <inox/sys/fdt.h>
#include <inox/mm/page.h>
#include <inox/ztest.h>
#include <inox/arch/riscv/layout.h>

extern uintptr_t z_boot_dtb_pa;

#define BANK(node)   +DT_REG_SIZE(node)
#define COMPILED_RAM (0 DT_FOREACH_MEMORY(BANK))
#define COMPILED_END (DT_REG_ADDR(DT_CHOSEN(inox_sram)) + DT_REG_SIZE(DT_CHOSEN(inox_sram)))

static uint8_t copy[64 * 1024];

static const void *firmware_dtb(void)
{
	return z_phys_to_virt(z_boot_dtb_pa);
}

ZTEST(boot_dt, test_ram_is_the_firmwares)
{
	struct sys_fdt_range r[Z_RAM_BANKS_MAX];
	uint64_t sum = 0;
	int n;

	zassert_is_null(z_boot_dt_error(), "the firmware's tree at 0x%lx was refused: %s",
			(unsigned long)z_boot_dtb_pa, z_boot_dt_error());
	zassert_ok(sys_fdt_check(firmware_dtb(), 1 << 20, NULL));
	n = sys_fdt_memory(firmware_dtb(), r, Z_RAM_BANKS_MAX);
	zassert_true(n > 0 && n <= Z_RAM_BANKS_MAX, "%d memory ranges", n);
	for (int i = 0; i < n; i++) {
		sum += r[i].size;
	}
	zassert_equal(z_ram_size(), sum, "kernel RAM %llu, firmware's tree %llu",
		      (unsigned long long)z_ram_size(), (unsigned long long)sum);
	if (CONFIG_TEST_BOOT_DT_RAM_MIB != 0) {
		zassert_equal(z_ram_size(), (uint64_t)CONFIG_TEST_BOOT_DT_RAM_MIB << 20);
		zassert_not_equal(z_ram_size(), COMPILED_RAM, "scenario must differ from the dts");
	}
	zassert_equal(mm_total_pages(), z_ram_size() / PAGE_SIZE);
}

/* Allocates until a page past the compiled RAM comes (if there is RAM past it), writes it
 * through the direct map and reads it back; frees everything. */
ZTEST(boot_dt, test_ram_beyond_the_compiled_tree_is_used)
{
	void *head = NULL;
	struct page *p;
	bool found = false;
	unsigned long n = 0;

	while (!found && (p = page_alloc()) != NULL) {
		uint64_t *mem = page_to_virt(p);

		if (page_to_pa(p) >= COMPILED_END) {
			for (unsigned int i = 0; i < PAGE_SIZE / 8; i++) {
				mem[i] = page_to_pa(p) + i;
			}
			for (unsigned int i = 0; i < PAGE_SIZE / 8; i++) {
				zassert_equal(mem[i], page_to_pa(p) + i);
			}
			found = true;
			page_ref_put(p);
			break;
		}
		*(void **)mem = head;
		head = mem;
		n++;
	}
	while (head != NULL) {
		void *next = *(void **)head;

		page_ref_put(pa_to_page(z_virt_to_phys(head)));
		head = next;
	}
	zassert_equal(found, z_ram_size() > COMPILED_RAM, "a page past 0x%lx: %d after %lu pages",
		      (unsigned long)COMPILED_END, found, n);
}

ZTEST(boot_dt, test_broken_trees_are_refused)
{
	uint32_t size = sys_fdt_size(firmware_dtb());
	struct z_boot_dt dt;

	zassert_true(size <= sizeof(copy), "firmware DTB of %u bytes", size);
	memcpy(copy, firmware_dtb(), size);
	z_boot_dt_parse(copy, sizeof(copy), &dt);
	zassert_is_null(dt.bad, "%s", dt.bad);
	zassert_equal(dt.num_banks, z_ram_size() == COMPILED_RAM ? 0 : 1);
	zassert_equal(dt.harts, CONFIG_DT_NUM_CPUS);
	zassert_equal(dt.console, DT_REG_ADDR(DT_CHOSEN(inox_console)));

	copy[0] ^= 1;
	z_boot_dt_parse(copy, sizeof(copy), &dt);
	zassert_true(dt.bad != NULL && strcmp(dt.bad, "bad magic") == 0);
	zassert_equal(dt.num_banks, 0);
	copy[0] ^= 1;

	z_boot_dt_parse(copy, size - 1, &dt);
	zassert_true(dt.bad != NULL && strcmp(dt.bad, "totalsize out of range") == 0);

	z_boot_dt_parse(NULL, 0, &dt);
	zassert_not_null(dt.bad);
	zassert_equal(dt.num_banks, 0);
}

ZTEST_SUITE(boot_dt, NULL, NULL, NULL, NULL, NULL);
