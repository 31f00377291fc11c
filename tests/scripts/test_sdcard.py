# SPDX-License-Identifier: Apache-2.0
"""Tests for the SD card path of hifive_unleashed: scripts/build/disk_image.py (the image's
layout, read back with a GPT reader written here from the UEFI spec and with mtools) and
`inox flash --device` (scripts/pylib/inox_cli/sdcard.py) on a made-up machine: a regular
file stands for the card, a folder for /sys/class/block, files for /proc/self/mounts and
/proc/swaps. No real disk is ever opened.
"""

import os
import pathlib
import shutil
import struct
import subprocess
import sys
import uuid

import pytest

BASE = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE / "scripts" / "pylib"))

from inox_cli import sdcard  # noqa: E402
from inox_cli.common import CliError  # noqa: E402

DISK_IMAGE = BASE / "scripts" / "build" / "disk_image.py"
LOADER1 = "5B193300-FC78-40CD-8002-E86C45580B47"
LOADER2 = "2E54B353-1271-4842-806F-E436D6AF6985"


def read_gpt(path):
    """[(type guid, first lba, last lba, attributes, name)] of the GPT in the image."""
    data = pathlib.Path(path).read_bytes()
    hdr = data[512:1024]
    assert hdr[:8] == b"EFI PART"
    entries_lba, count, size = struct.unpack_from("<QII", hdr, 72)
    parts = []
    for i in range(count):
        e = data[entries_lba * 512 + i * size:entries_lba * 512 + (i + 1) * size]
        if e[:16] == bytes(16):
            continue
        first, last, attrs = struct.unpack_from("<QQQ", e, 32)
        name = e[56:128].decode("utf-16-le").rstrip("\0")
        parts.append((str(uuid.UUID(bytes_le=e[:16])).upper(), first, last, attrs, name))
    return parts


needs_tools = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("sgdisk", "mkfs.vfat", "mcopy", "mdir")),
    reason="needs gdisk, dosfstools and mtools")


@needs_tools
def test_sd_card_layout(tmp_path):
    spl = tmp_path / "u-boot-spl.bin"
    itb = tmp_path / "u-boot.itb"
    spl.write_bytes(os.urandom(70000))
    itb.write_bytes(os.urandom(900000))
    (tmp_path / "inox.itb").write_bytes(b"fit" * 1000)
    (tmp_path / "boot.scr").write_bytes(b"script")
    img = tmp_path / "sdcard.img"
    subprocess.run([sys.executable, str(DISK_IMAGE), "--out", str(img), "--spl", str(spl),
                    "--itb", str(itb), str(tmp_path / "inox.itb"), str(tmp_path / "boot.scr")],
                   check=True)
    assert img.stat().st_size == 64 << 20       # QEMU's SD card: a power of two
    parts = read_gpt(img)
    assert [(p[0], p[1], p[2], p[4]) for p in parts[:2]] == [
        (LOADER1, 34, 2081, "loader1"), (LOADER2, 2082, 10273, "loader2")]
    fat = parts[2]
    assert fat[4] == "inox-boot" and fat[1] > 10273
    assert fat[3] & 4, "distro boot only scans partitions marked legacy-BIOS-bootable"
    data = img.read_bytes()
    assert data[34 * 512:34 * 512 + 70000] == spl.read_bytes()
    assert data[2082 * 512:2082 * 512 + 900000] == itb.read_bytes()
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    listing = subprocess.run(["mdir", "-b", "-i", f"{img}@@{fat[1] * 512}", "::"],
                             capture_output=True, text=True, env=env, check=True).stdout
    assert sorted(pathlib.PurePath(x).name.lower() for x in listing.split()) == [
        "boot.scr", "inox.itb"]
    got = subprocess.run(["mtype", "-i", f"{img}@@{fat[1] * 512}", "::inox.itb"],
                         capture_output=True, env=env, check=True).stdout
    assert got == b"fit" * 1000


@needs_tools
def test_plain_disk_has_only_the_fat_partition(tmp_path):
    (tmp_path / "inox.itb").write_bytes(b"x")
    img = tmp_path / "disk.img"
    subprocess.run([sys.executable, str(DISK_IMAGE), "--out", str(img),
                    str(tmp_path / "inox.itb")], check=True)
    parts = read_gpt(img)
    assert len(parts) == 1 and parts[0][4] == "inox-boot" and parts[0][1] == 2048


