# The shards of the CLI's distributed training tests: five `claimlens synth --shape noisy` files of
# 6,000 rows (rows 0-29,999 of one data set) in DIR/good, and in DIR/bad the same with a ragged
# row on line 17 of part-3.csv.   cmake -DCLI=claimlens -DDIR=dir -P make_shards.cmake
file(REMOVE_RECURSE ${DIR}/good ${DIR}/bad)
file(MAKE_DIRECTORY ${DIR}/good ${DIR}/bad)
foreach(k 0 1 2 3 4)
  math(EXPR first "${k} * 6000")
  execute_process(COMMAND ${CLI} synth --shape noisy --rows 6000 --first-row ${first}
    --out ${DIR}/good/part-${k}.csv RESULT_VARIABLE status OUTPUT_QUIET)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "claimlens synth failed: ${status}")
  endif()
  file(COPY ${DIR}/good/part-${k}.csv DESTINATION ${DIR}/bad)
endforeach()
file(STRINGS ${DIR}/good/part-3.csv lines)
list(GET lines 16 line)
list(REMOVE_AT lines 16)
list(INSERT lines 16 "${line},extra")
list(JOIN lines "\n" text)
file(WRITE ${DIR}/bad/part-3.csv "${text}\n")
