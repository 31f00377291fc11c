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

# QEMU_EXTRA_FLAGS (as in Zephyr): more QEMU options from the application, set before
# find_package(Inox) or with -DQEMU_EXTRA_FLAGS="a;b". They reach run, debug and twister.
# -no-reboot: a guest reset ends QEMU, so boards whose only way out is a reset return too.
set(QEMU_CMD ${QEMU} -machine ${QEMU_MACHINE} ${QEMU_FLAGS} ${QEMU_EXTRA_FLAGS} -bios default
    -no-reboot -kernel "${INOX_ELF}")

set(_json "")
foreach(a ${QEMU_CMD})
  string(REPLACE "\\" "\\\\" a "${a}")
  string(REPLACE "\"" "\\\"" a "${a}")
  list(APPEND _json "\"${a}\"")
endforeach()
string(REPLACE ";" ", " _json "${_json}")
file(WRITE "${INOX_BINARY_DIR}/runners.json.tmp"
     "{\"board\": \"${BOARD}\", \"elf\": \"${INOX_ELF}\", "
     "\"flash_runner\": \"${BOARD_FLASH_RUNNER}\", \"debug_runner\": \"${BOARD_DEBUG_RUNNER}\", "
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
elseif(BOARD_FLASH_RUNNER STREQUAL "uboot-fit")
  find_program(MKIMAGE mkimage)
  if(NOT MKIMAGE)
    set(MKIMAGE mkimage)
  endif()
  configure_file("${INOX_BASE}/cmake/modules/inox.its.in" "${INOX_BINARY_DIR}/inox.its" @ONLY)
  configure_file("${BOARD_DIR}/flash.txt.in" "${INOX_BINARY_DIR}/flash.txt" @ONLY)
  add_custom_target(flash
    COMMAND ${MKIMAGE} -f "${INOX_BINARY_DIR}/inox.its" "${INOX_BINARY_DIR}/inox.itb"
    COMMAND ${CMAKE_COMMAND} -E cat "${INOX_BINARY_DIR}/flash.txt"
    DEPENDS inox_final
    WORKING_DIRECTORY "${INOX_BINARY_DIR}"
    USES_TERMINAL)
else()
  add_custom_target(flash
    COMMAND ${CMAKE_COMMAND} -E echo "error: board ${BOARD} has no flash runner"
    COMMAND ${CMAKE_COMMAND} -E false)
endif()