@needs_tools
def test_spl_too_big_for_loader1_is_one_line(tmp_path):
    spl = tmp_path / "spl"
    spl.write_bytes(bytes(2 << 20))
    (tmp_path / "itb").write_bytes(b"x")
    out = subprocess.run([sys.executable, str(DISK_IMAGE), "--out", str(tmp_path / "d.img"),
                          "--spl", str(spl), "--itb", str(tmp_path / "itb")],
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert out.stderr.startswith("error: disk_image: ") and "loader1" in out.stderr
    assert len(out.stderr.splitlines()) == 1


class FakeHost(sdcard.Host):
    """A machine with one card, sdx (two partitions), and / on sda2."""

    def __init__(self, tmp, card_name="sdx", card_bytes=1 << 30):
        self.tmp = tmp
        blk = tmp / "sys" / "class" / "block"
        for name, parts in ((card_name, ["1", "2"]), ("sda", ["1", "2"])):
            (blk / name / "device").mkdir(parents=True)
            (blk / name / "size").write_text(f"{card_bytes // 512}\n")
            for p in parts:
                (blk / name / f"{name}{p}").mkdir()
                (blk / name / f"{name}{p}" / "partition").write_text(p)
                (blk / f"{name}{p}").mkdir()
                (blk / f"{name}{p}" / "partition").write_text(p)
        (blk / card_name / "device" / "vendor").write_text("SanDisk\n")
        (blk / card_name / "device" / "model").write_text("Ultra\n")
        (tmp / "mounts").write_text("/dev/sda2 / ext4 rw 0 0\nproc /proc proc rw 0 0\n")
        (tmp / "swaps").write_text("Filename Type Size Used Priority\n")
        super().__init__(sys_block=str(blk), mounts=str(tmp / "mounts"),
                         swaps=str(tmp / "swaps"), root="/")
        self.names = {}

    def is_block(self, path):
        return path in self.names

    def dev_name(self, path):
        return self.names[path]

    def root_name(self):
        return "sda2"


@pytest.fixture
def machine(tmp_path):
    host = FakeHost(tmp_path)
    card = tmp_path / "dev-sdx"
    card.write_bytes(bytes(1 << 20))
    host.names[str(card)] = "sdx"
    image = tmp_path / "disk.img"
    image.write_bytes(b"IMAGE" * 1000)
    return host, str(card), str(image)


def test_confirmation_names_device_model_and_size_then_writes(machine):
    host, card, image = machine
    prompts, said = [], []
    rc = sdcard.flash(image, card, host, ask=lambda p: prompts.append(p) or "yes",
                      out=said.append)
    assert rc == 0
    assert len(prompts) == 1
    assert f"to {card} (sdx, SanDisk Ultra, 1.0 GiB)?" in prompts[0]
    assert "Everything on it is lost" in prompts[0]
    assert pathlib.Path(card).read_bytes()[:5000] == b"IMAGE" * 1000
    assert said and said[0].startswith("Wrote 4.9 KiB to ")


def test_anything_but_yes_writes_nothing(machine):
    host, card, image = machine
    for answer in ("y", "", "no"):
        assert sdcard.flash(image, card, host, ask=lambda p: answer, out=lambda s: None) == 1
    assert pathlib.Path(card).read_bytes() == bytes(1 << 20)


def refused(host, image, device, pattern):
    """flash() must refuse device with a CliError matching pattern and leave it as it was."""
    before = pathlib.Path(device).read_bytes()
    with pytest.raises(CliError, match=pattern):
        sdcard.flash(image, device, host, ask=lambda p: "yes")
    assert pathlib.Path(device).read_bytes() == before


def test_mounted_partition_is_refused(machine):
    host, card, image = machine
    with open(host.mounts, "a") as f:
        f.write("/dev/sdx2 /media/card vfat rw 0 0\n")
    refused(host, image, card, r"is in use: sdx2 is mounted on /media/card")


def test_swap_on_the_card_is_refused(machine):
    host, card, image = machine
    with open(host.swaps, "a") as f:
        f.write("/dev/sdx1 partition 1024 0 -2\n")
    refused(host, image, card, r"sdx1 is used as swap")


def test_disk_of_the_running_system_is_refused(machine, tmp_path):
    host, _, image = machine
    sda = tmp_path / "dev-sda"
    sda.write_bytes(bytes(4096))
    host.names[str(sda)] = "sda"
    refused(host, image, str(sda), r"holds the running system \(/ is on sda2\)")


def test_root_on_lvm_over_the_card_is_refused(machine):
    """/ on dm-0, an LVM volume whose physical volume is sdx2."""
    host, card, image = machine
    blk = pathlib.Path(host.sys_block)
    (blk / "sdx2" / "holders" / "dm-0").mkdir(parents=True)
    host.root_name = lambda: "dm-0"
    refused(host, image, card, r"holds the running system \(/ is on dm-0\)")


def test_partition_and_non_block_device_are_refused(machine, tmp_path):
    host, _, image = machine
    part = tmp_path / "dev-sdx1"
    part.write_bytes(bytes(512))
    host.names[str(part)] = "sdx1"
    refused(host, image, str(part), r"is a partition \(sdx1\); give the whole card")
    refused(host, image, str(tmp_path / "mounts"), r"is not a block device")


def test_card_smaller_than_the_image_is_refused(tmp_path):
    host = FakeHost(tmp_path, card_bytes=4096)
    card = tmp_path / "dev-sdx"
    card.write_bytes(bytes(4096))
    host.names[str(card)] = "sdx"
    image = tmp_path / "disk.img"
    image.write_bytes(bytes(8192))
    with pytest.raises(CliError, match=r"is smaller than the image"):
        sdcard.flash(str(image), str(card), host, ask=lambda p: "yes")


def test_real_host_refuses_a_regular_file(tmp_path):
    """The default Host, on this machine: a file is no block device."""
    f = tmp_path / "not-a-disk"
    f.write_bytes(bytes(512))
    image = tmp_path / "disk.img"
    image.write_bytes(bytes(512))
    with pytest.raises(CliError, match=r"is not a block device"):
        sdcard.flash(str(image), str(f), ask=lambda p: "yes")
