# SPDX-License-Identifier: Apache-2.0
"""Platforms: every boards/**/*.yaml with an `identifier:` key (Zephyr's board yaml)."""

import os
from dataclasses import dataclass, field

import yaml


class ConfigError(Exception):
    """A user-facing configuration problem: reported as one line, exit status 2."""


@dataclass
class Platform:
    identifier: str
    name: str
    type: str = "mcu"
    arch: str = "riscv"
    ram: int = 0                      # KiB
    toolchain: list = field(default_factory=list)
    supported: list = field(default_factory=list)
    default: bool = False
    timeout_multiplier: float = 1.0
    ignore_tags: list = field(default_factory=list)
    simulation: list = field(default_factory=list)   # simulator names, e.g. ["qemu"]
    path: str = ""

    @property
    def normalized(self):
        """The identifier as a single path component (qemu_riscv64/smp -> qemu_riscv64_smp)."""
        return self.identifier.replace("/", "_")

    @property
    def simulated(self):
        return "qemu" in self.simulation


def _as_list(value):
    if value is None:
        return []
    if isinstance(value, str):
        return value.split()
    return list(value)


def load_platform(path):
    """Returns a Platform for a board yaml, or None if the file is not a platform description."""
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        raise ConfigError(f"{path}: cannot read board yaml: {e}") from e
    if not isinstance(data, dict) or "identifier" not in data:
        return None
    testing = data.get("testing") or {}
    sims = []
    for sim in data.get("simulation") or []:
        sims.append(sim.get("name") if isinstance(sim, dict) else str(sim))
    return Platform(
        identifier=str(data["identifier"]),
        name=str(data.get("name", data["identifier"])),
        type=str(data.get("type", "mcu")),
        arch=str(data.get("arch", "riscv")),
        ram=int(data.get("ram", 0) or 0),
        toolchain=_as_list(data.get("toolchain")),
        supported=_as_list(data.get("supported")),
        default=bool(testing.get("default", False)),
        timeout_multiplier=float(testing.get("timeout_multiplier", 1) or 1),
        ignore_tags=_as_list(testing.get("ignore_tags")),
        simulation=[s for s in sims if s],
        path=path,
    )


def discover(board_roots):
    """Returns {identifier: Platform} for every platform yaml under the board roots."""
    platforms = {}
    for root in board_roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for fn in sorted(filenames):
                if not fn.endswith(".yaml"):
                    continue
                plat = load_platform(os.path.join(dirpath, fn))
                if plat is None:
                    continue
                if plat.identifier in platforms:
                    raise ConfigError(f"{plat.path}: platform {plat.identifier} already defined "
                                      f"in {platforms[plat.identifier].path}")
                platforms[plat.identifier] = plat
    return platforms
