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
# Cross builds: see TARGET_ARCH below; the runtime is then also a target of
# the project, layerc_runtime_<TARGET_ARCH as a C identifier>.
#
# TARGET_ARCH is passed to `layerc compile --target` (`host` by default, or a
# Halide target string such as x86-64-linux-avx2-fma or arm-64-linux). In a
# project that cross-compiles (CMAKE_CROSSCOMPILING, e.g. with
# -DCMAKE_TOOLCHAIN_FILE=aarch64.cmake) TARGET_ARCH is required, and the
# model links a layerc runtime built for it from the runtime's sources by the
# project's own C compiler (layerc_runtime_library(), one per TARGET_ARCH);
# otherwise it links layerc::runtime, built for the host (a TARGET_ARCH with
# other CPU features of the host's architecture links with it too).

include_guard(GLOBAL)

function(layerc_add_model target)
  string(CONCAT usage "usage: layerc_add_model(<target> MODEL <file.nn> "
    "[WEIGHTS <file.safetensors>] [TARGET_ARCH <halide target>])")
  set(keywords MODEL WEIGHTS TARGET_ARCH)
  if(target IN_LIST keywords)
    message(FATAL_ERROR "layerc_add_model: the first argument must be the "
      "name of the target to create, not ${target}.\n${usage}")
  endif()
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "${keywords}" "")
  if(ARG_UNPARSED_ARGUMENTS)
    list(JOIN ARG_UNPARSED_ARGUMENTS " " unknown)
    message(FATAL_ERROR "layerc_add_model(${target}): unknown argument(s): "
      "${unknown}\n${usage}")
  endif()
  if(ARG_KEYWORDS_MISSING_VALUES)
    list(JOIN ARG_KEYWORDS_MISSING_VALUES " and " missing)
    message(FATAL_ERROR "layerc_add_model(${target}): no value after "
      "${missing}.\n${usage}")
  endif()
  if(NOT DEFINED ARG_MODEL)
    message(FATAL_ERROR
      "layerc_add_model(${target}): MODEL <file.nn> is required.\n${usage}")
  endif()
  if(TARGET ${target})
    message(FATAL_ERROR
      "layerc_add_model(${target}): a target named ${target} already exists.")
  endif()
  if(CMAKE_CROSSCOMPILING AND NOT DEFINED ARG_TARGET_ARCH)
    message(FATAL_ERROR "layerc_add_model(${target}): this project "
      "cross-compiles (for ${CMAKE_SYSTEM_PROCESSOR}): give the Halide target "
      "of the model, e.g. TARGET_ARCH arm-64-linux.\n${usage}")
  endif()
  foreach(needed layerc::layerc layerc::runtime layerc::runtime-gen)
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
    if(NOT DEFINED ARG_${kind})
      continue()
    endif()
    cmake_path(ABSOLUTE_PATH ARG_${kind}
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
  if(DEFINED ARG_TARGET_ARCH)
    list(APPEND options --target "${ARG_TARGET_ARCH}")
  endif()

  # The runtime the model links: the host's, or one built for TARGET_ARCH
  # by this project's (cross) compiler, once per TARGET_ARCH.
  set(runtime layerc::runtime)
  if(CMAKE_CROSSCOMPILING)
    string(MAKE_C_IDENTIFIER "layerc_runtime_${ARG_TARGET_ARCH}" runtime)
    if(NOT TARGET ${runtime})
      layerc_runtime_library(${runtime} HALIDE_TARGET "${ARG_TARGET_ARCH}"
        RUNTIME_GEN layerc::runtime-gen SOURCE_DIR "${LAYERC_RUNTIME_SOURCE_DIR}"
        INCLUDE_DIRS ${LAYERC_RUNTIME_INCLUDE_DIRS})
      target_include_directories(${runtime} SYSTEM INTERFACE ${LAYERC_RUNTIME_INCLUDE_DIRS})
    endif()
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
  target_link_libraries(${target} INTERFACE ${runtime})
endfunction()
