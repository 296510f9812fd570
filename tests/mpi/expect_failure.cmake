# A distributed run that must fail cleanly: a nonzero exit within TIMEOUT seconds, output matching
# EXPECT (a regex), and no file at OUT (no model, no half-written file).
#   cmake -DCOMMAND="mpirun;...;--out;path" -DEXPECT=regex -DOUT=path -DTIMEOUT=s -P expect_failure.cmake
file(REMOVE ${OUT} ${OUT}.tmp)
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err
  TIMEOUT ${TIMEOUT})
message("${out}${err}")
if(status EQUAL 0)
  message(FATAL_ERROR "the run succeeded; it should have failed")
endif()
if(status MATCHES "timeout")
  message(FATAL_ERROR "the run did not end within ${TIMEOUT} s (a hang)")
endif()
if(NOT "${out}${err}" MATCHES "${EXPECT}")
  message(FATAL_ERROR "the output does not match '${EXPECT}'")
endif()
if(EXISTS ${OUT} OR EXISTS ${OUT}.tmp)
  message(FATAL_ERROR "${OUT} was written")
endif()
