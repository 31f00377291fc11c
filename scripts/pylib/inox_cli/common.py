# SPDX-License-Identifier: Apache-2.0
"""What the subcommands share: the tree's paths, one-line errors, running tools, build folders."""

import argparse
import os
import shutil
import subprocess

INOX_BASE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))

DEFAULT_BUILD_DIR = "build"


class CliError(Exception):
    """A user-facing problem; str() is one line without 'error:'. Exit status 1."""


def positive_int(text):
    """argparse type: an int of 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def exit_status(returncode):
    """A child's status as a shell reports it: killed by signal N -> 128 + N."""
    return 128 - returncode if returncode < 0 else returncode


def run(cmd, env=None):
    """Runs cmd with the terminal as its stdin/stdout/stderr; returns its exit status.

    On Ctrl-C the child got the same SIGINT from the terminal: wait for it to finish cleaning
    up, then let KeyboardInterrupt reach main().
    """
    try:
        proc = subprocess.Popen(cmd, env=env)
    except FileNotFoundError:
        raise CliError(f"{cmd[0]} not found on PATH") from None
    except OSError as e:
        raise CliError(f"cannot run {cmd[0]}: {e.strerror}") from None
    try:
        return exit_status(proc.wait())
    except KeyboardInterrupt:
        proc.wait()
        raise


def build_env():
    """The environment for CMake: INOX_BASE tells the app's find_package(Inox) where we are."""
    return dict(os.environ, INOX_BASE=INOX_BASE)


def read_cmake_cache(path):
    """Returns {NAME: value} from a CMakeCache.txt (NAME:TYPE=value lines), {} if unreadable."""
    entries = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.rstrip("\n")
                if not line or line.startswith(("#", "//")) or "=" not in line:
                    continue
                key, value = line.split("=", 1)
                entries[key.split(":", 1)[0]] = value
    except OSError:
        pass
    return entries


class BuildDir:
    """A build folder as the user named it (`shown`) and as an absolute path."""

    def __init__(self, name):
        self.shown = name
        self.path = os.path.abspath(name)
        self.cache_file = os.path.join(self.path, "CMakeCache.txt")

    @property
    def configured(self):
        """True once CMake has written its cache here: this is a build folder."""
        return os.path.isfile(self.cache_file)

    @property
    def generated(self):
        """True if a configure finished: Ninja's build file exists."""
        return os.path.isfile(os.path.join(self.path, "build.ninja"))

    def cache(self):
        return read_cmake_cache(self.cache_file) if self.configured else {}

    def board(self):
        return self.cache().get("BOARD") or None

    def app(self):
        cache = self.cache()
        app = cache.get("APPLICATION_SOURCE_DIR") or cache.get("CMAKE_HOME_DIRECTORY")
        return os.path.realpath(app) if app else None

    def require_configured(self):
        if not self.configured:
            raise CliError(f"{self.shown} is not a configured build folder (no CMakeCache.txt); "
                           f"configure it first: inox build -b BOARD -d {self.shown} APP")

    def make_pristine(self):
        """Empties the folder (not the folder itself: it may be the shell's cwd or a symlink).

        Refuses anything that is not a CMake build folder, so a mistyped -d cannot wipe sources.
        """
        if not self.configured:
            raise CliError(f"{self.shown} has no CMakeCache.txt: not a build folder, "
                           f"not removing it")
        try:
            for entry in os.scandir(self.path):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)
        except OSError as e:
            raise CliError(f"cannot empty build folder {self.shown}: {e.strerror}: "
                           f"{e.filename}") from None

