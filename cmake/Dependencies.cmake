# Finds the Debian packages kofu builds on, and says which package to install
# when one is missing (scripts/install-deps.sh installs them all).
find_package(PkgConfig QUIET)

function(kofu_require_header_and_lib target header lib package)
  find_path(${target}_INCLUDE_DIR ${header} PATH_SUFFIXES iniparser)
  find_library(${target}_LIBRARY ${lib})
  if(NOT ${target}_INCLUDE_DIR OR NOT ${target}_LIBRARY)
    message(FATAL_ERROR "kofu needs ${header} and lib${lib}: install the Debian package "
                        "'${package}' (apt-get install ${package}), or run scripts/install-deps.sh")
  endif()
  add_library(kofu::${target} INTERFACE IMPORTED GLOBAL)
  set_target_properties(kofu::${target} PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${${target}_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${${target}_LIBRARY}")
endfunction()

kofu_require_header_and_lib(gmp gmp.h gmp libgmp-dev)
kofu_require_header_and_lib(mpfr mpfr.h mpfr libmpfr-dev)
# Debian ships no pkg-config file for iniparser; its header is in /usr/include/iniparser/.
kofu_require_header_and_lib(iniparser iniparser.h iniparser libiniparser-dev)
kofu_require_header_and_lib(cjson cjson/cJSON.h cjson libcjson-dev)
# Spreadsheets: xlsx out, xlsx in (a zip of XML parts); the local web server.
kofu_require_header_and_lib(xlsxwriter xlsxwriter.h xlsxwriter libxlsxwriter-dev)
kofu_require_header_and_lib(minizip minizip/unzip.h minizip libminizip-dev)
kofu_require_header_and_lib(expat expat.h expat libexpat1-dev)
kofu_require_header_and_lib(microhttpd microhttpd.h microhttpd libmicrohttpd-dev)

if(KOFU_BUILD_TESTS)
  if(NOT PKG_CONFIG_FOUND)
    message(FATAL_ERROR "kofu's tests need pkg-config: apt-get install pkg-config "
                        "(or configure with -DKOFU_BUILD_TESTS=OFF)")
  endif()
  pkg_check_modules(CRITERION criterion)
  if(NOT CRITERION_FOUND)
    message(FATAL_ERROR "kofu's tests need Criterion: apt-get install libcriterion-dev "
                        "(or configure with -DKOFU_BUILD_TESTS=OFF)")
  endif()
endif()
