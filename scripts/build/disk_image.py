#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Make a bootable disk image: a GPT, U-Boot's loader partitions, and a FAT partition.

    disk_image.py --out disk.img [--size-mib 64] [--spl u-boot-spl.bin --itb u-boot.itb]
                  [--need FILE=PACKAGE]... FILE...

With --spl and --itb it is the SD card of a board booted by U-Boot SPL, in the layout of
U-Boot's doc/board/sifive/unleashed.rst: partition 1 `loader1` (type LOADER1, sectors
34..2081) holds the SPL raw, partition 2 `loader2` (type LOADER2, 2082..10273) the U-Boot
FIT with OpenSBI; the mask ROM (MSEL=11) finds the SPL, and the SPL finds U-Boot, by those
type GUIDs. Without them it is a plain disk (QEMU virt, where OpenSBI starts U-Boot itself).
Either way the last partition, `inox-boot`, is FAT with every FILE in its root directory and
GPT's "legacy BIOS bootable" attribute, the flag U-Boot's distro boot looks for when it
picks the partitions to search for boot.scr.

Everything is done on the image file with sgdisk (gdisk), mkfs.vfat --offset (dosfstools)
and mcopy (mtools): no loop device, no mount, no root. QEMU wants an SD card image whose size
is a power of two, hence --size-mib. The tools are installed from Debian if missing, and so
is each --need FILE's PACKAGE (what the QEMU command booting the disk needs). Errors are one line on stderr and exit status 1.
"""

import argparse
import os
import pathlib
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "pylib"))

import inox_setup  # noqa: E402

TOOLS = {"sgdisk": "gdisk", "mkfs.vfat": "dosfstools", "mcopy": "mtools"}

SECTOR = 512
LOADER1 = "5B193300-FC78-40CD-8002-E86C45580B47"
LOADER2 = "2E54B353-1271-4842-806F-E436D6AF6985"
BASIC_DATA = "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7"
# (first sector, last sector) of loader1 and loader2, as in U-Boot's documentation.
LOADER1_SECTORS = (34, 2081)
LOADER2_SECTORS = (2082, 10273)
# The FAT partition starts on a MiB boundary, after the loaders if there are any.
FAT_START_WITH_LOADERS = 12288
FAT_START_PLAIN = 2048
# The GPT's backup header and table at the end of the disk.
BACKUP_GPT_SECTORS = 33


class DiskError(Exception):
    """str() is one line, without 'error:'."""


def run(cmd, **kw):
    out = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if out.returncode != 0:
        last = (out.stderr.strip() or out.stdout.strip() or "no output").splitlines()[-1]
        raise DiskError(f"{cmd[0]} failed (exit status {out.returncode}): {last}")
    return out.stdout


def place(img, path, sectors, name):
    """Writes the file at path raw into the partition of sectors (first, last)."""
    data = pathlib.Path(path).read_bytes()
    room = (sectors[1] - sectors[0] + 1) * SECTOR
    if len(data) > room:
        raise DiskError(f"{path} is {len(data)} bytes, more than {name}'s {room}")
    with open(img, "r+b") as f:
        f.seek(sectors[0] * SECTOR)
        f.write(data)


def make(out, size_mib, files, spl=None, itb=None):
    """Writes the image to out (replacing it). Raises DiskError."""
    if (spl is None) != (itb is None):
        raise DiskError("--spl and --itb go together")
    total = size_mib * 1024 * 1024 // SECTOR
    fat_first = FAT_START_WITH_LOADERS if spl else FAT_START_PLAIN
    fat_last = total - BACKUP_GPT_SECTORS - 1
    if fat_last - fat_first + 1 < 16 * 1024 * 1024 // SECTOR:
        raise DiskError(f"{size_mib} MiB leaves less than 16 MiB for the FAT partition")
    tmp = f"{out}.tmp"
    with open(tmp, "wb") as f:
        f.truncate(total * SECTOR)
    cmd = ["sgdisk", "--clear", "--set-alignment=2"]
    part = 1
    if spl:
        for (first, last), name, guid in ((LOADER1_SECTORS, "loader1", LOADER1),
                                          (LOADER2_SECTORS, "loader2", LOADER2)):
            cmd += [f"--new={part}:{first}:{last}", f"--change-name={part}:{name}",
                    f"--typecode={part}:{guid}"]
            part += 1
    cmd += [f"--new={part}:{fat_first}:{fat_last}", f"--change-name={part}:inox-boot",
            f"--typecode={part}:{BASIC_DATA}", f"--attributes={part}:set:2", tmp]
    run(cmd)
    if spl:
        place(tmp, spl, LOADER1_SECTORS, "loader1")
        place(tmp, itb, LOADER2_SECTORS, "loader2")
    fat_kib = (fat_last - fat_first + 1) * SECTOR // 1024
    run(["mkfs.vfat", "-n", "INOX-BOOT", f"--offset={fat_first}", tmp, str(fat_kib)])
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    for path in files:
        run(["mcopy", "-i", f"{tmp}@@{fat_first * SECTOR}", str(path),
             f"::{pathlib.Path(path).name}"], env=env)
    os.replace(tmp, out)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True, help="the image to write")
    p.add_argument("--size-mib", type=int, default=64, help="image size (default 64)")
    p.add_argument("--spl", help="U-Boot SPL, raw, for partition loader1")
    p.add_argument("--itb", help="U-Boot FIT (u-boot.itb), for partition loader2")
    p.add_argument("--need", action="append", default=[], metavar="FILE=PACKAGE",
                   help="install Debian's PACKAGE if FILE is missing")
    p.add_argument("files", nargs="*", help="files for the FAT partition's root")
    args = p.parse_args(argv)
    if any("=" not in n for n in args.need):
        p.error("--need takes FILE=PACKAGE")
    try:
        inox_setup.ensure_extra(TOOLS, dict(n.split("=", 1) for n in args.need))
        make(args.out, args.size_mib, args.files, args.spl, args.itb)
    except (DiskError, OSError, inox_setup.SetupError) as e:
        print(f"error: disk_image: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
