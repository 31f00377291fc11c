# SPDX-License-Identifier: Apache-2.0
# INOX_PYTHON: an interpreter that has Debian's python3-kconfiglib, -libfdt and -yaml, whichever
# python3 comes first on PATH (scripts/pylib/inox_python.py does the looking).
include_guard(GLOBAL)

if(NOT INOX_PYTHON)
  find_program(_inox_py NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
  if(NOT _inox_py)
    find_program(_inox_py NAMES python3)
  endif()
  if(NOT _inox_py)
    message(FATAL_ERROR " error: no python3 found; run scripts/inox once to install Debian's")
  endif()
  execute_process(
    COMMAND ${_inox_py} -c
      "import sys; sys.path.insert(0, sys.argv[1]); import inox_python; p = inox_python.find(); print(p or '')"
      "${INOX_BASE}/scripts/pylib"
    OUTPUT_VARIABLE _found OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0 OR _found STREQUAL "")
    message(FATAL_ERROR " error: no Python here has kconfiglib, libfdt, yaml and elftools; "
                        "run scripts/inox once to install python3-kconfiglib python3-libfdt "
                        "python3-yaml python3-pyelftools")
  endif()
  set(INOX_PYTHON "${_found}" CACHE FILEPATH "Python with Inox's modules")
endif()

# inox_python_step(SCRIPT ARGS...): runs one of Inox's configure-time scripts under INOX_PYTHON
# (with the environment in INOX_STEP_ENV, if set). Each line of its stdout is a status message,
# its stderr as a warning; if it fails, the configure stops with its error lines, indented
# so that CMake prints each as the one line it is instead of re-wrapping it.
function(inox_python_step script)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env ${INOX_STEP_ENV} ${INOX_PYTHON} "${script}" ${ARGN}
                  RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_VARIABLE out)
  string(STRIP "${out}" out)
  if(out)
    string(REPLACE "\n" "\n-- " out "${out}")
    message(STATUS "${out}")
  endif()
  if(NOT rc EQUAL 0)
    string(STRIP "${err}" err)
    string(REPLACE "\n" "\n " err "${err}")
    message(FATAL_ERROR " ${err}")
  endif()
  if(err)
    message(WARNING "${err}")
  endif()
endfunction()
