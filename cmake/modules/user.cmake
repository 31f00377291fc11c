# SPDX-License-Identifier: Apache-2.0
# User programs and the initramfs. An application declares its programs after find_package:
#
#   inox_user_program(init SOURCES user/init.c)
#   inox_user_program(hello SOURCES user/hello.c user/util.c LIBS m)
#
# Each is a static RISC-V ELF, C against picolibc plus lib/user (crt0, the system call
# wrappers, stdio on file descriptors 0-2), linked at 0x10000 by lib/user/user.ld:
# BUILD/inox/user/NAME.elf keeps its symbols for debugging (BUILD/inox/user/NAME.map beside
# it). At the end of configuration inox_initramfs() packs the stripped copies as /bin/NAME
# into BUILD/inox/initramfs.cpio and links it into the kernel image, between the symbols
# __initramfs_start and __initramfs_end (<inox/proc/initramfs.h> reads it).
#
# ABI: rv64imac, lp64 (soft-float: programs never touch FP registers, so the kernel neither
# enables nor saves them; elf_parse() refuses hard-float binaries), -mcmodel=medlow; the
# entry stack is Linux's (argc, argv, envp, auxv at sp); system calls are Linux's.
include_guard(GLOBAL)

set(INOX_USER_DIR "${INOX_BASE}/lib/user")
set(INOX_USER_BINARY_DIR "${INOX_BINARY_DIR}/user")
set(INOX_PICOLIBC_SPECS "/usr/lib/picolibc/riscv64-unknown-elf/picolibc.specs")

# The flags every user object and link gets, and lib/user's objects (crt0 must be an object,
# not an archive member, and so must sbrk(), or picolibc's own would be linked instead).
# Made by the first inox_user_program(), so that an application without programs builds none.
function(z_inox_user_runtime)
  if(TARGET inox_user_runtime)
    return()
  endif()
  if(NOT EXISTS "${INOX_PICOLIBC_SPECS}")
    message(FATAL_ERROR " error: ${INOX_PICOLIBC_SPECS} not found; user programs need picolibc: "
                        "apt-get install picolibc-riscv64-unknown-elf (or run scripts/inox once)")
  endif()
  set(_arch --specs=picolibc.specs -march=rv64imac -mabi=lp64 -mcmodel=medlow)
  add_library(inox_user_interface INTERFACE)
  target_compile_options(inox_user_interface INTERFACE ${_arch} -O2 -g
    -ffunction-sections -fdata-sections -Wall -Wextra -Wno-unused-parameter
    -Werror=implicit-function-declaration -Werror=incompatible-pointer-types
    -Werror=int-conversion -Werror=return-type)
  target_include_directories(inox_user_interface INTERFACE
    "${INOX_USER_DIR}/include" "${INOX_BASE}/include")
  target_link_options(inox_user_interface INTERFACE ${_arch} -nostartfiles -static
    "-T${INOX_USER_DIR}/user.ld" -Wl,--gc-sections -Wl,-z,max-page-size=4096
    -Wl,--build-id=none)

  add_library(inox_user_runtime OBJECT
    "${INOX_USER_DIR}/crt0.S" "${INOX_USER_DIR}/start.c" "${INOX_USER_DIR}/syscalls.c"
    "${INOX_USER_DIR}/stdio.c" "${INOX_USER_DIR}/signal.c" "${INOX_USER_DIR}/tty.c")
  target_link_libraries(inox_user_runtime PUBLIC inox_user_interface)
endfunction()

