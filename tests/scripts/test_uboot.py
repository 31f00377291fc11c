# SPDX-License-Identifier: Apache-2.0
"""Tests for scripts/build/uboot.py, the cached U-Boot build: the deb-src entries it derives
from the host's apt sources (made-up /etc/apt trees), where a build goes, and that a build
that fails is one line naming its log (a made-up source tree whose make fails). The real
build is exercised by the uboot scenarios (sample.basic.helloworld.uboot_sdcard)."""

import pathlib
import shutil
import subprocess
import sys

import pytest

BASE = pathlib.Path(__file__).resolve().parents[2]
UBOOT = BASE / "scripts" / "build" / "uboot.py"
sys.path.insert(0, str(UBOOT.parent))

import uboot  # noqa: E402  (also puts scripts/pylib on sys.path)


def test_deb_src_from_deb822_and_one_line_sources(tmp_path):
    d = tmp_path / "sources.list.d"
    d.mkdir()
    (tmp_path / "sources.list").write_text(
        "# comment\ndeb http://deb.debian.org/debian bookworm main contrib\n"
        "deb-src http://deb.debian.org/debian bookworm main\n")
    (d / "debian.sources").write_text(
        "Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\n"
        "Components: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n"
        "Types: deb\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\n"
        "Components: main\nEnabled: no\n")
    (d / "vendor.sources").write_text(
        "Types: deb\nURIs: https://example.com/apt\nSuites: stable\nComponents: main\n")
    (d / "old.list.disabled").write_text("deb http://deb.debian.org/debian sid main\n")
    assert uboot.deb_src_entries(tmp_path) == [
        "deb-src http://deb.debian.org/debian bookworm main contrib",
        "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
        "http://deb.debian.org/debian bookworm main",
        "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
        "http://deb.debian.org/debian bookworm-updates main",
    ]


def test_build_folder_depends_on_the_fragment_only(tmp_path, monkeypatch):
    """Known at configure time on a fresh machine: no dpkg-query, nothing installed."""
    def no_dpkg(pkg):
        raise AssertionError("build_dir asked dpkg")

    monkeypatch.setattr(uboot, "package_version", no_dpkg)
    a = uboot.build_dir(tmp_path, "sifive_unleashed", "")
    b = uboot.build_dir(tmp_path, "sifive_unleashed", 'CONFIG_PREBOOT="x"\n')
    assert a != b and a.parent == tmp_path and a.name.startswith("sifive_unleashed-")


@pytest.mark.skipif(shutil.which("dpkg-query") is None or shutil.which("make") is None,
                    reason="needs dpkg-query and make")
def test_failed_build_is_one_line_naming_the_log(tmp_path, monkeypatch):
    """A cache whose source's Makefile fails at once: no apt, no compiler run."""
    src = tmp_path / "src" / "u-boot-fake"
    src.mkdir(parents=True)
    (src / "Makefile").write_text("%:\n\t@echo no such board; exit 2\n")
    monkeypatch.setenv("INOX_UBOOT_CACHE", str(tmp_path))
    out = subprocess.run([sys.executable, str(UBOOT), "--defconfig", "sifive_unleashed"],
                         capture_output=True, text=True)
    assert out.returncode == 1
    lines = out.stderr.splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("error: u-boot: make sifive_unleashed_defconfig failed "
                               "(exit status 2); see ")
    log = pathlib.Path(lines[0].rsplit("see ", 1)[1])
    assert "no such board" in log.read_text()
    assert not (log.parent / uboot.STAMP).exists()


def test_setup_installs_only_what_is_missing(monkeypatch):
    """inox_setup.ensure_extra(), which uboot.py and disk_image.py call: the packages of the
    missing programs and files, each once, through apt-get as root."""
    import inox_setup

    have = {"make", "bison", "apt-get", str(uboot.OPENSBI)}
    monkeypatch.setattr(inox_setup.shutil, "which", lambda p: p if p in have else None)
    monkeypatch.setattr(inox_setup.os.path, "exists", lambda p: p in have)
    monkeypatch.setattr(inox_setup.os, "geteuid", lambda: 0)
    ran = []

    def fake_run(cmd, **kw):
        ran.append(cmd)
        if "install" in cmd:
            have.update(uboot.PROGRAMS)
            have.update(uboot.FILES)
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setattr(inox_setup.subprocess, "run", fake_run)
    missing = inox_setup.missing_extra(uboot.PROGRAMS, uboot.FILES)
    assert ("make", "make") not in missing and (str(uboot.OPENSBI), "opensbi") not in missing
    assert (f"{uboot.CROSS_COMPILE}gcc", "gcc-riscv64-linux-gnu") in missing
    inox_setup.ensure_extra(uboot.PROGRAMS, uboot.FILES, log=open("/dev/null", "w"))
    install = ran[-1]
    assert install[-len(set(p for _, p in missing)):] == list(dict.fromkeys(p for _, p in missing))
    assert "opensbi" not in install and "make" not in install
    assert inox_setup.missing_extra(uboot.PROGRAMS, uboot.FILES) == []
