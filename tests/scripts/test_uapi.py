# SPDX-License-Identifier: Apache-2.0
"""Every number and structure the kernel shares with user programs has one definition.

The definitions live in include/inox/uapi/, which the kernel and lib/user both include. A
second `#define SIGCHLD` or `struct inox_timespec {` elsewhere in the tree could drift from
the first without any build noticing, so this checks that each macro and structure tag the
uapi headers define is defined nowhere else (an `#undef` of picolibc's name is fine), and
once only inside them.
"""

import re
import subprocess
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
UAPI = Path("include/inox/uapi")
FOLDERS = ("arch", "kernel", "subsys", "drivers", "include", "lib", "samples", "tests")
# Fixtures of the script tests are inputs, not Inox code.
EXCLUDED = ("tests/scripts/",)

DEFINE = re.compile(r"^\s*#\s*define\s+(\w+)", re.MULTILINE)
STRUCT = re.compile(r"\bstruct\s+(\w+)\s*\{")


def sources() -> list[Path]:
    """Repository-relative paths of the C and assembly files git knows of, sorted."""
    out = subprocess.run(["git", "-C", str(REPO), "ls-files", "--cached", "--others",
                          "--exclude-standard", "-z", "--", *FOLDERS],
                         capture_output=True, text=True, check=True)
    return sorted(Path(p) for p in set(out.stdout.split("\0"))
                  if p.endswith((".c", ".h", ".S")) and not p.startswith(EXCLUDED)
                  and (REPO / p).is_file())


def definitions(root: Path, paths: list[Path], pattern: re.Pattern) -> dict[str, list[Path]]:
    """Each name pattern captures, with the files that define it (once per definition)."""
    found = defaultdict(list)
    for path in paths:
        for name in pattern.findall((root / path).read_text(errors="replace")):
            found[name].append(path)
    return found


def uapi_headers(paths: list[Path]) -> list[Path]:
    return [p for p in paths if p.parent == UAPI and p.suffix == ".h"]


def include_guard(name: str) -> bool:
    return name.startswith("INOX_UAPI_") and name.endswith("_H_")


def check_single(root: Path, paths: list[Path], pattern: re.Pattern, what: str) -> list[str]:
    """One line per name the uapi headers among paths define, and which is defined twice."""
    uapi = uapi_headers(paths)
    assert uapi, f"no headers under {UAPI}"
    shared = {n: ps for n, ps in definitions(root, uapi, pattern).items()
              if not include_guard(n)}
    everywhere = definitions(root, paths, pattern)
    problems = []
    for name, homes in sorted(shared.items()):
        if len(homes) > 1:
            problems.append(f"{what} {name} is defined {len(homes)} times in {UAPI}")
        others = sorted({str(p) for p in everywhere[name] if p.parent != UAPI})
        if others:
            problems.append(f"{what} {name} of {homes[0]} is defined again in "
                            + ", ".join(others))
    return problems


def test_uapi_macros_are_defined_once():
    problems = check_single(REPO, sources(), DEFINE, "macro")
    assert not problems, "\n".join(problems)


def test_uapi_structures_are_defined_once():
    problems = check_single(REPO, sources(), STRUCT, "struct")
    assert not problems, "\n".join(problems)


def test_a_second_definition_is_caught(tmp_path: Path):
    """The check itself, on a small tree whose kernel file redefines two uapi names."""
    uapi = UAPI / "signal.h"
    kernel = Path("subsys/proc/proc.h")
    (tmp_path / uapi).parent.mkdir(parents=True)
    (tmp_path / kernel).parent.mkdir(parents=True)
    (tmp_path / uapi).write_text("#ifndef INOX_UAPI_SIGNAL_H_\n#define INOX_UAPI_SIGNAL_H_\n"
                                 "#define SIGCHLD 17\nstruct inox_x {\n\tint a;\n};\n#endif\n")
    (tmp_path / kernel).write_text("#undef SIGCHLD\n# define SIGCHLD 20\n"
                                   "struct inox_x {\n\tlong a;\n};\n")
    paths = [uapi, kernel]
    assert check_single(tmp_path, paths, DEFINE, "macro") == [
        f"macro SIGCHLD of {uapi} is defined again in {kernel}"]
    assert check_single(tmp_path, paths, STRUCT, "struct") == [
        f"struct inox_x of {uapi} is defined again in {kernel}"]
    (tmp_path / kernel).write_text("#undef SIGCHLD\n#include <inox/uapi/signal.h>\n")
    assert check_single(tmp_path, paths, DEFINE, "macro") == []
