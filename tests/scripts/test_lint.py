# SPDX-License-Identifier: Apache-2.0
"""Every Python file of the tree passes pyflakes (Debian: python3-pyflakes): no unused
imports or variables, no undefined names, no f-string without a placeholder."""

import importlib.util
import os
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
# The scripts without a .py suffix are Python too.
SCRIPTS = ("scripts/inox", "scripts/twister")


def pyflakes():
    """The command that runs pyflakes, or None."""
    if importlib.util.find_spec("pyflakes") is not None:
        return [sys.executable, "-m", "pyflakes"]
    return [shutil.which("pyflakes3")] if shutil.which("pyflakes3") else None


def python_files():
    """The tree's Python files: those git knows of (tracked, or new and not ignored), or in a
    copy that is no git checkout, every one below the tree but build output."""
    try:
        out = subprocess.run(["git", "-C", REPO, "ls-files", "--cached", "--others",
                              "--exclude-standard", "-z", "--", "*.py", *SCRIPTS],
                             capture_output=True, text=True, check=True).stdout
        paths = out.split("\0")
    except (OSError, subprocess.CalledProcessError):
        paths = list(SCRIPTS)
        for dirpath, dirnames, filenames in os.walk(REPO):
            dirnames[:] = [d for d in dirnames if not d.startswith(("build", "twister-out", "."))]
            paths += [os.path.relpath(os.path.join(dirpath, f), REPO) for f in filenames
                      if f.endswith(".py")]
    return sorted(p for p in paths if p and os.path.isfile(os.path.join(REPO, p)))


def test_pyflakes_finds_nothing():
    cmd = pyflakes()
    if cmd is None:
        pytest.skip("pyflakes is not installed (Debian: apt-get install python3-pyflakes)")
    files = python_files()
    assert files
    res = subprocess.run([*cmd, *files], cwd=REPO, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
