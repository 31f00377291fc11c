# SPDX-License-Identifier: Apache-2.0
# The kernel image: compile options shared by every kernel object, the `app` library an
# application fills, the kernel sources (the Inox tree's CMakeLists.txt files, added with
# inox_sources*()), and the final link into BUILD/inox/inox.elf.
include_guard(GLOBAL)

# The optimization level is a Kconfig choice, as in Zephyr (Kconfig.inox, "Build and link
# features").
if(CONFIG_SIZE_OPTIMIZATIONS)
  set(INOX_OPTIMIZATION_FLAG -Os)
elseif(CONFIG_DEBUG_OPTIMIZATIONS)
  set(INOX_OPTIMIZATION_FLAG -Og)
elseif(CONFIG_NO_OPTIMIZATIONS)
  set(INOX_OPTIMIZATION_FLAG -O0)
else()
  set(INOX_OPTIMIZATION_FLAG -O2)
endif()

# Every kernel-side object (kernel, drivers, app) is compiled with these.
add_library(inox_interface INTERFACE)
target_compile_options(inox_interface INTERFACE
  -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany
  -ffreestanding -fno-common -fno-pic -fno-omit-frame-pointer -fno-strict-aliasing
  -fno-stack-protector -ffunction-sections -fdata-sections
  ${INOX_OPTIMIZATION_FLAG} -g -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
  -Werror=implicit-function-declaration -Werror=incompatible-pointer-types
  -Werror=int-conversion -Werror=return-type
  "SHELL:-imacros ${AUTOCONF_H}")
target_compile_definitions(inox_interface INTERFACE __INOX__ _KERNEL)
target_include_directories(inox_interface INTERFACE
  "${INOX_BASE}/include" "${INOX_BINARY_DIR}/include" "${INOX_BASE}/arch/riscv/include"
  "${INOX_BASE}/kernel/include" "${INOX_BASE}/lib/libc/include")

# The application's code; linked whole, so its SYS_INITs and tests are kept.
add_library(app STATIC)
target_link_libraries(app PRIVATE inox_interface)

add_library(inox_kernel STATIC)
target_link_libraries(inox_kernel PRIVATE inox_interface)

# inox_sources(files...) adds kernel sources, relative to the calling CMakeLists.txt.
function(inox_sources)
  foreach(f ${ARGN})
    get_filename_component(f "${f}" ABSOLUTE)
    target_sources(inox_kernel PRIVATE "${f}")
  endforeach()
endfunction()

# inox_sources_ifdef(CONFIG_X files...) adds them when CONFIG_X is set.
function(inox_sources_ifdef cond)
  if(${cond})
    inox_sources(${ARGN})
  endif()
endfunction()

add_subdirectory("${INOX_BASE}" "${INOX_BINARY_DIR}/kernel")

# The linker script goes through cpp with autoconf.h, as Zephyr's does.
set(INOX_LINKER_SCRIPT "${INOX_BINARY_DIR}/linker.ld")
set(_ld_src "${INOX_BASE}/arch/riscv/core/linker.ld.S")
add_custom_command(
  OUTPUT "${INOX_LINKER_SCRIPT}"
  COMMAND ${CMAKE_C_COMPILER} -E -P -x assembler-with-cpp -imacros "${AUTOCONF_H}"
          -I "${INOX_BASE}/include" -I "${INOX_BASE}/arch/riscv/include"
          -I "${INOX_BINARY_DIR}/include" "${_ld_src}" -o "${INOX_LINKER_SCRIPT}"
  DEPENDS "${_ld_src}" "${AUTOCONF_H}"
  COMMENT "Preprocessing linker.ld")
add_custom_target(inox_linker_script DEPENDS "${INOX_LINKER_SCRIPT}")

# CMake knows --whole-archive only for host platforms; ours is "Generic".
set(CMAKE_C_LINK_LIBRARY_USING_WHOLE_ARCHIVE
    "LINKER:--whole-archive" "<LINK_ITEM>" "LINKER:--no-whole-archive")
set(CMAKE_C_LINK_LIBRARY_USING_WHOLE_ARCHIVE_SUPPORTED TRUE)
set(CMAKE_ASM_LINK_LIBRARY_USING_WHOLE_ARCHIVE ${CMAKE_C_LINK_LIBRARY_USING_WHOLE_ARCHIVE})
set(CMAKE_ASM_LINK_LIBRARY_USING_WHOLE_ARCHIVE_SUPPORTED TRUE)

