# cmake --install: headers, libclaimlens.a and libclaimlens.so*, the CMake package and the
# pkg-config files. Everything installed is relocatable: paths are relative to the install prefix.
#   find_package(claimlens CONFIG)  claimlens::claimlens (static, C++ and C) and
#                                   claimlens::claimlens_shared (libclaimlens.so.1, C only); the two
#                                   are separate export sets and the components static and shared,
#                                   so a C-only project gets the shared one without the C++ deps
#   claimlens.pc                    --libs: libclaimlens.so; --static: the C++ runtime libraries
#                                   in Libs.private, for fully static links (cc -static)
#   claimlens-static.pc             libclaimlens.a in an otherwise dynamic program
# docs/abi.md ("Linking") describes the choice.
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

# Two export sets: the shared library's targets file names no dependency (its OpenMP and threads
# are private, resolved by libclaimlens.so.1 itself), the static one's needs Eigen, Boost.Math,
# nlohmann_json, OpenMP and threads (claimlens-config.cmake finds them only for it).
install(TARGETS claimlens EXPORT claimlensStaticTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development)
install(TARGETS claimlens_shared EXPORT claimlensSharedTargets
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
install(FILES ${PROJECT_SOURCE_DIR}/docs/abi.md ${PROJECT_SOURCE_DIR}/docs/classifier-report.md
              ${PROJECT_SOURCE_DIR}/docs/model-format.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT development)

set(claimlens_export_kinds Static Shared)
# Distributed training's transport (claimlens_mpi, when built with Open MPI): component mpi.
if(TARGET claimlens_mpi)
  install(TARGETS claimlens_mpi EXPORT claimlensMpiTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development)
  list(APPEND claimlens_export_kinds Mpi)
endif()
foreach(kind IN LISTS claimlens_export_kinds)
  install(EXPORT claimlens${kind}Targets NAMESPACE claimlens::
    FILE claimlens${kind}Targets.cmake
    DESTINATION ${CLAIMLENS_INSTALL_CMAKEDIR} COMPONENT development)
endforeach()

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/claimlens-config.cmake.in
  ${PROJECT_BINARY_DIR}/claimlens-config.cmake
  INSTALL_DESTINATION ${CLAIMLENS_INSTALL_CMAKEDIR})
# The C ABI keeps its promises within a major version (docs/abi.md): 1.x satisfies a request for 1.0.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/claimlens-config-version.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/claimlens-config.cmake
              ${PROJECT_BINARY_DIR}/claimlens-config-version.cmake
  DESTINATION ${CLAIMLENS_INSTALL_CMAKEDIR} COMPONENT development)

# pkg-config, as the convention goes (pkg-config(1), --static): `--libs claimlens` gives
# -lclaimlens, which links libclaimlens.so.1 (C only, it resolves its own C++ and OpenMP runtime);
# Libs.private lists what the archive's objects need from the system (the C++ runtime, OpenMP's
# runtime as FindOpenMP found it, threads, libm), which `--static` adds for a fully static link
# (cc -static), where -lclaimlens finds libclaimlens.a. With libclaimlens.so beside the archive,
# -lclaimlens always picks the shared library otherwise, so claimlens-static.pc names the archive
# itself (-l:libclaimlens.a) for a program that links claimlens statically and the rest
# dynamically: `pkg-config --static --libs claimlens-static`.
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
# The .pc files find the prefix from their own location, so a moved install tree still works.
file(RELATIVE_PATH CLAIMLENS_PC_TO_PREFIX ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" CLAIMLENS_PC_TO_PREFIX "${CLAIMLENS_PC_TO_PREFIX}")
foreach(pc claimlens claimlens-static)
  configure_file(${CMAKE_CURRENT_LIST_DIR}/${pc}.pc.in ${PROJECT_BINARY_DIR}/${pc}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/${pc}.pc
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT development)
endforeach()
