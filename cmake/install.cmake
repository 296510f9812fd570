# cmake --install: headers, libclaimlens.a and libclaimlens.so*, the CMake package
# (find_package(claimlens CONFIG) -> claimlens::claimlens, claimlens::claimlens_shared) and
# claimlens.pc. Everything installed is relocatable: paths are relative to the install prefix.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(CLAIMLENS_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/claimlens CACHE STRING
    "Where claimlens-config.cmake is installed, relative to the prefix")

# The C++ headers need C++17; consumers of the installed package get it from the target.
target_compile_features(claimlens INTERFACE cxx_std_17)
# C callers of the shared library include claimlens.h from the install prefix too.
target_include_directories(claimlens_shared INTERFACE
  $<BUILD_INTERFACE:${CLAIMLENS_GENERATED_INCLUDE}>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)

install(TARGETS claimlens claimlens_shared EXPORT claimlensTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime
          NAMELINK_COMPONENT development
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/claimlens
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT development
  FILES_MATCHING PATTERN "*.hpp")
# The headers configured from project(VERSION) (CMakeLists.txt), from the build tree.
install(FILES ${CLAIMLENS_GENERATED_INCLUDE}/claimlens.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT development)
install(FILES ${CLAIMLENS_GENERATED_INCLUDE}/claimlens/version.hpp
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/claimlens COMPONENT development)
install(FILES ${PROJECT_SOURCE_DIR}/docs/classifier-report.md ${PROJECT_SOURCE_DIR}/docs/model-format.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT development)

install(EXPORT claimlensTargets NAMESPACE claimlens::
  FILE claimlensTargets.cmake
  DESTINATION ${CLAIMLENS_INSTALL_CMAKEDIR} COMPONENT development)

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/claimlens-config.cmake.in
  ${PROJECT_BINARY_DIR}/claimlens-config.cmake
  INSTALL_DESTINATION ${CLAIMLENS_INSTALL_CMAKEDIR})
# 0.x: a minor release may change the C++ API, so only the same major.minor is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/claimlens-config-version.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/claimlens-config.cmake
              ${PROJECT_BINARY_DIR}/claimlens-config-version.cmake
  DESTINATION ${CLAIMLENS_INSTALL_CMAKEDIR} COMPONENT development)

# pkg-config describes the static library, the primary artefact. Libs names the archive itself
# (-l:libclaimlens.a) because with libclaimlens.so beside it a plain -lclaimlens would make the
# linker pick the shared one. Libs.private lists what the archive's objects need from the system:
# the C++ runtime, OpenMP's runtime (whatever FindOpenMP found), threads and libm.
set(CLAIMLENS_PC_LIBS_PRIVATE -lstdc++)
foreach(lib IN LISTS OpenMP_CXX_LIB_NAMES)
  list(APPEND CLAIMLENS_PC_LIBS_PRIVATE -l${lib})
endforeach()
if(CMAKE_THREAD_LIBS_INIT)
  list(APPEND CLAIMLENS_PC_LIBS_PRIVATE ${CMAKE_THREAD_LIBS_INIT})
endif()
list(APPEND CLAIMLENS_PC_LIBS_PRIVATE -lm)
list(REMOVE_DUPLICATES CLAIMLENS_PC_LIBS_PRIVATE)
list(JOIN CLAIMLENS_PC_LIBS_PRIVATE " " CLAIMLENS_PC_LIBS_PRIVATE)
# The .pc file finds the prefix from its own location, so a moved install tree still works.
file(RELATIVE_PATH CLAIMLENS_PC_TO_PREFIX ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" CLAIMLENS_PC_TO_PREFIX "${CLAIMLENS_PC_TO_PREFIX}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/claimlens.pc.in ${PROJECT_BINARY_DIR}/claimlens.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/claimlens.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT development)
