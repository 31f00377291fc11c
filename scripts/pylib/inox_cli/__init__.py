# SPDX-License-Identifier: Apache-2.0
"""scripts/inox, Inox's west-style command: one module per subcommand.

main      the top-level parser, self-setup, one-line errors
build     `inox build` and `inox run` (configure with CMake, build a target)
targets   `inox flash`, `inox debug`, `inox debugserver` (a target of a configured build)
boards    `inox boards` (every board.yml and its variants)
testrun   `inox test` (pytest on tests/scripts, then Twister, one summed result line)
common    what they share: paths, running tools, reading a build folder
"""

__version__ = "0.1.0"
