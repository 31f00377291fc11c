# SPDX-License-Identifier: Apache-2.0
# mpfs_icicle/qemu runs on QEMU's microchip-icicle-kit (5 harts: the E51 plus four U54s).
# QEMU makes no devicetree for this machine: it boots OpenSBI (-bios default) and the
# kernel only when given one, so the build's own inox.dtb goes in with -dtb. It wants at
# least 1537 MiB of RAM. The real kit is booted by its HSS, OpenSBI and U-Boot from eMMC:
# flash makes the FIT (inox.itb) that its U-Boot loads.
set(QEMU_MACHINE microchip-icicle-kit)
set(QEMU_FLAGS -m 2G -smp 5 -dtb ${INOX_BINARY_DIR}/inox.dtb)
if(BOARD_QUALIFIERS STREQUAL "/qemu")
  set(BOARD_FLASH_RUNNER qemu)
else()
  set(BOARD_FLASH_RUNNER uboot-fit)
  # Microchip's U-Boot for the kit has kernel_addr_r at 0x80200000, where Inox itself runs,
  # so the FIT goes higher up in the first GiB; the kernel must end below it (check_image.py).
  set(UBOOT_FIT_ADDRESS 0x84000000)
endif()
set(BOARD_DEBUG_RUNNER qemu)
