# SPDX-License-Identifier: Apache-2.0
"""Run Inox's Python tools under an interpreter that has Debian's modules.

The first python3 on PATH may be a private build (pyenv, a venv) that cannot
see Debian's python3-kconfiglib, python3-libfdt or python3-yaml.  Every entry
point calls ensure() before importing them: if the running interpreter lacks a
module, the script re-executes itself under the first interpreter that has
them all, so the user never has to pick one.
"""

import importlib.util
import os
import shutil
import sys

# Where Debian installs its own interpreter, tried before anything on PATH.
CANDIDATES = ("/usr/bin/python3", "/usr/local/bin/python3")
MODULES = ("kconfiglib", "libfdt", "yaml", "elftools")


def _missing(modules):
    return [m for m in modules if importlib.util.find_spec(m) is None]


def find(modules=MODULES):
    """Return the path of an interpreter that can import every module, or None."""
    import subprocess

    seen = set()
    path_python = shutil.which("python3")
    for cand in (sys.executable, *CANDIDATES, path_python):
        if not cand or not os.path.exists(cand):
            continue
        real = os.path.realpath(cand)
        if real in seen:
            continue
        seen.add(real)
        code = "import importlib.util,sys;" \
               "sys.exit(any(importlib.util.find_spec(m) is None for m in sys.argv[1:]))"
        if subprocess.run([cand, "-c", code, *modules]).returncode == 0:
            return cand
    return None


def ensure(modules=MODULES):
    """Re-exec this script under a suitable interpreter if this one lacks a module.

    Returns only when the current interpreter has every module; otherwise it
    either replaces the process or exits with one line naming what is missing.
    """
    missing = _missing(modules)
    if not missing:
        return
    if os.environ.get("INOX_PYTHON_REEXEC") != "1":
        other = find(modules)
        if other and os.path.realpath(other) != os.path.realpath(sys.executable):
            os.environ["INOX_PYTHON_REEXEC"] = "1"
            os.execv(other, [other, *sys.argv])
    sys.exit(f"error: no Python interpreter here has the module(s) {', '.join(missing)}; "
             f"run scripts/inox once to install them (Debian: python3-kconfiglib python3-libfdt "
             f"python3-yaml python3-pyelftools)")
