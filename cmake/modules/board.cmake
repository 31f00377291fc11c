# SPDX-License-Identifier: Apache-2.0
# -DBOARD=name[@revision][/qualifiers]: find the board folder (boards/*/*/board.yml, plus
# BOARD_ROOT entries) and the files of the chosen target: <target>.dts, <target>_defconfig,
# board.cmake, and a revision's <target>_<revision>.overlay / .conf.
include_guard(GLOBAL)

if(NOT BOARD AND DEFINED ENV{BOARD})
  set(BOARD "$ENV{BOARD}")
endif()
if(NOT BOARD)
  message(FATAL_ERROR " error: no board given; use -DBOARD=<board> (scripts/inox boards lists them)")
endif()
set(BOARD "${BOARD}" CACHE STRING "Board to build for" FORCE)

# The board.yml files are read by scripts/build/find_board.py, the same reader as
# `scripts/inox boards`: a BOARD_ROOT entry is a folder holding boards/, as in Zephyr.
set(_board_roots "")
foreach(root ${BOARD_ROOT} "${INOX_BASE}")
  list(APPEND _board_roots --root "${root}/boards")
endforeach()
inox_python_step("${INOX_BASE}/scripts/build/find_board.py" --board "${BOARD}" ${_board_roots}
                 --out "${CMAKE_BINARY_DIR}/inox/board_dir.cmake")
include("${CMAKE_BINARY_DIR}/inox/board_dir.cmake")

# From here on BOARD is the target in Inox's short spelling (qemu_riscv64/smp), whichever
# way -b spelled it (qemu_riscv64@1.0.0/qemu_virt_riscv64/smp); the cache keeps the user's.
set(BOARD "${BOARD_TARGET}")
string(FIND "${BOARD}" "/" _slash)
if(_slash EQUAL -1)
  set(BOARD_NAME "${BOARD}")
  set(BOARD_QUALIFIERS "")
else()
  string(SUBSTRING "${BOARD}" 0 ${_slash} BOARD_NAME)
  string(SUBSTRING "${BOARD}" ${_slash} -1 BOARD_QUALIFIERS)
endif()

string(REPLACE "/" "_" BOARD_TARGET_ID "${BOARD}")
set(BOARD_DTS "${BOARD_DIR}/${BOARD_TARGET_ID}.dts")
set(BOARD_DEFCONFIG "${BOARD_DIR}/${BOARD_TARGET_ID}_defconfig")
foreach(f BOARD_DTS BOARD_DEFCONFIG)
  if(NOT EXISTS "${${f}}")
    message(FATAL_ERROR " error: board ${BOARD} lacks ${${f}}")
  endif()
endforeach()
include("${BOARD_DIR}/board.cmake")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             "${BOARD_DIR}/board.cmake" "${BOARD_YML}")
# A revision's own files in the board folder, as Zephyr's: <target>_<revision>.overlay after
# the board's dts, <target>_<revision>.conf after its defconfig.
set(BOARD_REVISION_OVERLAY "")
set(BOARD_REVISION_CONF "")
if(BOARD_REVISION)
  string(REPLACE "." "_" _rev "${BOARD_REVISION}")
  foreach(kind OVERLAY CONF)
    string(TOLOWER "${kind}" _ext)
    if(EXISTS "${BOARD_DIR}/${BOARD_TARGET_ID}_${_rev}.${_ext}")
      set(BOARD_REVISION_${kind} "${BOARD_DIR}/${BOARD_TARGET_ID}_${_rev}.${_ext}")
    endif()
  endforeach()
  message(STATUS "Board: ${BOARD}, revision ${BOARD_REVISION} (${BOARD_DIR})")
else()
  message(STATUS "Board: ${BOARD} (${BOARD_DIR})")
endif()
