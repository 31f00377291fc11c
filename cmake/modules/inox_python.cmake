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
