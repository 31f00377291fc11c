# SPDX-License-Identifier: Apache-2.0
# Devicetree: board dts + overlays -> cpp -> dtc -> DTB -> devicetree_generated.h and
# Kconfig.dts (DT_HAS_<compat>_ENABLED), by scripts/dts/gen_dts.py at configure time.
#
# Overlays, as in Zephyr: DTC_OVERLAY_FILE replaces the app's own
# boards/<board>.overlay; EXTRA_DTC_OVERLAY_FILE entries are applied after either.
include_guard(GLOBAL)

set(DTC_OVERLAY_FILE "${DTC_OVERLAY_FILE}" CACHE STRING "Devicetree overlays (replace the app's)")
set(EXTRA_DTC_OVERLAY_FILE "${EXTRA_DTC_OVERLAY_FILE}" CACHE STRING "Extra devicetree overlays")

set(_overlays "")
if(DTC_OVERLAY_FILE)
  set(_overlays ${DTC_OVERLAY_FILE})
else()
  foreach(name ${BOARD_TARGET_ID} ${BOARD_NAME})
    if(EXISTS "${APPLICATION_SOURCE_DIR}/boards/${name}.overlay")
      set(_overlays "${APPLICATION_SOURCE_DIR}/boards/${name}.overlay")
      break()
    endif()
  endforeach()
endif()
list(APPEND _overlays ${EXTRA_DTC_OVERLAY_FILE})

set(_dts_args --dts "${BOARD_DTS}" --out-dir "${INOX_BINARY_DIR}"
    --include-dir "${INOX_BASE}/dts/riscv" --include-dir "${INOX_BASE}/dts"
    --include-dir "${INOX_BASE}/include" --include-dir "${BOARD_DIR}"
    --bindings-dir "${INOX_BASE}/dts/bindings")
if(EXISTS "${APPLICATION_SOURCE_DIR}/dts/bindings")
  list(APPEND _dts_args --bindings-dir "${APPLICATION_SOURCE_DIR}/dts/bindings")
endif()
foreach(ov ${_overlays})
  get_filename_component(ov "${ov}" ABSOLUTE BASE_DIR "${APPLICATION_SOURCE_DIR}")
  list(APPEND _dts_args --overlay "${ov}")
endforeach()

file(MAKE_DIRECTORY "${INOX_BINARY_DIR}")
inox_python_step("${INOX_BASE}/scripts/dts/gen_dts.py" ${_dts_args})
file(STRINGS "${INOX_BINARY_DIR}/dts.deps" _dts_deps)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_dts_deps})
set(INOX_DTB "${INOX_BINARY_DIR}/inox.dtb")
message(STATUS "Devicetree: ${BOARD_DTS} ${_overlays}")
