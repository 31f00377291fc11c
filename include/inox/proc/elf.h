/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ELF64 executables for the program loader: the file format's structures, and
 * elf_parse(), which checks an image and reduces it to what the loader maps.
 *
 * Accepted: ELF64, little-endian, RISC-V, ET_EXEC (static, not PIE), soft-float ABI (the
 * kernel does not save FP registers), no PT_INTERP/PT_DYNAMIC, 1 to ELF_MAX_SEGMENTS
 * non-empty PT_LOAD segments in ascending address order, each inside the file
 * (p_offset + p_filesz), with p_filesz <= p_memsz, never writable and executable, between
 * ELF_USER_MIN and ELF_USER_TOP, on pages no other segment uses, with p_offset and p_vaddr
 * equal modulo the page size; the entry point inside an executable segment. Other program
 * headers (PT_TLS, PT_NOTE, PT_GNU_STACK, PT_RISCV_ATTRIBUTES, ...) are ignored.
 */
#ifndef INOX_PROC_ELF_H_
#define INOX_PROC_ELF_H_

#include <stddef.h>
#include <stdint.h>

struct elf64_ehdr {
	uint8_t e_ident[16];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

#define EI_CLASS           4
#define EI_DATA            5
#define EI_VERSION         6
#define ELFCLASS64         2
#define ELFDATA2LSB        1
#define EV_CURRENT         1
#define ET_EXEC            2
#define ET_DYN             3
#define EM_RISCV           243
#define EF_RISCV_FLOAT_ABI 0x6 /* 0: soft-float */
#define EF_RISCV_RVE       0x8

#define PT_LOAD    1
#define PT_DYNAMIC 2
#define PT_INTERP  3
#define PF_X       0x1
#define PF_W       0x2
#define PF_R       0x4

/* Where user segments may go: not page 0, and below the kernel's half of Sv39. */
#define ELF_USER_MIN  0x1000UL
#define ELF_USER_TOP  0x4000000000UL
#define ELF_PAGE_SIZE 0x1000UL

#define ELF_MAX_SEGMENTS 8

/* elf_segment.flags; the same values as the VM_READ/VM_WRITE/VM_EXEC of a vm region. */
#define ELF_SEG_READ  0x1
#define ELF_SEG_WRITE 0x2
#define ELF_SEG_EXEC  0x4

struct elf_segment {
	uintptr_t vaddr; /* where the segment starts (not page-aligned in general) */
	size_t memsz; /* bytes in memory; past filesz they are zero */
	size_t offset; /* where its bytes start in the image */
	size_t filesz; /* bytes to copy from the image */
	unsigned int flags;
};

struct elf_info {
	uintptr_t entry;
	uintptr_t end; /* page-aligned end of the highest segment: the initial program break */
	unsigned int nsegs;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
};

/*
 * Checks the ELF image of size bytes at image (any alignment) and fills *out with its entry
 * point and loadable segments, in ascending address order. Returns 0, or -ENOEXEC if the
 * image is not an executable Inox can run (*out is then undefined); reads nothing outside
 * image[0..size).
 */
int elf_parse(const void *image, size_t size, struct elf_info *out);

#endif /* INOX_PROC_ELF_H_ */
