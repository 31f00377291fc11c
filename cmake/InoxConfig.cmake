# SPDX-License-Identifier: Apache-2.0
# find_package(Inox) entry point, as Zephyr's ZephyrConfig.cmake: an application's
# CMakeLists.txt calls
#
#   cmake_minimum_required(VERSION 3.20)
#   find_package(Inox REQUIRED HINTS $ENV{INOX_BASE})
#   project(my_app)
#   target_sources(app PRIVATE src/main.c)
#
# and gets the cross toolchain, the board, devicetree, Kconfig, the kernel and an `app`
# library that is linked into BUILD/inox/inox.elf.
include_guard(GLOBAL)

get_filename_component(INOX_BASE "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(INOX_BASE "${INOX_BASE}" CACHE PATH "Inox source tree" FORCE)
set(ENV{INOX_BASE} "${INOX_BASE}")
list(APPEND CMAKE_MODULE_PATH "${INOX_BASE}/cmake/modules")
set(APPLICATION_SOURCE_DIR "${CMAKE_CURRENT_SOURCE_DIR}" CACHE PATH "Application folder")
set(APPLICATION_BINARY_DIR "${CMAKE_CURRENT_BINARY_DIR}")
set(INOX_BINARY_DIR "${APPLICATION_BINARY_DIR}/inox")
set(CMAKE_EXPORT_COMPILE_COMMANDS ON CACHE BOOL "Write compile_commands.json" FORCE)

include(inox_python)
include(toolchain)
project(Inox-Kernel C ASM)
include(board)
include(snippets)
include(configuration_files)
include(dts)
include(kconfig)
include(kernel)
include(runners)
include(user)
