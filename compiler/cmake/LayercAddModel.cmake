# LayercAddModel.cmake: layerc_add_model(), a static library target made of
# one compiled layerc model. find_package(layerc) includes this file; it needs
# the targets layerc::layerc (the compiler) and layerc::runtime (the runtime
# library every model links).
#
#   layerc_add_model(<target> MODEL <file.nn>
#                    [WEIGHTS <file.safetensors>]
#                    [TARGET_ARCH <halide target>])
#
# Runs `layerc compile` at build time into ${CMAKE_CURRENT_BINARY_DIR}/<target>/,
# which then holds <target>.o and <target>.h, and makes <target> a STATIC
# library of that object. Linking <target> brings everything an application
# needs: the directory of <target>.h, the layerc runtime with its headers
# (layerc/runtime.h, HalideRuntime.h) and its system libraries (threads, dl,
# m). So `target_link_libraries(app PRIVATE <target>)` is enough, and the
# application's sources `#include "<target>.h"`. The entry points are named
# after the model (`model NAME` in the .nn): NAME() and, when every shape is
# static, NAME_run().
#
# MODEL and WEIGHTS relative paths are relative to CMAKE_CURRENT_SOURCE_DIR.
# Without WEIGHTS layerc warns and uses deterministic pseudo-random
# parameters. The model is recompiled when the .nn file, the weights file or
# the layerc executable changes, and only then.
#
# TARGET_ARCH is passed to `layerc compile --target` (`host` by default, or a
# Halide target string such as x86-64-linux-avx2-fma). The runtime library
# (layerc::runtime) is built for the host only, so a TARGET_ARCH for another
# architecture or OS does not link into a program yet; one for the host's
# architecture with other CPU features does.

include_guard(GLOBAL)

function(layerc_add_model target)
  string(CONCAT usage "usage: layerc_add_model(<target> MODEL <file.nn> "
    "[WEIGHTS <file.safetensors>] [TARGET_ARCH <halide target>])")
  set(keywords MODEL WEIGHTS TARGET_ARCH)
  if(target IN_LIST keywords)
    message(FATAL_ERROR "layerc_add_model: the first argument must be the "
      "name of the target to create, not ${target}.\n${usage}")
  endif()
  cmake_parse_arguments(PARSE_ARGV 1 LAYERC "" "${keywords}" "")
  if(LAYERC_UNPARSED_ARGUMENTS)
    list(JOIN LAYERC_UNPARSED_ARGUMENTS " " unknown)
    message(FATAL_ERROR "layerc_add_model(${target}): unknown argument(s): "
      "${unknown}\n${usage}")
  endif()
  if(LAYERC_KEYWORDS_MISSING_VALUES)
    list(JOIN LAYERC_KEYWORDS_MISSING_VALUES " and " missing)
    message(FATAL_ERROR "layerc_add_model(${target}): no value after "
      "${missing}.\n${usage}")
  endif()
  if(NOT DEFINED LAYERC_MODEL)
    message(FATAL_ERROR
      "layerc_add_model(${target}): MODEL <file.nn> is required.\n${usage}")
  endif()
  if(TARGET ${target})
    message(FATAL_ERROR
      "layerc_add_model(${target}): a target named ${target} already exists.")
  endif()
  foreach(needed layerc::layerc layerc::runtime)
    if(NOT TARGET ${needed})
      message(FATAL_ERROR "layerc_add_model(${target}): no target ${needed}; "
        "call find_package(layerc REQUIRED) first (in this directory or a "
        "parent one).")
    endif()
  endforeach()

  # Absolute paths of the inputs (model_file, weights_file); each must exist
  # or be made by the build.
  set(inputs)
  set(model_file)
  set(weights_file)
  foreach(kind MODEL WEIGHTS)
    if(NOT DEFINED LAYERC_${kind})
      continue()
    endif()
    cmake_path(ABSOLUTE_PATH LAYERC_${kind}
      BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE
      OUTPUT_VARIABLE path)
    get_source_file_property(generated "${path}" GENERATED)
    if(NOT EXISTS "${path}" AND NOT generated)
      message(FATAL_ERROR "layerc_add_model(${target}): ${kind} file "
        "${path} does not exist (relative paths are relative to "
        "${CMAKE_CURRENT_SOURCE_DIR}).")
    endif()
    string(TOLOWER ${kind} kind)
    set(${kind}_file "${path}")
    list(APPEND inputs "${path}")
  endforeach()

  set(options)
  if(weights_file)
    list(APPEND options --weights "${weights_file}")
  endif()
  if(DEFINED LAYERC_TARGET_ARCH)
    list(APPEND options --target "${LAYERC_TARGET_ARCH}")
  endif()

  set(dir "${CMAKE_CURRENT_BINARY_DIR}/${target}")
  set(object "${dir}/${target}.o")
  set(header "${dir}/${target}.h")
  file(MAKE_DIRECTORY "${dir}")
  cmake_path(GET model_file FILENAME model_name)
  # DEPENDS on the imported executable target: a file-level dependency on
  # its location, so a new layerc recompiles every model.
  add_custom_command(
    OUTPUT "${object}" "${header}"
    COMMAND layerc::layerc compile "${model_file}" ${options} -o "${dir}/${target}"
    DEPENDS ${inputs} layerc::layerc
    WORKING_DIRECTORY "${dir}"
    COMMENT "Compiling layerc model ${target} (${model_name})"
    VERBATIM)
  set_source_files_properties("${object}" PROPERTIES
    EXTERNAL_OBJECT TRUE GENERATED TRUE)

  # The object is the library; the header is listed so that it is made
  # before any dependent source that includes it is compiled.
  add_library(${target} STATIC "${object}" "${header}")
  get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
  if("C" IN_LIST languages)
    set(linker_language C)
  elseif("CXX" IN_LIST languages)
    set(linker_language CXX)
  else()
    message(FATAL_ERROR "layerc_add_model(${target}): enable C or CXX in "
      "project() to make a static library.")
  endif()
  set_target_properties(${target} PROPERTIES LINKER_LANGUAGE ${linker_language})
  target_include_directories(${target} INTERFACE "${dir}")
  target_link_libraries(${target} INTERFACE layerc::runtime)
endfunction()
