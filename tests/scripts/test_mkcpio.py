# SPDX-License-Identifier: Apache-2.0
"""Tests for scripts/build/mkcpio.py, the initramfs packer.

The archives are read back by a newc reader written here from the format's description
(the same rules subsys/proc/initramfs.c follows), not by mkcpio's own code.
"""

import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = os.path.abspath(os.path.join(HERE, "..", ".."))
MKCPIO_PY = os.path.join(BASE, "scripts", "build", "mkcpio.py")

FIELDS = ("ino", "mode", "uid", "gid", "nlink", "mtime", "filesize", "devmajor", "devminor",
          "rdevmajor", "rdevminor", "namesize", "check")


def read_newc(data):
    """[(name, fields dict, bytes)] of a newc archive, trailer excluded; asserts its layout."""
    entries = []
    off = 0
    while True:
        assert off % 4 == 0, f"header at {off} not 4-aligned"
        assert data[off:off + 6] == b"070701", f"bad magic at {off}"
        raw = data[off + 6:off + 110].decode("ascii")
        fields = {k: int(raw[i * 8:i * 8 + 8], 16) for i, k in enumerate(FIELDS)}
        name_end = off + 110 + fields["namesize"]
        name = data[off + 110:name_end]
        assert name.endswith(b"\0") and b"\0" not in name[:-1]
        name = name[:-1].decode()
        data_off = (name_end + 3) & ~3
        assert data[name_end:data_off] == b"\0" * (data_off - name_end), "non-zero padding"
        if name == "TRAILER!!!":
            assert fields["filesize"] == 0
            assert data_off == len(data), "bytes after the trailer"
            return entries
        body = data[data_off:data_off + fields["filesize"]]
        assert len(body) == fields["filesize"], f"{name} runs past the end"
        entries.append((name, fields, body))
        off = (data_off + fields["filesize"] + 3) & ~3


def run(args, cwd):
    return subprocess.run([sys.executable, MKCPIO_PY, *args], cwd=cwd, capture_output=True,
                          text=True)


@pytest.fixture
def files(tmp_path):
    """Input files of awkward sizes (0 to 9 bytes, around the 4-byte padding) and one large."""
    contents = {
        "empty": b"",
        "one": b"\x7f",
        "three": b"abc",
        "four": b"\0\0\0\0",
        "five": b"\x00\xff\x00\xff\n",
        "nine": bytes(range(9)),
        "big": os.urandom(70000),
    }
    for name, data in contents.items():
        (tmp_path / name).write_bytes(data)
    return contents


def test_round_trip(tmp_path, files):
    names = {"bin/hello": "five", "bin/empty": "empty", "bin/sub/deep": "nine", "init": "one",
             "bin/big": "big", "lib/three": "three", "lib/four": "four"}
    out = tmp_path / "out.cpio"
    r = run(["-o", str(out)] + [f"{n}={f}" for n, f in names.items()], tmp_path)
    assert r.returncode == 0, r.stderr
    entries = read_newc(out.read_bytes())

    got = [e[0] for e in entries]
    assert got == sorted(got), "entries sorted by name"
    assert got == ["bin", "bin/big", "bin/empty", "bin/hello", "bin/sub", "bin/sub/deep",
                   "init", "lib", "lib/four", "lib/three"]
    for name, fields, body in entries:
        if name in names:
            assert body == files[names[name]], name
            assert fields["mode"] == 0o100755 and fields["nlink"] == 1, name
        else:
            assert body == b"" and fields["mode"] == 0o040755 and fields["nlink"] == 2, name
        assert fields["mtime"] == 0 and fields["uid"] == 0 and fields["gid"] == 0
    assert [e[1]["ino"] for e in entries] == list(range(1, len(entries) + 1))


def test_deterministic(tmp_path, files):
    a, b = tmp_path / "a.cpio", tmp_path / "b.cpio"
    assert run(["-o", str(a), "bin/x=one", "bin/y=nine", "z=big"], tmp_path).returncode == 0
    # Other order, other timestamps and permissions on the inputs: the same bytes.
    os.utime(tmp_path / "nine", (1, 1))
    os.chmod(tmp_path / "big", 0o600)
    assert run(["-o", str(b), "z=big", "bin/y=nine", "bin/x=one"], tmp_path).returncode == 0
    assert a.read_bytes() == b.read_bytes()


def test_empty_archive(tmp_path):
    out = tmp_path / "out.cpio"
    assert run(["-o", str(out)], tmp_path).returncode == 0
    assert read_newc(out.read_bytes()) == []


@pytest.mark.parametrize("args, message", [
    (["bin/x=missing"], "cannot read missing"),
    (["bin/x"], "'bin/x' is not NAME=FILE"),
    (["bin/x=one", "bin/x=three"], "'bin/x' given twice"),
    (["/bin/x=one"], "bad archive name '/bin/x'"),
    (["bin/../x=one"], "bad archive name 'bin/../x'"),
    (["bin//x=one"], "bad archive name 'bin//x'"),
    (["TRAILER!!!=one"], "bad archive name"),
    (["bin=one", "bin/x=three"], "'bin' is both a file and a folder"),
])
def test_errors(tmp_path, files, args, message):
    out = tmp_path / "out.cpio"
    r = run(["-o", str(out), *args], tmp_path)
    assert r.returncode == 1
    assert r.stderr.startswith("error: mkcpio: ") and message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not out.exists()
