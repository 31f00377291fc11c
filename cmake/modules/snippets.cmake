# SPDX-License-Identifier: Apache-2.0
# Snippets, as in Zephyr: -DSNIPPET=name;... (scripts/inox build -S name) adds the Kconfig
# fragments and devicetree overlays of each named snippets/<...>/snippet.yml, found under
# the app, each SNIPPET_ROOT, then INOX_BASE (scripts/build/snippets.py). Sets
# SNIPPET_CONF_FILES and SNIPPET_OVERLAYS, which configuration_files.cmake appends after
# EXTRA_CONF_FILE and EXTRA_DTC_OVERLAY_FILE.
include_guard(GLOBAL)

set(SNIPPET "${SNIPPET}" CACHE STRING "Snippets to apply (scripts/inox build -S)")
set(SNIPPET_CONF_FILES "")
set(SNIPPET_OVERLAYS "")
if(SNIPPET)
  set(_roots "")
  foreach(root "${APPLICATION_SOURCE_DIR}" ${SNIPPET_ROOT} "${INOX_BASE}")
    list(APPEND _roots --root "${root}")
  endforeach()
  set(_args "")
  foreach(name ${SNIPPET})
    list(APPEND _args --snippet "${name}")
  endforeach()
  inox_python_step("${INOX_BASE}/scripts/build/snippets.py" ${_args} ${_roots}
                   --board "${BOARD}" --out "${CMAKE_BINARY_DIR}/inox/snippets.cmake")
  include("${CMAKE_BINARY_DIR}/inox/snippets.cmake")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${SNIPPET_FILES}
               ${SNIPPET_CONF_FILES} ${SNIPPET_OVERLAYS})
endif()
