# SPDX-License-Identifier: Apache-2.0
"""The C sources follow .clang-format (Linux kernel style, 100 columns).

Checks every C source and header git knows of (tracked, or new and not ignored) under the
source folders, with `clang-format --dry-run -Werror`, and names the files that are not
formatted. The fixtures of these script tests are inputs, not Inox code: left out.
"""

import os
import re
import shutil
import subprocess

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

FOLDERS = ("arch", "kernel", "subsys", "drivers", "include", "lib", "samples", "tests")
EXCLUDED = ("tests/scripts/",)
# Any of these understands .clang-format (it needs clang-format 14 or newer).
CLANG_FORMATS = ("clang-format", *(f"clang-format-{v}" for v in range(19, 13, -1)))


def clang_format():
    for name in CLANG_FORMATS:
        path = shutil.which(name)
        if path:
            return path
    return None


def c_sources():
    """Repository-relative paths of the C files to check, sorted."""
    try:
        out = subprocess.run(["git", "-C", REPO, "ls-files", "--cached", "--others",
                              "--exclude-standard", "-z", "--", *FOLDERS],
                             capture_output=True, text=True, check=True)
        paths = out.stdout.split("\0")
    except (OSError, subprocess.CalledProcessError):
        paths = []
        for folder in FOLDERS:
            for dirpath, dirnames, filenames in os.walk(os.path.join(REPO, folder)):
                dirnames[:] = [d for d in dirnames if not d.startswith(("build", "."))]
                paths += [os.path.relpath(os.path.join(dirpath, f), REPO) for f in filenames]
    return sorted(p for p in set(paths)
                  if p.endswith((".c", ".h")) and not p.startswith(EXCLUDED)
                  and os.path.isfile(os.path.join(REPO, p)))


def test_c_sources_are_formatted():
    tool = clang_format()
    if tool is None:
        pytest.skip("clang-format is not installed (Debian: apt-get install clang-format)")
    files = c_sources()
    if not files:
        pytest.skip("no C sources yet")
    out = subprocess.run([tool, "--style=file", "--dry-run", "-Werror", *files], cwd=REPO,
                         capture_output=True, text=True)
    if out.returncode == 0:
        return
    bad = sorted({m[1] for m in re.finditer(r"^(.+?):\d+:\d+: (?:error|warning):",
                                            out.stderr, re.M)} & set(files))
    if not bad:
        pytest.fail(f"{os.path.basename(tool)} failed: {out.stderr.strip().splitlines()[0]}")
    pytest.fail(f"{len(bad)} file(s) not formatted per .clang-format "
                f"(fix: clang-format -i FILE): {' '.join(bad)}", pytrace=False)
