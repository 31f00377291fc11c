# SPDX-License-Identifier: Apache-2.0
"""The statuses of configurations and test cases, as Zephyr's twisterlib.statuses.

A StrEnum: a member is its string ("passed"), so it compares equal to the strings of
twister.json and prints as them; the enum names the set in one place."""

from enum import StrEnum


class TwisterStatus(StrEnum):
    PASS = "passed"         # the harness passed
    FAIL = "failed"         # the harness failed (Timeout, Unexpected eof, ...)
    ERROR = "error"         # could not build or start
    SKIP = "skipped"        # a case: compiled out, or the configuration was not run
    BLOCK = "blocked"       # a case that could not run because its configuration failed
    FILTER = "filtered"     # not selected for this platform
    NOTRUN = "not run"      # built only


# A configuration with one of these failed: -f and --retry-failed run it again, and twister
# exits with 1.
FAILED = (TwisterStatus.FAIL, TwisterStatus.ERROR)
