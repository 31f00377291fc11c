/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Symbol lookup over the table the build appends to the image: the final link adds
 * z_symtab_* (generated from a first link whose layout is the same: the table sits after
 * all code and initialised data, so adding it moves no function).
 */
#include <inox/kernel.h>
#include <inox/arch/riscv/esf.h>
#include "symtab.h"

extern const uint64_t z_symtab_count;
extern const uint64_t z_symtab_addrs[];
extern const uint32_t z_symtab_names[];
extern const char z_symtab_strings[];
extern char __text_end[];

const char *z_symtab_lookup(uintptr_t addr, uintptr_t *offset)
{
	uint64_t lo = 0;
	uint64_t hi = z_symtab_count;

	/* Past the text, the last symbol (__text_end) would name data and stack addresses. */
	if (hi == 0 || addr < z_symtab_addrs[0] || addr >= (uintptr_t)__text_end) {
		return NULL;
	}
	/* The last entry whose address is <= addr. */
	while (hi - lo > 1) {
		uint64_t mid = (lo + hi) / 2;

		if (z_symtab_addrs[mid] <= addr) {
			lo = mid;
		} else {
			hi = mid;
		}
	}
	*offset = addr - z_symtab_addrs[lo];
	return &z_symtab_strings[z_symtab_names[lo]];
}

struct exfix {
	uintptr_t insn;
	uintptr_t fixup;
};

extern const struct exfix __exfix_start[], __exfix_end[];

bool z_riscv_has_fixup(uintptr_t pc)
{
	for (const struct exfix *e = __exfix_start; e < __exfix_end; e++) {
		if (e->insn == pc) {
			return true;
		}
	}
	return false;
}

bool z_riscv_fixup(struct arch_esf *esf)
{
	for (const struct exfix *e = __exfix_start; e < __exfix_end; e++) {
		if (e->insn == esf->sepc) {
			esf->sepc = e->fixup;
			return true;
		}
	}
	return false;
}
