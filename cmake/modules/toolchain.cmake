# SPDX-License-Identifier: Apache-2.0
# The cross toolchain: Debian's gcc-riscv64-unknown-elf. Set before project() so CMake's
# compiler checks use it.
include_guard(GLOBAL)

set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv64)
set(CROSS_COMPILE riscv64-unknown-elf- CACHE STRING "Prefix of the cross tools")
find_program(INOX_CC ${CROSS_COMPILE}gcc)
if(NOT INOX_CC)
  message(FATAL_ERROR " error: ${CROSS_COMPILE}gcc not found; run scripts/inox once to "
                      "install gcc-riscv64-unknown-elf")
endif()
set(CMAKE_C_COMPILER "${INOX_CC}")
set(CMAKE_ASM_COMPILER "${INOX_CC}")
find_program(CMAKE_OBJCOPY ${CROSS_COMPILE}objcopy)
find_program(CMAKE_OBJDUMP ${CROSS_COMPILE}objdump)
find_program(CMAKE_NM ${CROSS_COMPILE}nm)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_C_STANDARD 11)
set(CMAKE_C_EXTENSIONS ON)

# ccache, when installed, as in Zephyr: -DUSE_CCACHE=0 turns it off. Paths inside the build
# folder are hashed relative to it and the working folder is not hashed, so that two build
# folders with the same configuration (twister builds many) share the kernel's objects; their
# debug info then names the folder that compiled first, which only gdb's source search sees.
set(USE_CCACHE ON CACHE BOOL "Compile through ccache when it is installed")
if(USE_CCACHE)
  find_program(CCACHE ccache)
  if(CCACHE)
    set(launcher env CCACHE_BASEDIR=${CMAKE_BINARY_DIR} CCACHE_NOHASHDIR=1 ${CCACHE})
    set(CMAKE_C_COMPILER_LAUNCHER "${launcher}")
    set(CMAKE_ASM_COMPILER_LAUNCHER "${launcher}")
  endif()
endif()
