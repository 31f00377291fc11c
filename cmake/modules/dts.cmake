# SPDX-License-Identifier: Apache-2.0
# Devicetree: board dts + overlays -> cpp -> dtc -> DTB -> devicetree_generated.h and
# Kconfig.dts (DT_HAS_<compat>_ENABLED), by scripts/dts/gen_dts.py at configure time.
#
# The overlays (INOX_DTS_OVERLAYS) are chosen by configuration_files.cmake.
include_guard(GLOBAL)

set(_dts_args --dts "${BOARD_DTS}" --out-dir "${INOX_BINARY_DIR}"
    --include-dir "${INOX_BASE}/dts/riscv" --include-dir "${INOX_BASE}/dts"
    --include-dir "${INOX_BASE}/include" --include-dir "${BOARD_DIR}"
    --bindings-dir "${INOX_BASE}/dts/bindings")
if(EXISTS "${APPLICATION_SOURCE_DIR}/dts/bindings")
  list(APPEND _dts_args --bindings-dir "${APPLICATION_SOURCE_DIR}/dts/bindings")
endif()
message(STATUS "Devicetree: ${BOARD_DTS}")
foreach(ov ${BOARD_REVISION_OVERLAY} ${INOX_DTS_OVERLAYS})
  message(STATUS "Found devicetree overlay: ${ov}")
  list(APPEND _dts_args --overlay "${ov}")
endforeach()

file(MAKE_DIRECTORY "${INOX_BINARY_DIR}")
inox_python_step("${INOX_BASE}/scripts/dts/gen_dts.py" ${_dts_args})
file(STRINGS "${INOX_BINARY_DIR}/dts.deps" _dts_deps)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_dts_deps})
set(INOX_DTB "${INOX_BINARY_DIR}/inox.dtb")
