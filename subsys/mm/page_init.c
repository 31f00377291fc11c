/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The page allocator at boot (PRE_KERNEL_2, one hart, no locks needed): find the RAM banks
 * in the devicetree, note what must never be handed out, carve each bank's struct pages and
 * free map out of that bank's own free RAM, and mark every other page free.
 *
 * Only the page arrays and free maps are written (0.4% of RAM), never the free pages
 * themselves: on an 8 GiB board under QEMU, which backs guest RAM lazily, touching every
 * page would cost seconds and gigabytes of host memory.
 */
#include <inox/kernel.h>
#include <inox/devicetree.h>
#include <inox/boot_dt.h>
#include <inox/arch/mmu.h>
#include <inox/linker/linker_defs.h>
#include "page_internal.h"

#define FDT_MAGIC 0xd00dfeedU

#if DT_NODE_EXISTS(DT_PATH(reserved_memory))
#define NUM_DT_RESERVED DT_CHILD_NUM(DT_PATH(reserved_memory))
#else
#define NUM_DT_RESERVED 0
#endif

/* Firmware, image, DTB, one page array per bank, /reserved-memory. */
#define MAX_RESERVED (3 + Z_RAM_BANKS_MAX + NUM_DT_RESERVED)

struct pa_range {
	uintptr_t start;
	uintptr_t end;
};

static struct pa_range reserved[MAX_RESERVED];
static unsigned int num_reserved;

/* Notes [start, end), widened to whole pages, as never to be handed out. */
static void reserve(uintptr_t start, uintptr_t end)
{
	if (num_reserved == ARRAY_SIZE(reserved)) {
		panic("reserve: more than %u reserved ranges", (unsigned int)ARRAY_SIZE(reserved));
	}
	reserved[num_reserved].start = ROUND_DOWN(start, PAGE_SIZE);
	reserved[num_reserved].end = ROUND_UP(end, PAGE_SIZE);
	num_reserved++;
}

/* The RAM bank (z_ram_banks: the firmware's devicetree or the compiled one) holding pa,
 * or NULL. */
static const struct z_ram_bank *ram_bank(uintptr_t pa)
{
	for (unsigned int i = 0; i < z_num_ram_banks; i++) {
		if (pa >= z_ram_banks[i].start && pa < z_ram_banks[i].end) {
			return &z_ram_banks[i];
		}
	}
	return NULL;
}

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

#define RESERVE_DT_NODE(node)                                                                      \
	COND_CODE_1(DT_REG_HAS_IDX(node, 0),                                                       \
		    (reserve(DT_REG_ADDR(node), DT_REG_ADDR(node) + DT_REG_SIZE(node));), ())

/* Reserves the firmware, the kernel image, the DTB and the devicetree's /reserved-memory. */
static void reserve_boot_ranges(void)
{
	const struct z_ram_bank *bank = ram_bank(CONFIG_KERNEL_LOAD_ADDRESS);

	/* OpenSBI lives below the kernel in the bank the kernel is loaded into. */
	if (bank != NULL) {
		reserve(bank->start, CONFIG_KERNEL_LOAD_ADDRESS);
	}
	reserve(z_virt_to_phys(__image_start), z_virt_to_phys(__image_end));
	/* A DTB outside RAM is not ours to protect (nor mapped to read its header). */
	if (ram_bank(z_boot_dtb_pa) != NULL) {
		const uint8_t *fdt = z_phys_to_virt(z_boot_dtb_pa);
		uint32_t size = be32(fdt) == FDT_MAGIC ? be32(fdt + 4) : PAGE_SIZE;

		reserve(z_boot_dtb_pa, z_boot_dtb_pa + size);
	}
#if DT_NODE_EXISTS(DT_PATH(reserved_memory))
	DT_FOREACH_CHILD(DT_PATH(reserved_memory), RESERVE_DT_NODE)
#endif
}

/* Bytes of a bank's page array plus free map, in whole pages. */
static size_t meta_size(unsigned long npages)
{
	size_t map = ROUND_UP(npages, BITS_PER_WORD) / BITS_PER_WORD * sizeof(unsigned long);

	return ROUND_UP(ROUND_UP(npages * sizeof(struct page), 64) + map, PAGE_SIZE);
}

