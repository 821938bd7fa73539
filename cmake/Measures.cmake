# The single list of measures is rules/measures.def (an X-macro read by the C
# registry too). From it the build takes each measure's C file and parameter
# file, and embeds the parameter files into libkofu so that `kofu` works from
# any directory.
# A new line in measures.def must re-run this list, not just rebuild.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/rules/measures.def)
file(STRINGS ${PROJECT_SOURCE_DIR}/rules/measures.def KOFU_MEASURE_LINES REGEX "^KOFU_MEASURE\\(")
set(KOFU_MEASURE_SOURCES "")
set(KOFU_RULES_FILES "")
set(KOFU_MEASURE_NAMES "")
foreach(line ${KOFU_MEASURE_LINES})
  string(REGEX REPLACE "^KOFU_MEASURE\\(([a-z_]+)\\).*" "\\1" name "${line}")
  foreach(ext c params)
    if(NOT EXISTS ${PROJECT_SOURCE_DIR}/rules/${name}.${ext})
      message(FATAL_ERROR "rules/measures.def lists '${name}' but rules/${name}.${ext} is missing")
    endif()
  endforeach()
  list(APPEND KOFU_MEASURE_NAMES ${name})
  list(APPEND KOFU_MEASURE_SOURCES ${PROJECT_SOURCE_DIR}/rules/${name}.c)
  list(APPEND KOFU_RULES_FILES ${PROJECT_SOURCE_DIR}/rules/${name}.params)
endforeach()
# The bibliography every rule file and formula cites (engine/sources.h).
list(APPEND KOFU_RULES_FILES ${PROJECT_SOURCE_DIR}/rules/sources.params)
file(GLOB KOFU_RULES_SHARED_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/rules/shared_*.c)
list(APPEND KOFU_MEASURE_SOURCES ${KOFU_RULES_SHARED_SOURCES})

set(KOFU_RULES_EMBED_C ${PROJECT_BINARY_DIR}/generated/rules_embedded.c)
add_custom_command(
  OUTPUT ${KOFU_RULES_EMBED_C}
  COMMAND ${CMAKE_COMMAND} -DOUT=${KOFU_RULES_EMBED_C} "-DFILES=${KOFU_RULES_FILES}"
          -P ${PROJECT_SOURCE_DIR}/cmake/EmbedRules.cmake
  DEPENDS ${KOFU_RULES_FILES} ${PROJECT_SOURCE_DIR}/cmake/EmbedRules.cmake
          ${PROJECT_SOURCE_DIR}/rules/measures.def
  COMMENT "Embedding rule data (rules/*.params)"
  VERBATIM) # keeps the ';' of the FILES list away from the shell

# The same files as the INI reader reads them, frozen into C data by a program
# built from the reader itself (cmake/freeze_rules.c): loading the built-in
# rules then reads no INI text (engine/rules_frozen.h).
add_executable(kofu_freeze_rules ${PROJECT_SOURCE_DIR}/cmake/freeze_rules.c
  ${PROJECT_SOURCE_DIR}/engine/inifile.c ${PROJECT_SOURCE_DIR}/engine/ini_scan.c
  ${PROJECT_SOURCE_DIR}/engine/ini_bridge.c ${PROJECT_SOURCE_DIR}/engine/ini_utf8.c
  ${PROJECT_SOURCE_DIR}/engine/utf8.c
  ${PROJECT_SOURCE_DIR}/engine/diag.c ${PROJECT_SOURCE_DIR}/engine/util.c
  ${PROJECT_SOURCE_DIR}/engine/sha256.c)
target_include_directories(kofu_freeze_rules PRIVATE ${PROJECT_SOURCE_DIR}/engine ${PROJECT_SOURCE_DIR}/include)
target_link_libraries(kofu_freeze_rules PRIVATE kofu::iniparser)
set(KOFU_RULES_FROZEN_C ${PROJECT_BINARY_DIR}/generated/rules_frozen.c)
add_custom_command(
  OUTPUT ${KOFU_RULES_FROZEN_C}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/generated
  COMMAND kofu_freeze_rules ${KOFU_RULES_FROZEN_C} ${KOFU_RULES_FILES}
  DEPENDS kofu_freeze_rules ${KOFU_RULES_FILES} ${PROJECT_SOURCE_DIR}/rules/measures.def
  COMMENT "Freezing the rule data as the INI reader reads it"
  VERBATIM)
