# ctest install.tree: cmake --install BUILD_DIR into a fresh PREFIX, then check that every file a
# user needs is there and that the installed package files point nowhere outside the prefix.
# cmake -DBUILD_DIR=... -DPREFIX=... -DSOURCE_DIR=... -DLIBDIR=lib -DINCLUDEDIR=include
#       -DVERSION=x.y.z -DPYTHONDIR=lib/python3/dist-packages -P install_tree.cmake
foreach(var BUILD_DIR PREFIX SOURCE_DIR LIBDIR INCLUDEDIR VERSION PYTHONDIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "install_tree.cmake: -D${var}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX}
  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${result}):\n${output}")
endif()

string(REGEX MATCH "^[0-9]+" major ${VERSION})
set(expected
  ${INCLUDEDIR}/claimlens.h
  ${INCLUDEDIR}/claimlens/version.hpp
  ${LIBDIR}/libclaimlens.a
  ${LIBDIR}/libclaimlens.so
  ${LIBDIR}/libclaimlens.so.${major}
  ${LIBDIR}/libclaimlens.so.${VERSION}
  ${LIBDIR}/cmake/claimlens/claimlens-config.cmake
  ${LIBDIR}/cmake/claimlens/claimlens-config-version.cmake
  ${LIBDIR}/cmake/claimlens/claimlensSharedTargets.cmake
  ${LIBDIR}/cmake/claimlens/claimlensStaticTargets.cmake
  ${LIBDIR}/pkgconfig/claimlens.pc
  ${LIBDIR}/pkgconfig/claimlens-static.pc
  ${PYTHONDIR}/claimlens/_libpath.py
  ${PYTHONDIR}/claimlens/_version.py)
# Every module of the Python package.
file(GLOB modules RELATIVE ${SOURCE_DIR}/capi/python ${SOURCE_DIR}/capi/python/claimlens/*.py)
foreach(module ${modules})
  list(APPEND expected ${PYTHONDIR}/${module})
endforeach()
# Every public C++ header of the source tree.
file(GLOB_RECURSE headers RELATIVE ${SOURCE_DIR}/include ${SOURCE_DIR}/include/claimlens/*.hpp)
foreach(header ${headers})
  list(APPEND expected ${INCLUDEDIR}/${header})
endforeach()
set(missing "")
foreach(file ${expected})
  if(NOT EXISTS ${PREFIX}/${file})
    list(APPEND missing ${file})
  endif()
endforeach()
if(missing)
  message(FATAL_ERROR "not installed under ${PREFIX}: ${missing}")
endif()

# The version headers are configured from project(VERSION): both installed ones carry VERSION.
string(REPLACE "." ";" parts ${VERSION})
list(GET parts 0 major)
list(GET parts 1 minor)
list(GET parts 2 patch)
foreach(header claimlens.h claimlens/version.hpp)
  file(STRINGS ${PREFIX}/${INCLUDEDIR}/${header} lines REGEX "^#define CLAIMLENS_VERSION_")
  foreach(want "MAJOR ${major}" "MINOR ${minor}" "PATCH ${patch}")
    list(FIND lines "#define CLAIMLENS_VERSION_${want}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "${header} installed without #define CLAIMLENS_VERSION_${want}: ${lines}")
    endif()
  endforeach()
endforeach()

# Both .pc files carry VERSION (project(VERSION)).
foreach(pc claimlens claimlens-static)
  file(STRINGS ${PREFIX}/${LIBDIR}/pkgconfig/${pc}.pc lines REGEX "^Version:")
  if(NOT lines STREQUAL "Version: ${VERSION}")
    message(FATAL_ERROR "${pc}.pc installed with '${lines}', expected 'Version: ${VERSION}'")
  endif()
endforeach()

# The shared library's targets file names no dependency: a C program needs only libclaimlens.so.
file(READ ${PREFIX}/${LIBDIR}/cmake/claimlens/claimlensSharedTargets.cmake text)
foreach(dependency Eigen3:: Boost:: nlohmann_json:: OpenMP:: Threads:: "STATIC IMPORTED")
  string(FIND "${text}" "${dependency}" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "claimlensSharedTargets.cmake mentions ${dependency}")
  endif()
endforeach()

# Relocatable package files: no build-tree, source-tree or install-prefix paths, no internal
# targets (the per-module OBJECT libraries the archive is made of, the warnings flags).
file(GLOB package_files ${PREFIX}/${LIBDIR}/cmake/claimlens/*.cmake ${PREFIX}/${LIBDIR}/pkgconfig/*.pc
  ${PREFIX}/${PYTHONDIR}/claimlens/*.py)
foreach(file ${package_files})
  file(READ ${file} text)
  foreach(bad ${BUILD_DIR} ${SOURCE_DIR} ${PREFIX} claimlens_core claimlens_capi claimlens_warnings)
    string(FIND "${text}" "${bad}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "${file} mentions ${bad}")
    endif()
  endforeach()
endforeach()
list(LENGTH expected count)
message(STATUS "install.tree: ${count} files installed under ${PREFIX}, package files relocatable")