/* The lowest page-aligned address in [start, end) with size bytes free of reservations. */
static uintptr_t find_hole(uintptr_t start, uintptr_t end, size_t size)
{
	uintptr_t at = start;
	bool moved = true;

	while (moved) {
		moved = false;
		for (unsigned int i = 0; i < num_reserved; i++) {
			if (reserved[i].start < at + size && at < reserved[i].end) {
				at = reserved[i].end;
				moved = true;
			}
		}
	}
	if (at + size > end) {
		panic("find_hole: no %zu free bytes in bank %lx..%lx for its page array", size,
		      (unsigned long)start, (unsigned long)end);
	}
	return at;
}

/* Takes every page of b out of the free map that lies in a reserved range. */
static void mark_reserved(struct mm_bank *b)
{
	for (unsigned int i = 0; i < num_reserved; i++) {
		unsigned long first = MAX(reserved[i].start >> PAGE_SHIFT, b->base_pfn);
		unsigned long last = MIN(reserved[i].end >> PAGE_SHIFT, b->base_pfn + b->npages);

		for (unsigned long pfn = first; pfn < last; pfn++) {
			unsigned long idx = pfn - b->base_pfn;
			unsigned long *word = &b->free_map[idx / BITS_PER_WORD];

			b->pages[idx].flags |= PAGE_FLAG_RESERVED;
			if (*word & BIT(idx % BITS_PER_WORD)) {
				*word &= ~BIT(idx % BITS_PER_WORD);
				b->free--;
				mm_reserved_pages++;
			}
		}
	}
}

/*
 * Sets up bank b over [start, end) with its metadata at meta_pa: zeroed struct pages, every
 * page free, then the reserved ones taken out.
 */
static void bank_init(struct mm_bank *b, uintptr_t start, uintptr_t end, uintptr_t meta_pa)
{
	unsigned long nwords;
	char *meta = z_phys_to_virt(meta_pa);

	b->base_pfn = start >> PAGE_SHIFT;
	b->npages = (end - start) >> PAGE_SHIFT;
	b->pages = (struct page *)meta;
	b->free_map = (unsigned long *)(meta + ROUND_UP(b->npages * sizeof(struct page), 64));
	for (size_t off = 0; off < meta_size(b->npages); off += PAGE_SIZE) {
		page_zero(meta + off);
	}
	nwords = ROUND_UP(b->npages, BITS_PER_WORD) / BITS_PER_WORD;
	for (unsigned long w = 0; w < nwords; w++) {
		b->free_map[w] = ~0UL;
	}
	if (b->npages % BITS_PER_WORD != 0) {
		b->free_map[nwords - 1] = BIT(b->npages % BITS_PER_WORD) - 1;
	}
	b->free = b->npages;
	mark_reserved(b);
}

/* Returns 0; panics if a bank has no room for its own page array. */
static int mm_init(void)
{
	struct pa_range banks[Z_RAM_BANKS_MAX];
	uintptr_t meta[Z_RAM_BANKS_MAX];
	unsigned long total, free;

	reserve_boot_ranges();
	/* Whole pages only, in address order (a board has a handful of banks). */
	for (unsigned int i = 0; i < z_num_ram_banks; i++) {
		struct pa_range r = {ROUND_UP(z_ram_banks[i].start, PAGE_SIZE),
				     ROUND_DOWN(z_ram_banks[i].end, PAGE_SIZE)};

		if (r.end > r.start) {
			banks[mm_num_banks++] = r;
		}
	}
	for (unsigned int i = 1; i < mm_num_banks; i++) {
		for (unsigned int j = i; j > 0 && banks[j - 1].start > banks[j].start; j--) {
			struct pa_range t = banks[j];

			banks[j] = banks[j - 1];
			banks[j - 1] = t;
		}
	}
	for (unsigned int i = 0; i < mm_num_banks; i++) {
		size_t size = meta_size((banks[i].end - banks[i].start) >> PAGE_SHIFT);

		meta[i] = find_hole(banks[i].start, banks[i].end, size);
		reserve(meta[i], meta[i] + size);
	}
	for (unsigned int i = 0; i < mm_num_banks; i++) {
		bank_init(&mm_banks[i], banks[i].start, banks[i].end, meta[i]);
	}
	total = mm_total_pages();
	free = mm_free_pages();
	printk("mm: %lu of %lu pages free (%lu MiB), %lu reserved\n", free, total,
	       free >> (20 - PAGE_SHIFT), mm_reserved_pages);
	return 0;
}

SYS_INIT(mm_init, PRE_KERNEL_2, 0);