# inox_user_program(NAME SOURCES src... [LIBS lib...]) builds user program NAME from the
# sources (relative to the calling CMakeLists.txt) and puts it in the initramfs as /bin/NAME.
# LIBS are linked after the sources: CMake targets built for user space, or picolibc's
# libraries by name (m). The target is user_NAME, for target_compile_definitions() and such.
function(inox_user_program NAME)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;LIBS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR " error: inox_user_program(${NAME}): unexpected arguments "
                        "'${arg_UNPARSED_ARGUMENTS}'; usage: NAME SOURCES src... [LIBS lib...]")
  endif()
  if(NOT NAME MATCHES "^[A-Za-z0-9_][A-Za-z0-9_.+-]*$")
    message(FATAL_ERROR " error: inox_user_program: '${NAME}' is not a program name")
  endif()
  if(NOT arg_SOURCES)
    message(FATAL_ERROR " error: inox_user_program(${NAME}): no SOURCES")
  endif()
  get_property(_programs GLOBAL PROPERTY INOX_USER_PROGRAMS)
  if(NAME IN_LIST _programs)
    message(FATAL_ERROR " error: inox_user_program: '${NAME}' declared twice")
  endif()
  z_inox_user_runtime()

  set(_elf "${INOX_USER_BINARY_DIR}/${NAME}.elf")
  set(_stripped "${INOX_USER_BINARY_DIR}/stripped/${NAME}")
  add_executable(user_${NAME} ${arg_SOURCES})
  target_link_libraries(user_${NAME} PRIVATE inox_user_runtime ${arg_LIBS})
  target_link_options(user_${NAME} PRIVATE "-Wl,-Map=${INOX_USER_BINARY_DIR}/${NAME}.map")
  set_target_properties(user_${NAME} PROPERTIES OUTPUT_NAME ${NAME} SUFFIX ".elf"
                        RUNTIME_OUTPUT_DIRECTORY "${INOX_USER_BINARY_DIR}"
                        LINK_DEPENDS "${INOX_USER_DIR}/user.ld")
  add_custom_command(
    OUTPUT "${_stripped}"
    COMMAND ${CMAKE_OBJCOPY} --strip-all "${_elf}" "${_stripped}"
    DEPENDS user_${NAME} "${_elf}"
    COMMENT "Stripping user program ${NAME}")
  set_property(GLOBAL APPEND PROPERTY INOX_USER_PROGRAMS ${NAME})
endfunction()

# inox_initramfs() links the initramfs into the kernel image: the declared programs packed
# by scripts/build/mkcpio.py, or an empty archive (__initramfs_start == __initramfs_end) when
# there are none or CONFIG_USERSPACE is off. Runs by itself at the end of the directory that
# called find_package(Inox), after every inox_user_program() of the application.
function(inox_initramfs)
  get_property(_done GLOBAL PROPERTY INOX_INITRAMFS_DONE)
  if(_done)
    return()
  endif()
  set_property(GLOBAL PROPERTY INOX_INITRAMFS_DONE TRUE)

  get_property(_programs GLOBAL PROPERTY INOX_USER_PROGRAMS)
  if(_programs AND NOT CONFIG_USERSPACE)
    message(WARNING "user programs (${_programs}) are declared but CONFIG_USERSPACE is off: "
                    "they are built, not linked into the kernel")
    set(_programs "")
  endif()

  set(_asm "${INOX_BINARY_DIR}/initramfs.S")
  set(INITRAMFS_INCBIN "")
  if(_programs)
    if(CONFIG_INIT_PROGRAM)
      string(REGEX REPLACE "^/bin/" "" _init "${CONFIG_INIT_PROGRAM}")
      if(NOT _init IN_LIST _programs)
        message(WARNING "CONFIG_INIT_PROGRAM is \"${CONFIG_INIT_PROGRAM}\", but the declared "
                        "programs are /bin/{${_programs}}")
      endif()
    endif()
    set(_cpio "${INOX_BINARY_DIR}/initramfs.cpio")
    set(_entries "")
    set(_files "")
    foreach(name ${_programs})
      list(APPEND _entries "bin/${name}=${INOX_USER_BINARY_DIR}/stripped/${name}")
      list(APPEND _files "${INOX_USER_BINARY_DIR}/stripped/${name}")
    endforeach()
    add_custom_command(
      OUTPUT "${_cpio}"
      COMMAND ${INOX_PYTHON} "${INOX_BASE}/scripts/build/mkcpio.py" --output "${_cpio}"
              ${_entries}
      DEPENDS ${_files} "${INOX_BASE}/scripts/build/mkcpio.py"
      COMMENT "Packing the initramfs")
    set(INITRAMFS_INCBIN "\t.incbin \"${_cpio}\"")
    set_source_files_properties("${_asm}" PROPERTIES OBJECT_DEPENDS "${_cpio}")
  endif()
  # Rewritten only when it changes, so a reconfigure does not relink the kernel.
  file(CONFIGURE OUTPUT "${_asm}" @ONLY CONTENT
"/* Generated by cmake/modules/user.cmake: the initramfs, in the kernel's rodata. */
	.section .rodata.initramfs, \"a\"
	.balign 8
	.global __initramfs_start
__initramfs_start:
@INITRAMFS_INCBIN@
	.global __initramfs_end
__initramfs_end:
")
  target_sources(app PRIVATE "${_asm}")
endfunction()

cmake_language(DEFER CALL inox_initramfs)
