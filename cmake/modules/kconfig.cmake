# SPDX-License-Identifier: Apache-2.0
# Kconfig, merged in Zephyr's order: board defconfig, the app's prj.conf and
# boards/<board>.conf (or CONF_FILE), each EXTRA_CONF_FILE, then -DCONFIG_X=... from the
# cmake command line. Writes BUILD/inox/.config and BUILD/inox/include/generated/autoconf.h, and sets every symbol
# as a CMake variable (CONFIG_X) for the rest of the build.
include_guard(GLOBAL)

set(DOTCONFIG "${INOX_BINARY_DIR}/.config")
set(AUTOCONF_H "${INOX_BINARY_DIR}/include/generated/autoconf.h")

if(EXISTS "${APPLICATION_SOURCE_DIR}/Kconfig")
  set(KCONFIG_ROOT "${APPLICATION_SOURCE_DIR}/Kconfig")
else()
  set(KCONFIG_ROOT "${INOX_BASE}/Kconfig")
endif()

# The application's fragments (INOX_CONF_FILES) are chosen by configuration_files.cmake.
set(_fragments "${BOARD_DEFCONFIG}" ${BOARD_REVISION_CONF} ${INOX_CONF_FILES})

# -DCONFIG_X=value on the command line stays in the cache, as in Zephyr, so a re-run of
# cmake keeps it; scripts/inox -p always starts from a clean cache.
get_cmake_property(_cache_vars CACHE_VARIABLES)
set(_sets "")
foreach(var ${_cache_vars})
  if(var MATCHES "^CONFIG_")
    list(APPEND _sets "${var}=${${var}}")
  endif()
endforeach()

set(KCONFIG_ENV
    "srctree=${INOX_BASE}" "KCONFIG_BINARY_DIR=${INOX_BINARY_DIR}"
    "BOARD=${BOARD_NAME}" "BOARD_DIR=${BOARD_DIR}" "BOARD_QUALIFIERS=${BOARD_QUALIFIERS}"
    "BOARD_REVISION=${BOARD_REVISION}"
    "APP_DIR=${APPLICATION_SOURCE_DIR}" "INOX_BASE=${INOX_BASE}")
set(_kconfig_args --kconfig "${KCONFIG_ROOT}" --config-out "${DOTCONFIG}"
    --header-out "${AUTOCONF_H}" --sources-out "${INOX_BINARY_DIR}/kconfig.sources")
if(_fragments)
  list(APPEND _kconfig_args --fragment ${_fragments})
endif()
if(_sets)
  list(APPEND _kconfig_args --set ${_sets})
endif()
set(INOX_STEP_ENV ${KCONFIG_ENV})
inox_python_step("${INOX_BASE}/scripts/kconfig/kconfig.py" ${_kconfig_args})
unset(INOX_STEP_ENV)

file(STRINGS "${INOX_BINARY_DIR}/kconfig.sources" _kconfig_sources)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${_kconfig_sources} ${_fragments} "${DOTCONFIG}")

# Import .config: CONFIG_X=y -> CONFIG_X "y"; strings lose their quotes.
file(STRINGS "${DOTCONFIG}" _lines REGEX "^CONFIG_")
foreach(line ${_lines})
  if(line MATCHES "^(CONFIG_[A-Za-z0-9_]+)=\"(.*)\"$")
    set(${CMAKE_MATCH_1} "${CMAKE_MATCH_2}")
  elseif(line MATCHES "^(CONFIG_[A-Za-z0-9_]+)=(.*)$")
    set(${CMAKE_MATCH_1} "${CMAKE_MATCH_2}")
  endif()
endforeach()

foreach(tool menuconfig guiconfig)
  add_custom_target(${tool}
    COMMAND ${CMAKE_COMMAND} -E env ${KCONFIG_ENV} "KCONFIG_CONFIG=${DOTCONFIG}"
            ${INOX_PYTHON} "${INOX_BASE}/scripts/kconfig/${tool}.py" "${KCONFIG_ROOT}"
    WORKING_DIRECTORY "${INOX_BINARY_DIR}"
    USES_TERMINAL)
endforeach()
