# SPDX-License-Identifier: Apache-2.0
# Which of the application's devicetree overlays and Kconfig fragments the build uses, in
# Zephyr's order (doc/build.md, "Application configuration files"). Sets
#
#   INOX_DTS_OVERLAYS  the overlays, in the order they apply (read by dts.cmake)
#   INOX_CONF_FILES    the application's fragments, after the board's defconfig (kconfig.cmake)
#
# Board-specific files are looked up least specific first: the board name, then the
# target (qemu_riscv64, then qemu_riscv64_smp), then the target with its revision
# (qemu_riscv64_smp_1_0_0 for @1.0.0). Every one that exists is used.
include_guard(GLOBAL)

set(DTC_OVERLAY_FILE "${DTC_OVERLAY_FILE}" CACHE STRING "Devicetree overlays (replace the app's)")
set(EXTRA_DTC_OVERLAY_FILE "${EXTRA_DTC_OVERLAY_FILE}" CACHE STRING "Extra devicetree overlays")
set(CONF_FILE "${CONF_FILE}" CACHE STRING "Application Kconfig fragments (default: prj.conf)")
set(EXTRA_CONF_FILE "${EXTRA_CONF_FILE}" CACHE STRING "Extra Kconfig fragments")

set(_board_file_names "${BOARD_NAME}")
if(NOT BOARD_TARGET_ID STREQUAL BOARD_NAME)
  list(APPEND _board_file_names "${BOARD_TARGET_ID}")
endif()
if(BOARD_REVISION)
  string(REPLACE "." "_" _rev "${BOARD_REVISION}")
  list(APPEND _board_file_names "${BOARD_TARGET_ID}_${_rev}")
endif()

# z_inox_existing(OUT DIR SUFFIX): DIR/<name>SUFFIX for each board file name that exists.
function(z_inox_existing out dir suffix)
  set(found "")
  foreach(name ${_board_file_names})
    if(EXISTS "${dir}/${name}${suffix}")
      list(APPEND found "${dir}/${name}${suffix}")
    endif()
  endforeach()
  set(${out} "${found}" PARENT_SCOPE)
endfunction()

# z_inox_absolute(OUT FILES...): relative paths are relative to the application.
function(z_inox_absolute out)
  set(files "")
  foreach(f ${ARGN})
    get_filename_component(f "${f}" ABSOLUTE BASE_DIR "${APPLICATION_SOURCE_DIR}")
    list(APPEND files "${f}")
  endforeach()
  set(${out} "${files}" PARENT_SCOPE)
endfunction()

# Devicetree: DTC_OVERLAY_FILE, else boards/<board>.overlay (all that exist), else
# <board>.overlay in the application folder (likewise), else app.overlay; then
# EXTRA_DTC_OVERLAY_FILE and the snippets' overlays (snippets.cmake).
if(DTC_OVERLAY_FILE)
  set(_overlays ${DTC_OVERLAY_FILE})
else()
  z_inox_existing(_overlays "${APPLICATION_SOURCE_DIR}/boards" .overlay)
  if(NOT _overlays)
    z_inox_existing(_overlays "${APPLICATION_SOURCE_DIR}" .overlay)
  endif()
  if(NOT _overlays AND EXISTS "${APPLICATION_SOURCE_DIR}/app.overlay")
    set(_overlays "${APPLICATION_SOURCE_DIR}/app.overlay")
  endif()
endif()
z_inox_absolute(INOX_DTS_OVERLAYS ${_overlays} ${EXTRA_DTC_OVERLAY_FILE} ${SNIPPET_OVERLAYS})

# Kconfig: CONF_FILE, else prj.conf and then boards/<board>.conf (all that exist);
# EXTRA_CONF_FILE after either, then the snippets' fragments (snippets.cmake).
if(CONF_FILE)
  set(_confs ${CONF_FILE})
else()
  set(_confs "")
  if(EXISTS "${APPLICATION_SOURCE_DIR}/prj.conf")
    set(_confs "${APPLICATION_SOURCE_DIR}/prj.conf")
  endif()
  z_inox_existing(_board_confs "${APPLICATION_SOURCE_DIR}/boards" .conf)
  list(APPEND _confs ${_board_confs})
endif()
z_inox_absolute(INOX_CONF_FILES ${_confs} ${EXTRA_CONF_FILE} ${SNIPPET_CONF_FILES})