set(INOX_ELF "${INOX_BINARY_DIR}/inox.elf")
set(INOX_PRE_ELF "${INOX_BINARY_DIR}/inox_pre.elf")
set(INOX_SYMTAB_S "${INOX_BINARY_DIR}/symtab.S")
# -march without extensions: gcc picks the rv64imac/lp64 multilib of libgcc by exact name.
set(_link_opts -nostdlib -nostartfiles -static -march=rv64imac -mabi=lp64
    -mcmodel=medany "-T${INOX_LINKER_SCRIPT}" -Wl,--gc-sections -Wl,--no-warn-rwx-segments
    -Wl,--build-id=none)
# Only the final link prints the linker script's memory regions, as Zephyr's does.
set(_final_link_opts -Wl,--print-memory-usage)
set(_link_libs inox_interface "$<LINK_LIBRARY:WHOLE_ARCHIVE,app>"
    "$<LINK_LIBRARY:WHOLE_ARCHIVE,inox_kernel>" gcc)

# Link 1: an empty symbol table. Link 2: the table of link 1's functions, after all code and
# data but before .bss, so that no function moves (gen_symtab.py --check makes sure) and
# inox.bin ends with it (check_image.py makes sure).
add_executable(inox_pre "${INOX_BASE}/arch/riscv/core/symtab_empty.S")
set_target_properties(inox_pre PROPERTIES OUTPUT_NAME inox_pre.elf SUFFIX ""
                      RUNTIME_OUTPUT_DIRECTORY "${INOX_BINARY_DIR}"
                      LINK_DEPENDS "${INOX_LINKER_SCRIPT}")
add_dependencies(inox_pre inox_linker_script)
target_link_libraries(inox_pre PRIVATE ${_link_libs})
target_link_options(inox_pre PRIVATE ${_link_opts})

add_custom_command(
  OUTPUT "${INOX_SYMTAB_S}"
  COMMAND ${INOX_PYTHON} "${INOX_BASE}/scripts/build/gen_symtab.py" --nm ${CMAKE_NM}
          --elf "${INOX_PRE_ELF}" --out "${INOX_SYMTAB_S}"
  DEPENDS inox_pre "${INOX_BASE}/scripts/build/gen_symtab.py"
  COMMENT "Generating the kernel symbol table")

add_executable(inox_final "${INOX_SYMTAB_S}")
set_target_properties(inox_final PROPERTIES OUTPUT_NAME inox.elf SUFFIX ""
                      RUNTIME_OUTPUT_DIRECTORY "${INOX_BINARY_DIR}"
                      LINK_DEPENDS "${INOX_LINKER_SCRIPT}")
target_link_libraries(inox_final PRIVATE ${_link_libs})
target_link_options(inox_final PRIVATE ${_link_opts} ${_final_link_opts}
                    "-Wl,-Map=${INOX_BINARY_DIR}/inox.map")
add_custom_command(TARGET inox_final POST_BUILD
  COMMAND ${INOX_PYTHON} "${INOX_BASE}/scripts/build/gen_symtab.py" --nm ${CMAKE_NM}
          --elf "${INOX_ELF}" --check "${INOX_PRE_ELF}"
  COMMAND ${CMAKE_OBJCOPY} -O binary "${INOX_ELF}" "${INOX_BINARY_DIR}/inox.bin"
  COMMAND ${INOX_PYTHON} "${INOX_BASE}/scripts/build/check_image.py" --nm ${CMAKE_NM}
          --elf "${INOX_ELF}" --bin "${INOX_BINARY_DIR}/inox.bin"
  BYPRODUCTS "${INOX_BINARY_DIR}/inox.bin")

# rom_report and ram_report, as Zephyr's: where the image's bytes go, by source file and
# symbol (scripts/build/size_report.py); the tree also goes to BUILD/inox/{rom,ram}.json.
foreach(kind rom ram)
  add_custom_target(${kind}_report
    COMMAND ${INOX_PYTHON} "${INOX_BASE}/scripts/build/size_report.py" --elf "${INOX_ELF}"
            --kind ${kind} --inox-base "${INOX_BASE}" --app "${APPLICATION_SOURCE_DIR}"
            --build "${APPLICATION_BINARY_DIR}" --json "${INOX_BINARY_DIR}/${kind}.json"
    DEPENDS inox_final "${INOX_BASE}/scripts/build/size_report.py"
    USES_TERMINAL)
endforeach()
