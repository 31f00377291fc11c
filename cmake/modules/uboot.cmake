# SPDX-License-Identifier: Apache-2.0
# Booting the image through U-Boot, as a board's own firmware does: the FIT (inox.itb), the
# boot script that loads it, and a disk image holding both (plus U-Boot SPL and U-Boot for a
# board that boots them from its SD card). runners.cmake includes this.
#
# A board that U-Boot can boot sets, in its board.cmake:
#   UBOOT_FIT_ADDRESS   where boot.scr loads inox.itb (the board's kernel_addr_r); U-Boot
#                       leaves the devicetree inside it, so the kernel must end below it
#   UBOOT_DEFCONFIG     optional: U-Boot's defconfig to build SPL + u-boot.itb from Debian's
#                       source (scripts/build/uboot.py); they go into the disk's loader
#                       partitions and UBOOT_SPL / UBOOT_ITB name them
#   UBOOT_CONFIG        optional: a Kconfig fragment merged over UBOOT_DEFCONFIG
#   UBOOT_QEMU_MACHINE  optional: QEMU's -machine when booting through U-Boot
#   UBOOT_QEMU_FLAGS    QEMU options that boot the disk through U-Boot; @UBOOT_DISK@ and
#                       @UBOOT_SPL@ are replaced by the paths
#   UBOOT_NEEDS         optional: FILE=PACKAGE items, files those options need and the Debian
#                       package that installs each (installed when the disk is made)
#
# Defines the uboot_fit target (BUILD/inox/inox.itb), the uboot_disk target
# (BUILD/inox/disk.img) and UBOOT_QEMU_CMD_FLAGS.
include_guard(GLOBAL)

if(NOT DEFINED UBOOT_FIT_ADDRESS)
  return()
endif()

find_program(MKIMAGE mkimage)
if(NOT MKIMAGE)
  set(MKIMAGE mkimage)
endif()

set(UBOOT_DISK "${INOX_BINARY_DIR}/disk.img")
set(INOX_ITB "${INOX_BINARY_DIR}/inox.itb")
set(_scripts "${INOX_BASE}/scripts/build")
set(_disk_args "")
set(_disk_deps "")

if(DEFINED UBOOT_DEFCONFIG)
  set(_uboot_args --defconfig ${UBOOT_DEFCONFIG})
  if(DEFINED UBOOT_CONFIG)
    list(APPEND _uboot_args --fragment "${UBOOT_CONFIG}")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${UBOOT_CONFIG}")
  endif()
  execute_process(COMMAND ${INOX_PYTHON} "${_scripts}/uboot.py" ${_uboot_args} --where
                  OUTPUT_VARIABLE UBOOT_DIR OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR " error: cannot tell where U-Boot for ${UBOOT_DEFCONFIG} is built")
  endif()
  set(UBOOT_SPL "${UBOOT_DIR}/spl/u-boot-spl.bin")
  set(UBOOT_ITB "${UBOOT_DIR}/u-boot.itb")
  # Built once per machine, outside the build folder. uboot.py runs every time the disk is
  # made: it returns at once when its stamp matches the installed OpenSBI, and rebuilds (and
  # rewrites the stamp, so the disk is made again) after a Debian update of it.
  add_custom_target(uboot_firmware
    COMMAND ${INOX_PYTHON} "${_scripts}/uboot.py" ${_uboot_args} > /dev/null
    BYPRODUCTS "${UBOOT_DIR}/inox-built" "${UBOOT_SPL}" "${UBOOT_ITB}"
    COMMENT "U-Boot SPL + OpenSBI + U-Boot for ${UBOOT_DEFCONFIG} (built once, cached)"
    USES_TERMINAL)
  set(_disk_args --spl "${UBOOT_SPL}" --itb "${UBOOT_ITB}")
  set(_disk_deps uboot_firmware "${UBOOT_DIR}/inox-built")
endif()
foreach(need ${UBOOT_NEEDS})
  list(APPEND _disk_args --need "${need}")
endforeach()

configure_file("${INOX_BASE}/cmake/modules/inox.its.in" "${INOX_BINARY_DIR}/inox.its" @ONLY)
configure_file("${INOX_BASE}/cmake/modules/boot.cmd.in" "${INOX_BINARY_DIR}/boot.cmd" @ONLY)

add_custom_command(
  OUTPUT "${INOX_ITB}"
  COMMAND ${INOX_PYTHON} "${_scripts}/check_image.py" --nm ${CMAKE_NM} --elf "${INOX_ELF}"
          --bin "${INOX_BINARY_DIR}/inox.bin" --load ${CONFIG_KERNEL_LOAD_ADDRESS}
          --below ${UBOOT_FIT_ADDRESS}
  COMMAND ${MKIMAGE} -q -f "${INOX_BINARY_DIR}/inox.its" "${INOX_ITB}"
  DEPENDS inox_final "${INOX_BINARY_DIR}/inox.its" "${INOX_DTB}"
  COMMENT "Making the U-Boot FIT inox.itb")

# The FIT alone, for a board whose U-Boot stays on its own storage (flash runner uboot-fit).
add_custom_target(uboot_fit DEPENDS "${INOX_ITB}")

add_custom_command(
  OUTPUT "${UBOOT_DISK}"
  COMMAND ${MKIMAGE} -q -A riscv -O linux -T script -C none -n "Inox boot script"
          -d "${INOX_BINARY_DIR}/boot.cmd" "${INOX_BINARY_DIR}/boot.scr"
  COMMAND ${INOX_PYTHON} "${_scripts}/disk_image.py" --out "${UBOOT_DISK}" ${_disk_args}
          "${INOX_ITB}" "${INOX_BINARY_DIR}/boot.scr"
  DEPENDS "${INOX_ITB}" "${INOX_BINARY_DIR}/boot.cmd" ${_disk_deps}
  BYPRODUCTS "${INOX_BINARY_DIR}/boot.scr"
  COMMENT "Making the disk image disk.img (GPT, FAT: inox.itb + boot.scr)")

if(QEMU_BOOT STREQUAL "uboot")
  add_custom_target(uboot_disk ALL DEPENDS "${UBOOT_DISK}")
else()
  add_custom_target(uboot_disk DEPENDS "${UBOOT_DISK}")
endif()

string(CONFIGURE "${UBOOT_QEMU_FLAGS}" UBOOT_QEMU_CMD_FLAGS @ONLY)
