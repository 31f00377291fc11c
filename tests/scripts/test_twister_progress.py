# SPDX-License-Identifier: Apache-2.0
"""The live progress line of scripts/twister, on a real terminal (a pty) and on a pipe.

Runs a few fixture configurations of test_twister.py (fake_qemu.py as QEMU, no kernel built)
and replays what twister wrote on a small terminal model, to check what a user would see.
"""

import fcntl
import os
import re
import shutil
import struct
import subprocess
import sys
import termios

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
FIX = os.path.join(HERE, "twister_fixtures")
TWISTER = os.path.join(REPO, "scripts", "twister")
ARGS = ["-T", os.path.join(FIX, "tests"), "-T", os.path.join(FIX, "samples"),
        "--board-root", os.path.join(FIX, "boards"), "-p", "fake_qemu", "-j", "1",
        "-s", "sample.fake.hello", "-s", "sample.fake.halt", "-s", "console.multi",
        "-s", "console.unordered_fails_ordered"]
pytest.importorskip("yaml", reason="run with /usr/bin/python3 (Debian's python3-yaml)")
pytestmark = pytest.mark.skipif(not (shutil.which("cmake") and shutil.which("ninja")),
                                reason="needs cmake and ninja")

PROGRESS = re.compile(r"INFO    - \d+/4 \(\d+%\) passed: \d+, failed: \d+, skipped: \d+  "
                      r"elapsed \d+s, ETA (\d+s|\?)")
ERASE = "\r\x1b[K"


def env():
    return dict(os.environ, FAKE_QEMU_PYTHON=sys.executable, TERM="xterm")


def on_terminal(tmp_path, columns):
    """Runs twister with stdout on a pty `columns` wide; returns everything it wrote there."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    proc = subprocess.Popen([sys.executable, TWISTER, *ARGS, "-O", str(tmp_path / "out")],
                            cwd=tmp_path, env=env(), stdin=subprocess.DEVNULL, stdout=slave,
                            stderr=subprocess.PIPE)
    os.close(slave)
    out = b""
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:             # EIO: twister closed the terminal
            break
        if not data:
            break
        out += data
    os.close(master)
    assert proc.wait(60) == 1 and proc.stderr.read() == b""
    return out.decode()


def screen(raw):
    """The lines a terminal shows after `raw`: `\\r` returns to column 0, ESC [ K erases to
    the end of the line, other characters overwrite."""
    lines, line, col = [], [], 0
    i = 0
    while i < len(raw):
        if raw.startswith("\x1b[K", i):
            del line[col:]
            i += 3
            continue
        ch = raw[i]
        if ch == "\r":
            col = 0
        elif ch == "\n":
            lines.append("".join(line))
            line, col = [], 0
        else:
            line[col:col + 1] = [ch]
            col += 1
        i += 1
    if line:
        lines.append("".join(line))
    return lines


def frames(raw):
    """Every state of the progress line: what follows an erase, up to the next \\r or \\n."""
    return [m.group(1) for m in re.finditer(r"\r\x1b\[K([^\r\n]*)", raw) if m.group(1)]


def test_progress_line_on_a_terminal(tmp_path):
    raw = on_terminal(tmp_path, 120)
    drawn = [f for f in frames(raw) if f.startswith("INFO    - ") and "passed:" in f]
    assert drawn and all(PROGRESS.fullmatch(f) for f in drawn), drawn
    assert any(f.endswith("s") and "4/4 (100%)" in f for f in drawn)   # a real ETA at the end
    assert set(re.findall(r"\x1b\[?[0-9;]*[A-Za-z]?", raw)) == {"\x1b[K"}
    shown = screen(raw)
    # Progress erased before each other line and at the end: no line carries a piece of it.
    assert not [line for line in shown if "passed:" in line or "ETA" in line], shown
    assert all(line.startswith(("INFO    - ", "ERROR   - ")) for line in shown[:-1]), shown
    assert shown[-1] == "3 passed, 1 failed"
    assert any(line.endswith("console.unordered_fails_ordered FAILED: Unexpected eof "
                             f"(qemu {line.rsplit(' ', 1)[1]}") for line in shown)
    assert not any("sample.fake.hello PASSED" in line for line in shown)   # passes: progress


def test_progress_line_never_wraps(tmp_path):
    raw = on_terminal(tmp_path, 40)
    drawn = [f for f in frames(raw) if re.match(r"INFO    - \d+/4 ", f)]
    assert drawn and max(len(f) for f in drawn) == 39
    assert not [line for line in screen(raw) if "passed:" in line]


def test_plain_lines_on_a_pipe(tmp_path):
    p = subprocess.run([sys.executable, TWISTER, *ARGS, "-O", str(tmp_path / "out")],
                       cwd=tmp_path, env=env(), capture_output=True, text=True, timeout=60)
    assert p.returncode == 1
    assert "\r" not in p.stdout and "\x1b" not in p.stdout
    assert sum(" PASSED (qemu " in line for line in p.stdout.splitlines()) == 3
    assert p.stdout.splitlines()[-1] == "3 passed, 1 failed"
