# Runs REFERENCE and CLIENT (tests/capi/abi/abi_client.c builds); both must succeed and print the
# same results. cmake -DREFERENCE=... -DCLIENT=... -P compare_outputs.cmake
foreach(program REFERENCE CLIENT)
  execute_process(COMMAND ${${program}} RESULT_VARIABLE status OUTPUT_VARIABLE out_${program}
                  ERROR_VARIABLE err)
  if(err)
    message("${${program}} (stderr):\n${err}")
  endif()
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${${program}} failed (${status}):\n${out_${program}}")
  endif()
endforeach()
if(NOT out_REFERENCE STREQUAL out_CLIENT)
  message(FATAL_ERROR "different results:\n--- ${REFERENCE}\n${out_REFERENCE}\n--- ${CLIENT}\n"
                      "${out_CLIENT}")
endif()
string(LENGTH "${out_CLIENT}" length)
message("same ${length} bytes of results:\n${out_CLIENT}")
