# SPDX-License-Identifier: Apache-2.0
# How the image runs: the board's board.cmake sets QEMU_MACHINE, QEMU_FLAGS,
# BOARD_FLASH_RUNNER and BOARD_DEBUG_RUNNER; this writes BUILD/inox/runners.json (read by
# scripts/twister) and defines the run, flash, debug and debugserver targets.
include_guard(GLOBAL)

find_program(QEMU qemu-system-riscv64)
if(NOT QEMU)
  set(QEMU qemu-system-riscv64)
endif()
find_program(GDB gdb-multiarch)
if(NOT GDB)
  set(GDB gdb-multiarch)
endif()

include(uboot)

# QEMU_EXTRA_FLAGS (as in Zephyr): more QEMU options from the application, set before
# find_package(Inox) or with -DQEMU_EXTRA_FLAGS="a;b". They reach run, debug and twister.
# -no-reboot: a guest reset ends QEMU, so boards whose only way out is a reset return too.
# QEMU_BOOT: how QEMU starts the kernel. "sbi" (the default): QEMU's OpenSBI and -kernel.
# "uboot": the board's U-Boot boot chain from a disk image (uboot.cmake), which the default
# target then builds.
set(QEMU_BOOT sbi CACHE STRING "How QEMU boots the image: sbi (OpenSBI + -kernel) or uboot")
set_property(CACHE QEMU_BOOT PROPERTY STRINGS sbi uboot)
if(QEMU_BOOT STREQUAL "sbi")
  set(QEMU_CMD ${QEMU} -machine ${QEMU_MACHINE} ${QEMU_FLAGS} ${QEMU_EXTRA_FLAGS} -bios default
      -no-reboot -kernel "${INOX_ELF}")
elseif(QEMU_BOOT STREQUAL "uboot")
  if(NOT DEFINED UBOOT_QEMU_FLAGS)
    message(FATAL_ERROR " error: QEMU_BOOT=uboot: board ${BOARD} has no U-Boot boot chain "
                        "(UBOOT_QEMU_FLAGS in its board.cmake)")
  endif()
  if(DEFINED UBOOT_QEMU_MACHINE)
    set(QEMU_MACHINE ${UBOOT_QEMU_MACHINE})
  endif()
  set(QEMU_CMD ${QEMU} -machine ${QEMU_MACHINE} ${QEMU_FLAGS} ${QEMU_EXTRA_FLAGS}
      ${UBOOT_QEMU_CMD_FLAGS} -no-reboot)
else()
  message(FATAL_ERROR " error: QEMU_BOOT=${QEMU_BOOT}: must be sbi or uboot")
endif()

set(_json "")
foreach(a ${QEMU_CMD})
  string(REPLACE "\\" "\\\\" a "${a}")
  string(REPLACE "\"" "\\\"" a "${a}")
  list(APPEND _json "\"${a}\"")
endforeach()
string(REPLACE ";" ", " _json "${_json}")
file(WRITE "${INOX_BINARY_DIR}/runners.json.tmp"
     "{\"board\": \"${BOARD}\", \"elf\": \"${INOX_ELF}\", "
     "\"flash_runner\": \"${BOARD_FLASH_RUNNER}\", \"disk\": \"${UBOOT_DISK}\", \"debug_runner\": \"${BOARD_DEBUG_RUNNER}\", "
     "\"qemu\": [${_json}]}\n")
file(COPY_FILE "${INOX_BINARY_DIR}/runners.json.tmp" "${INOX_BINARY_DIR}/runners.json"
     ONLY_IF_DIFFERENT)
file(REMOVE "${INOX_BINARY_DIR}/runners.json.tmp")

add_custom_target(run
  COMMAND ${QEMU_CMD} -nographic
  DEPENDS inox_final
  COMMENT "Running ${BOARD} in QEMU (Ctrl-A x quits)"
  USES_TERMINAL)

add_custom_target(debugserver
  COMMAND ${QEMU_CMD} -nographic -s -S
  DEPENDS inox_final
  COMMENT "QEMU waits for gdb on localhost:1234 (Ctrl-A x quits)"
  USES_TERMINAL)

# debug: QEMU in the background, halted, and gdb attached to it with the ELF loaded.
add_custom_target(debug
  COMMAND sh "${INOX_BASE}/scripts/support/debug.sh" "${GDB}" "${INOX_ELF}"
          "${INOX_BINARY_DIR}/debug-console.log" ${QEMU_CMD}
  DEPENDS inox_final
  USES_TERMINAL)

if(BOARD_FLASH_RUNNER STREQUAL "qemu")
  add_custom_target(flash
    COMMAND ${QEMU_CMD} -nographic
    DEPENDS inox_final
    COMMENT "${BOARD} is emulated: flashing means running it in QEMU (Ctrl-A x quits)"
    USES_TERMINAL)
elseif(BOARD_FLASH_RUNNER STREQUAL "uboot-sdcard")
  # The SD card image; `scripts/inox flash --device DEV` then writes it to a card.
  configure_file("${BOARD_DIR}/flash.txt.in" "${INOX_BINARY_DIR}/flash.txt" @ONLY)
  add_custom_target(flash
    COMMAND ${CMAKE_COMMAND} -E cat "${INOX_BINARY_DIR}/flash.txt"
    DEPENDS uboot_disk
    USES_TERMINAL)
elseif(BOARD_FLASH_RUNNER STREQUAL "uboot-fit")
  # Only the FIT: the board's own firmware and U-Boot stay on its storage, and flash.txt
  # says how to hand inox.itb to that U-Boot.
  configure_file("${BOARD_DIR}/flash.txt.in" "${INOX_BINARY_DIR}/flash.txt" @ONLY)
  add_custom_target(flash
    COMMAND ${CMAKE_COMMAND} -E cat "${INOX_BINARY_DIR}/flash.txt"
    DEPENDS uboot_fit
    USES_TERMINAL)
else()
  add_custom_target(flash
    COMMAND ${CMAKE_COMMAND} -E echo "error: board ${BOARD} has no flash runner"
    COMMAND ${CMAKE_COMMAND} -E false)
endif()
