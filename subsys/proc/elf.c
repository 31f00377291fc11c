/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ELF64 executable checks for the program loader (see <inox/proc/elf.h> for what is
 * accepted). The image is untrusted: every offset and size is checked against the image
 * and for overflow before use, and headers are copied out with memcpy() because the
 * initramfs aligns file data to 4 bytes only.
 */
#include <stdbool.h>
#include <string.h>
#include <inox/errno.h>
#include <inox/proc/elf.h>

static const uint8_t elf_magic[4] = {0x7f, 'E', 'L', 'F'};

/* Returns 0 if the ELF header describes an image Inox can run, else -ENOEXEC. */
static int check_ehdr(const struct elf64_ehdr *eh, size_t size)
{
	if (memcmp(eh->e_ident, elf_magic, sizeof(elf_magic)) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT) {
		return -ENOEXEC;
	}
	if (eh->e_type != ET_EXEC || eh->e_machine != EM_RISCV) {
		return -ENOEXEC;
	}
	/* Hard-float code would use FP registers the kernel neither enables nor saves. */
	if (eh->e_flags & (EF_RISCV_FLOAT_ABI | EF_RISCV_RVE)) {
		return -ENOEXEC;
	}
	if (eh->e_ehsize < sizeof(*eh) || eh->e_phentsize != sizeof(struct elf64_phdr) ||
	    eh->e_phnum == 0) {
		return -ENOEXEC;
	}
	/* e_phnum is 16 bits: the product cannot overflow. */
	if (eh->e_phoff > size ||
	    (size_t)eh->e_phnum * sizeof(struct elf64_phdr) > size - eh->e_phoff) {
		return -ENOEXEC;
	}
	return 0;
}

/* Returns 0 if the PT_LOAD ph fits the image and user space, else -ENOEXEC. */
static int check_load(const struct elf64_phdr *ph, size_t size)
{
	if ((ph->p_flags & PF_W) && (ph->p_flags & PF_X)) {
		return -ENOEXEC;
	}
	if (ph->p_filesz > ph->p_memsz || ph->p_offset > size ||
	    ph->p_filesz > size - ph->p_offset) {
		return -ENOEXEC;
	}
	if (ph->p_vaddr < ELF_USER_MIN || ph->p_vaddr >= ELF_USER_TOP ||
	    ph->p_memsz > ELF_USER_TOP - ph->p_vaddr) {
		return -ENOEXEC;
	}
	if ((ph->p_vaddr - ph->p_offset) % ELF_PAGE_SIZE != 0) {
		return -ENOEXEC;
	}
	return 0;
}

static uintptr_t page_down(uintptr_t a)
{
	return a & ~(ELF_PAGE_SIZE - 1);
}

static uintptr_t page_up(uintptr_t a)
{
	return (a + ELF_PAGE_SIZE - 1) & ~(ELF_PAGE_SIZE - 1);
}

int elf_parse(const void *image, size_t size, struct elf_info *out)
{
	const uint8_t *img = image;
	struct elf64_ehdr eh;
	uintptr_t end = 0;
	bool entry_ok = false;
	int ret;

	if (size < sizeof(eh)) {
		return -ENOEXEC;
	}
	memcpy(&eh, img, sizeof(eh));
	ret = check_ehdr(&eh, size);
	if (ret) {
		return ret;
	}

	memset(out, 0, sizeof(*out));
	for (unsigned int i = 0; i < eh.e_phnum; i++) {
		struct elf64_phdr ph;
		struct elf_segment *seg;

		memcpy(&ph, img + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_INTERP || ph.p_type == PT_DYNAMIC) {
			return -ENOEXEC;
		}
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0) {
			continue;
		}
		ret = check_load(&ph, size);
		if (ret) {
			return ret;
		}
		/* Ascending and on pages of its own: each page gets one segment's permissions. */
		if (out->nsegs == ELF_MAX_SEGMENTS || page_down(ph.p_vaddr) < end) {
			return -ENOEXEC;
		}
		end = page_up(ph.p_vaddr + ph.p_memsz);

		seg = &out->seg[out->nsegs++];
		seg->vaddr = ph.p_vaddr;
		seg->memsz = ph.p_memsz;
		seg->offset = ph.p_offset;
		seg->filesz = ph.p_filesz;
		seg->flags = (ph.p_flags & PF_R ? ELF_SEG_READ : 0) |
			     (ph.p_flags & PF_W ? ELF_SEG_WRITE : 0) |
			     (ph.p_flags & PF_X ? ELF_SEG_EXEC : 0);
		if ((seg->flags & ELF_SEG_EXEC) && eh.e_entry >= seg->vaddr &&
		    eh.e_entry - seg->vaddr < seg->memsz) {
			entry_ok = true;
		}
	}
	if (out->nsegs == 0 || !entry_ok) {
		return -ENOEXEC;
	}
	out->entry = eh.e_entry;
	out->end = end;
	return 0;
}
