# SPDX-License-Identifier: Apache-2.0
# How to run and debug qemu_riscv64 (and its /smp variant).
set(QEMU_MACHINE virt)
if(BOARD_QUALIFIERS STREQUAL "/smp")
  set(QEMU_SMP 4)
else()
  set(QEMU_SMP 1)
endif()
set(QEMU_FLAGS -m 256M -smp ${QEMU_SMP})
set(BOARD_FLASH_RUNNER qemu)
set(BOARD_DEBUG_RUNNER qemu)
# QEMU_BOOT=uboot (uboot.cmake): QEMU's OpenSBI starts Debian's S-mode U-Boot, whose distro
# boot finds boot.scr on a virtio disk and loads inox.itb to kernel_addr_r.
set(UBOOT_FIT_ADDRESS 0x84000000)
set(UBOOT_NEEDS /usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin=u-boot-qemu)
set(UBOOT_QEMU_FLAGS -bios default -kernel /usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
    -drive file=@UBOOT_DISK@,if=none,format=raw,id=disk0 -device virtio-blk-device,drive=disk0)
