# SPDX-License-Identifier: Apache-2.0
"""Self-setup for scripts/inox: find what the build needs, install what is missing.

Everything Inox needs on the host is a Debian package: the RISC-V cross compiler and picolibc,
QEMU, dtc, CMake and Ninja, cpp (devicetree preprocessing), gdb-multiarch (debug), mkimage
(flashing boards booted by U-Boot) and the Python modules the scripts import. ensure() checks
them all; when something is missing it installs the packages with apt-get, as root or through
a password-less `sudo -n`, and otherwise exits with one line saying what to install.

When everything is there, the check is a PATH lookup per program, one stat and, when the running
interpreter lacks the modules, one probe of the interpreters inox_python would pick: cheap
enough to run before every command.

Only the standard library is used: this runs before the CLI re-executes itself under Debian's
interpreter.
"""

import importlib.util
import os
import shutil
import subprocess
import sys

import inox_python

# Program on PATH -> the Debian package that installs it.
PROGRAMS = {
    "riscv64-unknown-elf-gcc": "gcc-riscv64-unknown-elf",
    "qemu-system-riscv64": "qemu-system-misc",
    "dtc": "device-tree-compiler",
    "cmake": "cmake",
    "ninja": "ninja-build",
    "cpp": "cpp",
    "gdb-multiarch": "gdb-multiarch",
    "mkimage": "u-boot-tools",
    "ccache": "ccache",  # lets twister's builds of one configuration share objects
}

# picolibc has no program to look for; the compiler finds it through this specs file.
PICOLIBC_SPECS = "/usr/lib/picolibc/riscv64-unknown-elf/picolibc.specs"
PICOLIBC_PACKAGE = "picolibc-riscv64-unknown-elf"

# Python module -> Debian package, for the interpreter chosen by inox_python.
PY_MODULES = {
    "kconfiglib": "python3-kconfiglib",
    "libfdt": "python3-libfdt",
    "yaml": "python3-yaml",
    "pytest": "python3-pytest",
    "elftools": "python3-pyelftools",
    "matplotlib": "python3-matplotlib",
    "pyflakes": "python3-pyflakes",
    "serial": "python3-serial",
}

# apt installs the python3-* modules for Debian's own interpreter, so when no interpreter has
# them all, that is the one whose gaps decide which packages to install.
DEBIAN_PYTHON = "/usr/bin/python3"

# Seconds apt-get waits for another apt/dpkg to release its lock before giving up.
LOCK_TIMEOUT = 600


class SetupError(Exception):
    """The host cannot be set up; str() is one line without 'error:'."""


def _probe_modules(python, modules):
    """Returns the modules `python` cannot import (all of them if it cannot run)."""
    code = ("import importlib.util,sys;"
            "print(' '.join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))")
    try:
        out = subprocess.run([python, "-c", code, *modules], capture_output=True, text=True,
                             timeout=60)
    except (OSError, subprocess.SubprocessError):
        return list(modules)
    if out.returncode != 0:
        return list(modules)
    return out.stdout.split()


def missing_modules():
    """Returns the Python modules no usable interpreter has, [] when one has them all."""
    modules = tuple(PY_MODULES)
    if all(importlib.util.find_spec(m) is not None for m in modules):
        return []
    if inox_python.find(modules):
        return []
    if not os.path.exists(DEBIAN_PYTHON):
        return list(modules)
    return _probe_modules(DEBIAN_PYTHON, modules)


def missing():
    """Returns [(what, debian package)] for everything missing, in a stable order."""
    result = [(prog, pkg) for prog, pkg in PROGRAMS.items() if shutil.which(prog) is None]
    if not os.path.exists(PICOLIBC_SPECS):
        result.append((PICOLIBC_SPECS, PICOLIBC_PACKAGE))
    mods = missing_modules()
    if mods and not os.path.exists(DEBIAN_PYTHON):
        result.append((DEBIAN_PYTHON, "python3"))
    result += [(f"python module {m}", PY_MODULES[m]) for m in mods]
    return result


def packages(items):
    """The Debian packages for missing(), each once, in order."""
    return list(dict.fromkeys(pkg for _, pkg in items))


def sudo_works():
    """True if sudo runs without asking for a password."""
    if shutil.which("sudo") is None:
        return False
    try:
        return subprocess.run(["sudo", "-n", "true"], stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def install_commands(pkgs, euid, sudo_ok):
    """Returns the apt-get commands that install pkgs, or None if this user cannot install.

    sudo resets the environment, so DEBIAN_FRONTEND goes through env(1) on the command line.
    """
    if euid == 0:
        prefix = []
    elif sudo_ok():
        prefix = ["sudo", "-n"]
    else:
        return None
    lock = f"DPkg::Lock::Timeout={LOCK_TIMEOUT}"
    return [
        [*prefix, "apt-get", "-o", lock, "update"],
        [*prefix, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "-o", lock, "install",
         "-y", *pkgs],
    ]


def manual_hint(pkgs):
    return (f"missing Debian packages: {' '.join(pkgs)}; install them with: "
            f"sudo apt-get install -y {' '.join(pkgs)}")


def ensure(log=None):
    """Returns when everything is installed; raises SetupError (one line) when it cannot be.

    Silent and without apt when nothing is missing. Otherwise installs through apt-get, whose
    own output goes to the terminal, and checks again.
    """
    _install(missing, log or sys.stderr)


def missing_extra(programs, files):
    """Returns [(what, debian package)] for the programs (name on PATH -> package) and files
    (path -> package) of `programs` and `files` that are missing."""
    return ([(prog, pkg) for prog, pkg in programs.items() if shutil.which(prog) is None]
            + [(path, pkg) for path, pkg in files.items() if not os.path.exists(path)])


def ensure_extra(programs, files, log=None):
    """ensure() for what only some commands need (the U-Boot build, disk images): programs
    and files as in missing_extra()."""
    _install(lambda: missing_extra(programs, files), log or sys.stderr)


def _install(find_missing, log):
    """Installs the packages of what find_missing() returns; raises SetupError (one line)
    when it cannot or when something is still missing afterwards."""
    todo = find_missing()
    if not todo:
        return
    pkgs = packages(todo)
    if shutil.which("apt-get") is None:
        raise SetupError(manual_hint(pkgs))
    cmds = install_commands(pkgs, os.geteuid(), sudo_works)
    if cmds is None:
        raise SetupError(manual_hint(pkgs))
    log.write(f"-- inox: installing missing Debian packages: {' '.join(pkgs)}\n")
    log.flush()
    update, install = cmds
    try:
        # A failed update (offline, a broken mirror) still leaves the package lists apt had.
        subprocess.run(update, stdin=subprocess.DEVNULL)
        rc = subprocess.run(install, stdin=subprocess.DEVNULL).returncode
    except OSError as e:
        raise SetupError(f"cannot run {install[0]}: {e.strerror}; {manual_hint(pkgs)}") from e
    if rc != 0:
        raise SetupError(f"apt-get install failed (exit status {rc}); "
                         f"{manual_hint(pkgs)}")
    still = find_missing()
    if still:
        raise SetupError("still missing after apt-get install: "
                         + ", ".join(f"{what} ({pkg})" for what, pkg in still))
