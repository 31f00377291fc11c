#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Pack files into a cpio "newc" archive, the initramfs format the kernel reads.

    mkcpio.py --output initramfs.cpio bin/hello=build/hello bin/init=build/init

Each NAME=FILE puts FILE's bytes at NAME (relative, '/'-separated) with mode 0755; the
folders on the way (bin) are added with mode 040755. The output depends only on the names
and the bytes: entries sorted by name, inode numbers counted from 1 in that order, mtime 0,
uid and gid 0. Errors are one line on stderr and exit status 1.
"""

import argparse
import sys

MAGIC = b"070701"
TRAILER = "TRAILER!!!"
S_IFDIR = 0o040000
S_IFREG = 0o100000


class Error(Exception):
    pass


def _pad4(buf):
    buf.extend(b"\0" * (-len(buf) % 4))


def _entry(buf, ino, mode, nlink, name, data):
    """Appends one header + name + data to buf, each padded to 4 bytes from the start."""
    encoded = name.encode() + b"\0"
    fields = (ino, mode, 0, 0, nlink, 0, len(data), 0, 0, 0, 0, len(encoded), 0)
    buf.extend(MAGIC + b"".join(b"%08X" % f for f in fields))
    buf.extend(encoded)
    _pad4(buf)
    buf.extend(data)
    _pad4(buf)


def _check_name(name):
    parts = name.split("/")
    if not name or name.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise Error(f"bad archive name '{name}': want a relative path like bin/hello")
    if "\0" in name or name == TRAILER:
        raise Error(f"bad archive name '{name}'")


def archive(files):
    """The newc archive of files, a {name: bytes} dict, as bytes."""
    dirs = set()
    for name in files:
        _check_name(name)
        parts = name.split("/")
        dirs.update("/".join(parts[:i]) for i in range(1, len(parts)))
    clash = sorted(dirs & set(files))
    if clash:
        raise Error(f"'{clash[0]}' is both a file and a folder")
    buf = bytearray()
    for ino, name in enumerate(sorted(dirs | set(files)), start=1):
        if name in dirs:
            _entry(buf, ino, S_IFDIR | 0o755, 2, name, b"")
        else:
            _entry(buf, ino, S_IFREG | 0o755, 1, name, files[name])
    _entry(buf, 0, 0, 1, TRAILER, b"")
    return bytes(buf)


def parse_args(argv):
    p = argparse.ArgumentParser(description="Pack files into a cpio newc archive.")
    p.add_argument("-o", "--output", required=True, help="the archive to write")
    p.add_argument("entries", nargs="*", metavar="NAME=FILE",
                   help="put FILE in the archive as NAME (e.g. bin/hello=build/hello)")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        files = {}
        for entry in args.entries:
            name, sep, path = entry.partition("=")
            if not sep or not path:
                raise Error(f"'{entry}' is not NAME=FILE")
            if name in files:
                raise Error(f"'{name}' given twice")
            try:
                with open(path, "rb") as f:
                    files[name] = f.read()
            except OSError as e:
                raise Error(f"cannot read {path}: {e.strerror}")
        data = archive(files)
        try:
            with open(args.output, "wb") as f:
                f.write(data)
        except OSError as e:
            raise Error(f"cannot write {args.output}: {e.strerror}")
    except Error as e:
        print(f"error: mkcpio: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
