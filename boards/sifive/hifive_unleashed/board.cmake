# SPDX-License-Identifier: Apache-2.0
# hifive_unleashed runs on QEMU's sifive_u (5 harts: the E51 monitor hart
# plus four U54s) and is flashed as an SD card image for its own boot chain.
set(QEMU_MACHINE sifive_u)
if(BOARD_QUALIFIERS STREQUAL "/qemu")
  set(QEMU_FLAGS -m 256M -smp 5)
  set(BOARD_FLASH_RUNNER qemu)
else()
  set(QEMU_FLAGS -m 8G -smp 5)
  set(BOARD_FLASH_RUNNER uboot-sdcard)
  # The board's boot chain (uboot.cmake): the mask ROM (MSEL=11) loads U-Boot SPL from the
  # SD card's loader1 partition, SPL loads OpenSBI + U-Boot from loader2, U-Boot's distro
  # boot runs boot.scr, which loads inox.itb to kernel_addr_r. QEMU_BOOT=uboot runs exactly
  # that on sifive_u, the card image as its SD card.
  set(UBOOT_DEFCONFIG sifive_unleashed)
  set(UBOOT_CONFIG "${CMAKE_CURRENT_LIST_DIR}/uboot.config")
  set(UBOOT_FIT_ADDRESS 0x84000000)
  set(UBOOT_QEMU_MACHINE sifive_u,msel=11)
  set(UBOOT_QEMU_FLAGS -bios @UBOOT_SPL@ -drive file=@UBOOT_DISK@,if=sd,format=raw)
endif()
set(BOARD_DEBUG_RUNNER qemu)
