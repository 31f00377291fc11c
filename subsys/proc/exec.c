/* SPDX-License-Identifier: Apache-2.0 */
/*
 * execve(): replaces the current process's program with one from the initramfs. The new
 * address space is built completely (segments copied in, heap and stack regions, argv and
 * envp on the stack) before the old one is dropped, so a failure leaves the caller as it
 * was.
 */
#include <string.h>
#include <inox/kernel.h>
#include <inox/proc/proc.h>
#include <inox/proc/elf.h>
#include <inox/proc/initramfs.h>
#include <inox/arch/esf.h>
#include "ksched.h"

/* elf_segment.flags are the VM_* permission bits (<inox/proc/elf.h> says so). */
static unsigned int seg_prot(unsigned int flags)
{
	return flags & (VM_READ | VM_WRITE | VM_EXEC);
}

/* Copies one PT_LOAD segment into vm, page by page, and fences the instruction fetch after
 * text. 0 or -ENOMEM / -EINVAL. */
static int load_segment(struct vm_space *vm, const uint8_t *image, const struct elf_segment *s)
{
	uintptr_t start = ROUND_DOWN(s->vaddr, PAGE_SIZE);
	uintptr_t end = ROUND_UP(s->vaddr + s->memsz, PAGE_SIZE);
	unsigned int prot = seg_prot(s->flags);
	int ret = vm_region_add(vm, start, end, prot, (prot & VM_EXEC) ? VM_TEXT : VM_DATA);

	if (ret != 0) {
		return ret;
	}
	for (uintptr_t va = start; va < end; va += PAGE_SIZE) {
		uint8_t *page = vm_map_new_page(vm, va, prot);
		uintptr_t lo = MAX(va, s->vaddr);
		uintptr_t hi = MIN(va + PAGE_SIZE, s->vaddr + s->filesz);

		if (page == NULL) {
			return -ENOMEM;
		}
		if (lo < hi) {
			memcpy(page + (lo - va), image + s->offset + (lo - s->vaddr), hi - lo);
		}
	}
	if (prot & VM_EXEC) {
		vm_icache_sync_user();
	}
	return 0;
}

/*
 * Puts argv and envp on the new stack as the ELF entry convention wants: sp -> argc,
 * argv[], NULL, envp[], NULL, an empty auxv, then the strings. Everything fits in the top
 * stack page. Returns the user sp, or -E2BIG / -ENOMEM.
 */
static long build_stack(struct vm_space *vm, char *const argv[], char *const envp[])
{
	uintptr_t page_va = USER_STACK_TOP - PAGE_SIZE;
	uint8_t *page = vm_map_new_page(vm, page_va, VM_READ | VM_WRITE);
	size_t argc = 0;
	size_t envc = 0;
	size_t strings = 0;
	uintptr_t str_va;
	uintptr_t sp;
	uint64_t *slots;
	size_t nslots;

	if (page == NULL) {
		return -ENOMEM;
	}
	for (; argv[argc] != NULL; argc++) {
		strings += strlen(argv[argc]) + 1;
	}
	for (; envp[envc] != NULL; envc++) {
		strings += strlen(envp[envc]) + 1;
	}
	nslots = 1 + argc + 1 + envc + 1 + 2;
	if (strings + nslots * 8 + 16 > PAGE_SIZE) {
		return -E2BIG;
	}
	str_va = USER_STACK_TOP - ROUND_UP(strings, 16);
	sp = ROUND_DOWN(str_va - nslots * 8, 16);
	slots = (uint64_t *)(page + (sp - page_va));
	*slots++ = argc;
	for (int pass = 0; pass < 2; pass++) {
		char *const *vec = pass == 0 ? argv : envp;

		for (size_t i = 0; vec[i] != NULL; i++) {
			size_t len = strlen(vec[i]) + 1;

			memcpy(page + (str_va - page_va), vec[i], len);
			*slots++ = str_va;
			str_va += len;
		}
		*slots++ = 0;
	}
	slots[0] = 0; /* AT_NULL */
	slots[1] = 0;
	return (long)sp;
}

long proc_exec(struct arch_esf *esf, const char *path, char *const argv[], char *const envp[])
{
	struct proc *p = proc_current();
	const uint8_t *image;
	size_t size;
	struct elf_info info;
	struct vm_space *vm;
	struct vm_space *old;
	uintptr_t brk = 0;
	const char *base;
	k_spinlock_key_t key;
	long sp;
	int ret;

	ret = initramfs_find(path, (const void **)&image, &size);
	if (ret != 0) {
		return ret;
	}
	ret = elf_parse(image, size, &info);
	if (ret != 0) {
		return ret;
	}
	vm = vm_space_create();
	if (vm == NULL) {
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < info.nsegs && ret == 0; i++) {
		ret = load_segment(vm, image, &info.seg[i]);
	}
	brk = info.end;
	if (ret == 0) {
		vm->brk_start = vm->brk = brk;
		ret = vm_region_add(vm, brk, USER_MMAP_BASE, VM_READ | VM_WRITE, VM_HEAP);
	}
	if (ret == 0) {
		ret = vm_region_add(vm, USER_STACK_TOP - CONFIG_USER_STACK_SIZE, USER_STACK_TOP,
				    VM_READ | VM_WRITE, VM_STACK);
	}
	sp = ret == 0 ? build_stack(vm, argv, envp) : ret;
	if (sp < 0) {
		vm_space_destroy(vm);
		return sp;
	}

	/* Point of no return: switch to the new space and drop the old one. */
	key = k_spin_lock(&z_sched_lock); /* proc_info() reads p->vm under it */
	old = p->vm;
	p->vm = vm;
	k_spin_unlock(&z_sched_lock, key);
	p->thread.vm_token = vm_space_token(vm);
	vm_space_activate(vm);
	if (old != NULL) {
		vm_space_destroy(old);
	}
	signal_exec(p);
	p->did_exec = true; /* setpgid() from its parent now fails with EACCES */
	base = strrchr(path, '/');
	strlcpy(p->name, base != NULL ? base + 1 : path, sizeof(p->name));

	/* No FPU state: programs are soft-float and the kernel saves no FP registers, so an
	 * FP instruction must trap (SIGILL) rather than touch state shared between processes. */
	arch_esf_user_init(esf, info.entry, sp);
	return 0;
}
