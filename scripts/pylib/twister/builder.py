# SPDX-License-Identifier: Apache-2.0
"""Build one instance: cmake -G Ninja configure, the scenario's `filter:` on the configured
build, then cmake --build; logged to OUTDIR/build.log."""

import json
import os
import shlex
import subprocess

from . import testplan
from .statuses import TwisterStatus


def configure_command(instance, extra=()):
    """cmake's configure command: the scenario's extra_configs and extra_args, then `extra`
    (twister's -x, already -DKEY=VAL)."""
    sc = instance.scenario
    cmd = ["cmake", "-G", "Ninja", "-S", sc.app_dir, "-B", instance.outdir,
           f"-DBOARD={instance.platform.identifier}"]
    for item in sc.extra_configs + sc.extra_args:
        cmd.append(item if item.startswith("-") else f"-D{item}")
    return cmd + list(extra)


def build_command(instance, ninja_jobs):
    cmd = ["cmake", "--build", instance.outdir]
    if ninja_jobs:
        cmd += ["-j", str(ninja_jobs)]
    return cmd


def first_error(log_path):
    """The first line of a build log that mentions an error, skipping our own command lines.

    A compiler-style `error:` line is preferred over a banner such as `CMake Error at ...`."""
    try:
        with open(log_path, encoding="utf-8", errors="replace") as f:
            lines = [line.strip() for line in f if not line.startswith("$ ")]
    except OSError:
        return None
    for needle in ("error:", "error"):
        for line in lines:
            if needle in line.lower():
                return line
    return None


def _run(cmd, log, log_path, env):
    """Runs one build command into the log; returns None on success, else the failure reason."""
    log.write("$ " + shlex.join(cmd) + "\n")
    log.flush()
    try:
        rc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                            env=env).returncode
    except OSError as e:
        return f"Build error: cannot run {cmd[0]}: {e.strerror}"
    if rc != 0:
        log.flush()
        line = first_error(log_path)
        return f"Build error: {line}" if line else \
            f"Build error: {shlex.join(cmd[:2])} exited with {rc}"
    return None


def build(instance, inox_base, ninja_jobs=None, cmake_only=False, extra=()):
    """Configures an instance, applies its scenario's `filter:` to the configured build (as
    Zephyr's runtime filter does), then builds it unless cmake_only. Returns (None, None) when
    built (configured, with cmake_only), ("filtered", reason) when the filter drops it,
    ("error", reason) when the filter or the build fails."""
    sc, plat = instance.scenario, instance.platform
    os.makedirs(instance.outdir, exist_ok=True)
    log_path = os.path.join(instance.outdir, "build.log")
    env = dict(os.environ, INOX_BASE=inox_base)
    with open(log_path, "w", encoding="utf-8") as log:
        verdict = testplan.filter_verdict(sc, plat)        # a syntax error costs no cmake run
        if not verdict:
            reason = _run(configure_command(instance, extra), log, log_path, env)
            if reason:
                return TwisterStatus.ERROR, reason
            if sc.filter_expr is not None:
                verdict = testplan.filter_verdict(sc, plat, instance.outdir)
        if verdict:
            log.write(verdict[1] + "\n")
            return verdict
        if cmake_only:
            return None, None
        reason = _run(build_command(instance, ninja_jobs), log, log_path, env)
    return (TwisterStatus.ERROR, reason) if reason else (None, None)


def load_runners(instance):
    """The parsed OUTDIR/inox/runners.json; raises OSError/ValueError if missing or bad."""
    with open(os.path.join(instance.outdir, "inox", "runners.json"), encoding="utf-8") as f:
        return json.load(f)
