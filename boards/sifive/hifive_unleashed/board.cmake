# SPDX-License-Identifier: Apache-2.0
# hifive_unleashed runs on QEMU's sifive_u (5 harts: the E51 monitor hart
# plus four U54s) and is flashed as a U-Boot FIT image.
set(QEMU_MACHINE sifive_u)
if(BOARD_QUALIFIERS STREQUAL "/qemu")
  set(QEMU_FLAGS -m 256M -smp 5)
  set(BOARD_FLASH_RUNNER qemu)
else()
  set(QEMU_FLAGS -m 8G -smp 5)
  set(BOARD_FLASH_RUNNER uboot-fit)
endif()
set(BOARD_DEBUG_RUNNER qemu)
