# LayercRuntime.cmake: layerc_runtime_library(), the layerc runtime built
# from its sources for one Halide target. layerc's own build makes the host's
# (layerc::runtime) with it; layerc_add_model() makes one per TARGET_ARCH
# when the project cross-compiles, with the project's (cross) C compiler.
#
#   layerc_runtime_library(<name> HALIDE_TARGET <target>
#                          RUNTIME_GEN <executable> SOURCE_DIR <dir>
#                          INCLUDE_DIRS <dir>...)
#
# The library holds npy.c and workspace.c of SOURCE_DIR, and one object made
# of the Halide runtime for HALIDE_TARGET (written by RUNTIME_GEN, i.e.
# layerc-runtime-gen) linked with halide_glue.c (`ld -r`): whenever a model
# pulls in the Halide runtime, the glue's constructor installs layerc's
# error handler and workspace allocator with it. INCLUDE_DIRS hold
# layerc/runtime.h and HalideRuntime.h; they are used to compile the sources
# only (callers set the library's usage requirements).

include_guard(GLOBAL)

function(layerc_runtime_library name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG ""
    "HALIDE_TARGET;RUNTIME_GEN;SOURCE_DIR" "INCLUDE_DIRS")
  foreach(required HALIDE_TARGET RUNTIME_GEN SOURCE_DIR INCLUDE_DIRS)
    if(NOT ARG_${required})
      message(FATAL_ERROR "layerc_runtime_library(${name}): ${required} is required")
    endif()
  endforeach()
  set(dir "${CMAKE_CURRENT_BINARY_DIR}/${name}.dir")
  file(MAKE_DIRECTORY "${dir}")

  set(halide_object "${dir}/halide_runtime.o")
  add_custom_command(OUTPUT "${halide_object}"
    COMMAND ${ARG_RUNTIME_GEN} ${ARG_HALIDE_TARGET} "${halide_object}"
    DEPENDS ${ARG_RUNTIME_GEN}
    COMMENT "Generating the Halide runtime for ${ARG_HALIDE_TARGET}"
    VERBATIM)

  add_library(${name}_glue OBJECT "${ARG_SOURCE_DIR}/halide_glue.c")
  target_include_directories(${name}_glue PRIVATE ${ARG_INCLUDE_DIRS})
  set_target_properties(${name}_glue PROPERTIES POSITION_INDEPENDENT_CODE ON)
  set(runtime_object "${dir}/layerc_halide_runtime.o")
  add_custom_command(OUTPUT "${runtime_object}"
    COMMAND ${CMAKE_LINKER} -r -o "${runtime_object}" "${halide_object}"
            $<TARGET_OBJECTS:${name}_glue>
    DEPENDS "${halide_object}" ${name}_glue $<TARGET_OBJECTS:${name}_glue>
    COMMAND_EXPAND_LISTS
    COMMENT "Linking the Halide runtime for ${ARG_HALIDE_TARGET} with layerc's error hook"
    VERBATIM)
  set_source_files_properties("${runtime_object}" PROPERTIES
    EXTERNAL_OBJECT TRUE GENERATED TRUE)

  add_library(${name} STATIC "${ARG_SOURCE_DIR}/npy.c"
    "${ARG_SOURCE_DIR}/workspace.c" "${runtime_object}")
  target_include_directories(${name} PRIVATE ${ARG_INCLUDE_DIRS})
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON
    LINKER_LANGUAGE C)
  # What the Halide runtime needs from the system, for whoever links a model.
  find_package(Threads REQUIRED)
  target_link_libraries(${name} INTERFACE Threads::Threads ${CMAKE_DL_LIBS} m)
endfunction()
