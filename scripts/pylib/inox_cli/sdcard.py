# SPDX-License-Identifier: Apache-2.0
"""`inox flash --device DEV`: write the board's SD card image to a card, safely.

Before anything is written: DEV must be a whole block device (not a partition), none of its
partitions may be mounted or used as swap, and it must not hold the running system (the
disk of `/`, also through LVM or dm-crypt). Then the user confirms a line that names the device, its model and its size,
by typing `yes`. The image is written through an O_EXCL open, which the kernel refuses while
anything holds the device, and synced before we say it is done.

Everything the checks read (sysfs, /proc/self/mounts, /proc/swaps, the device of `/`) goes
through a Host, so tests run them on a made-up machine.
"""

import os
import stat
from dataclasses import dataclass

from .common import CliError

CHUNK = 4 << 20


@dataclass
class Host:
    """Where the checks look; the defaults are this machine."""
    sys_block: str = "/sys/class/block"
    mounts: str = "/proc/self/mounts"
    swaps: str = "/proc/swaps"
    root: str = "/"

    def is_block(self, path):
        return stat.S_ISBLK(os.stat(path).st_mode)

    def dev_name(self, path):
        """The kernel's name of a block device node (sdb for /dev/sdb), from its numbers."""
        rdev = os.stat(path).st_rdev
        link = os.path.join(self.sys_block, "..", "..", "dev", "block",
                            f"{os.major(rdev)}:{os.minor(rdev)}")
        return os.path.basename(os.path.realpath(link))

    def root_name(self):
        """The kernel's name of the block device that holds `/` (a partition, usually)."""
        dev = os.stat(self.root).st_dev
        link = os.path.join(self.sys_block, "..", "..", "dev", "block",
                            f"{os.major(dev)}:{os.minor(dev)}")
        return os.path.basename(os.path.realpath(link)) if os.path.exists(link) else None


def _read(path, default=""):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().strip()
    except OSError:
        return default


def human(nbytes):
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if nbytes < 1024 or unit == "TiB":
            return f"{nbytes} {unit}" if unit == "bytes" else f"{nbytes:.1f} {unit}"
        nbytes /= 1024
    return ""


def partitions(host, name):
    """The names of name's partitions (sdb1, mmcblk0p1, ...) from sysfs."""
    base = os.path.join(host.sys_block, name)
    try:
        entries = os.listdir(base)
    except OSError:
        return []
    return sorted(e for e in entries if os.path.exists(os.path.join(base, e, "partition")))


def holders(host, names):
    """names plus every device stacked on them (LVM, dm-crypt, RAID: sysfs holders/),
    transitively."""
    todo, seen = list(names), set(names)
    while todo:
        try:
            above = os.listdir(os.path.join(host.sys_block, todo.pop(), "holders"))
        except OSError:
            continue
        for h in above:
            if h not in seen:
                seen.add(h)
                todo.append(h)
    return seen


def _users(host, names):
    """(what, where) for every mount or swap whose source is one of the device names."""
    found = []
    for line in _read(host.mounts).splitlines():
        fields = line.split()
        if len(fields) >= 2 and fields[0].startswith("/dev/"):
            src = os.path.basename(os.path.realpath(fields[0])) if os.path.exists(
                fields[0]) else os.path.basename(fields[0])
            if src in names:
                found.append((src, f"mounted on {fields[1]}"))
    for line in _read(host.swaps).splitlines()[1:]:
        fields = line.split()
        if fields and os.path.basename(fields[0]) in names:
            found.append((os.path.basename(fields[0]), "used as swap"))
    return found


def describe(host, device):
    """Checks that device may be written; returns (kernel name, size in bytes, model).
    Raises CliError naming the device and the reason otherwise."""
    if not os.path.exists(device):
        raise CliError(f"{device}: no such device")
    if not host.is_block(device):
        raise CliError(f"{device} is not a block device")
    name = host.dev_name(device)
    sysdir = os.path.join(host.sys_block, name)
    if os.path.exists(os.path.join(sysdir, "partition")):
        raise CliError(f"{device} is a partition ({name}); give the whole card")
    size = int(_read(os.path.join(sysdir, "size"), "0") or 0) * 512
    if size == 0:
        raise CliError(f"{device} ({name}) has no medium (size 0): is the card in?")
    names = holders(host, {name, *partitions(host, name)})
    root = host.root_name()
    if root in names:
        raise CliError(f"{device} ({name}) holds the running system (/ is on {root}); "
                       f"refusing to write it")
    users = _users(host, names)
    if users:
        part, what = users[0]
        raise CliError(f"{device} ({name}) is in use: {part} is {what}; unmount it first")
    model = " ".join(filter(None, (_read(os.path.join(sysdir, "device", "vendor")),
                                   _read(os.path.join(sysdir, "device", "model")))))
    return name, size, model


def confirm(prompt, ask=input):
    """True if the user types yes."""
    try:
        return ask(prompt).strip().lower() == "yes"
    except EOFError:
        return False


def write(image, device, out=print):
    """Writes image to device (O_EXCL: fails if anything holds it) and syncs."""
    total = os.path.getsize(image)
    try:
        fd = os.open(device, os.O_WRONLY | os.O_EXCL)
    except OSError as e:
        raise CliError(f"cannot open {device} for writing: {e.strerror}") from None
    done = 0
    try:
        with open(image, "rb") as src:
            while chunk := src.read(CHUNK):
                view = memoryview(chunk)
                while view:
                    view = view[os.write(fd, view):]
                done += len(chunk)
        os.fsync(fd)
    except OSError as e:
        raise CliError(f"writing {device} failed after {done} bytes: {e.strerror}") from None
    finally:
        os.close(fd)
    out(f"Wrote {human(total)} to {device} and synced it; the card can be removed.")


def flash(image, device, host=None, ask=input, out=print, assume_yes=False):
    """The whole of `inox flash --device`: check, confirm, write. Returns 0, or 1 if the user
    said no. Raises CliError."""
    host = host or Host()
    if not os.path.exists(image):
        raise CliError(f"no disk image {image}: the flash target did not make one")
    name, size, model = describe(host, device)
    img = os.path.getsize(image)
    if img > size:
        raise CliError(f"{device} ({human(size)}) is smaller than the image ({human(img)})")
    what = f"{device} ({name}{', ' + model if model else ''}, {human(size)})"
    prompt = (f"Write {os.path.basename(image)} ({human(img)}) to {what}? "
              f"Everything on it is lost. Type yes to go on: ")
    if not assume_yes and not confirm(prompt, ask):
        out("Nothing written.")
        return 1
    write(image, device, out)
    return 0
