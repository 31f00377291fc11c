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
