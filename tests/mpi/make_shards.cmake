# The shards of the CLI's distributed training tests: five `claimlens synth --shape noisy` files of
# 6,000 rows (rows 0-29,999 of one data set) in DIR/good, and in DIR/bad the same with a ragged
# row on line 17 of part-3.csv; DIR/one/all.csv holds the same 30,000 rows in one file (which the
# ranks split by bytes), and DIR/bad/all.csv the same with a ragged row on line 25,017.
#   cmake -DCLI=claimlens -DDIR=dir -P make_shards.cmake
file(REMOVE_RECURSE ${DIR}/good ${DIR}/bad ${DIR}/one)
file(MAKE_DIRECTORY ${DIR}/good ${DIR}/bad ${DIR}/one)
foreach(k 0 1 2 3 4)
  math(EXPR first "${k} * 6000")
  execute_process(COMMAND ${CLI} synth --shape noisy --rows 6000 --first-row ${first}
    --out ${DIR}/good/part-${k}.csv RESULT_VARIABLE status OUTPUT_QUIET)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "claimlens synth failed: ${status}")
  endif()
  file(COPY ${DIR}/good/part-${k}.csv DESTINATION ${DIR}/bad)
endforeach()
execute_process(COMMAND ${CLI} synth --shape noisy --rows 30000 --out ${DIR}/one/all.csv
  RESULT_VARIABLE status OUTPUT_QUIET)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "claimlens synth failed: ${status}")
endif()

# FILE with its line LINE (1-based) given an extra field, written to OUT.
function(ragged_copy file line out)
  file(STRINGS ${file} lines)
  math(EXPR at "${line} - 1")
  list(GET lines ${at} text)
  list(REMOVE_AT lines ${at})
  list(INSERT lines ${at} "${text},extra")
  list(JOIN lines "\n" text)
  file(WRITE ${out} "${text}\n")
endfunction()
ragged_copy(${DIR}/good/part-3.csv 17 ${DIR}/bad/part-3.csv)
ragged_copy(${DIR}/one/all.csv 25017 ${DIR}/bad/all.csv)
