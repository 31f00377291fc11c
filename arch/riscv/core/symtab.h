/* SPDX-License-Identifier: Apache-2.0 */
/* The image's own function symbols, for fault reports (scripts/build/gen_symtab.py). */
#ifndef INOX_SYMTAB_H_
#define INOX_SYMTAB_H_

#include <stdbool.h>
#include <stdint.h>

struct arch_esf;

/* The function containing addr and the offset into it, or NULL if none is known. */
const char *z_symtab_lookup(uintptr_t addr, uintptr_t *offset);

/* A kernel fault at an instruction with an exception-fixup entry: resume at its fixup.
 * Returns true if it did. */
bool z_riscv_fixup(struct arch_esf *esf);
/* Does the instruction at pc have an exception-fixup entry? */
bool z_riscv_has_fixup(uintptr_t pc);

#endif /* INOX_SYMTAB_H_ */
