#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Run kconfiglib's guiconfig on an Inox build: guiconfig.py ROOT_KCONFIG.

The build runs this with KCONFIG_CONFIG pointing at its .config and the same
environment kconfig.py gets. Saving writes that .config; the next build keeps
it as long as the input fragments are unchanged (see doc/kconfig.md).
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pylib"))
import inox_python  # noqa: E402

inox_python.ensure(("kconfiglib",))

import inox_kconfig  # noqa: E402  (this script's folder is sys.path[1])

if __name__ == "__main__":
    sys.exit(inox_kconfig.run_interactive("guiconfig", sys.argv[1:]))
