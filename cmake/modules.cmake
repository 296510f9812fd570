# One object library per module of cmake/modules.txt (lowest first): claimlens_<module>, made of
# src/<module>/*.cpp (core: src/*.cpp) and linked to the modules that line lists, so each module
# compiles with the usage requirements of what it declares it uses. A module with no sources yet
# (headers only, or a folder still to be filled) is an INTERFACE library with the same links.
# CLAIMLENS_MODULE_OBJECTS collects $<TARGET_OBJECTS:...> of every object library, for the static
# and the shared library. claimlens_core carries the include directories and third-party deps.
# A module marked [separate] (mpi: the MPI transport) is not part of libclaimlens: it becomes a
# static library claimlens_<module> of its own, built only when CLAIMLENS_WITH_<MODULE> is on, so
# the library's users never link what it needs (Open MPI).
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/cmake/modules.txt)
file(STRINGS ${PROJECT_SOURCE_DIR}/cmake/modules.txt claimlens_module_lines)
set(CLAIMLENS_MODULES "")
set(CLAIMLENS_SEPARATE_MODULES "")
set(CLAIMLENS_MODULE_OBJECTS "")
foreach(line IN LISTS claimlens_module_lines)
  if(line MATCHES "^[ \t]*(#|$)")
    continue()
  endif()
  if(NOT line MATCHES "^([a-z_]+):([a-z_ \t]*)(\\[separate\\])?[ \t]*$")
    message(FATAL_ERROR "cmake/modules.txt: '${line}' is not 'module: modules it uses'")
  endif()
  set(module ${CMAKE_MATCH_1})
  set(separate "${CMAKE_MATCH_3}")
  string(REGEX MATCHALL "[a-z_]+" deps "${CMAKE_MATCH_2}")
  foreach(dep IN LISTS deps)
    if(NOT dep IN_LIST CLAIMLENS_MODULES)
      message(FATAL_ERROR "cmake/modules.txt: ${module} uses ${dep}, which is not listed before it")
    endif()
  endforeach()
  if(module STREQUAL "core")
    file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/*.cpp)
  else()
    file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${module}/*.cpp)
  endif()
  list(TRANSFORM deps PREPEND claimlens_)
  if(separate)
    string(TOUPPER ${module} upper)
    if(CLAIMLENS_WITH_${upper})
      # Installed with its own export set: it links the whole libclaimlens (which holds the
      # modules it uses) and takes the warning flags as options, not as a target to export.
      add_library(claimlens_${module} STATIC ${sources})
      target_link_libraries(claimlens_${module} PUBLIC claimlens)
      target_compile_options(claimlens_${module} PRIVATE
        $<TARGET_PROPERTY:claimlens_warnings,INTERFACE_COMPILE_OPTIONS>)
    endif()
    list(APPEND CLAIMLENS_SEPARATE_MODULES ${module})
    continue()
  endif()
  if(sources)
    add_library(claimlens_${module} OBJECT ${sources})
    target_link_libraries(claimlens_${module} PUBLIC ${deps} PRIVATE claimlens_warnings)
    list(APPEND CLAIMLENS_MODULE_OBJECTS $<TARGET_OBJECTS:claimlens_${module}>)
  else()
    add_library(claimlens_${module} INTERFACE)
    target_link_libraries(claimlens_${module} INTERFACE ${deps})
  endif()
  list(APPEND CLAIMLENS_MODULES ${module})
endforeach()

# Every folder of src/ and include/claimlens/ is a listed module: a new one goes into modules.txt.
file(GLOB claimlens_module_dirs LIST_DIRECTORIES true
  ${PROJECT_SOURCE_DIR}/src/* ${PROJECT_SOURCE_DIR}/include/claimlens/*)
foreach(dir IN LISTS claimlens_module_dirs)
  get_filename_component(name ${dir} NAME)
  if(IS_DIRECTORY ${dir} AND NOT name IN_LIST CLAIMLENS_MODULES
     AND NOT name IN_LIST CLAIMLENS_SEPARATE_MODULES)
    message(FATAL_ERROR "${dir} is not a module of cmake/modules.txt")
  endif()
endforeach()
