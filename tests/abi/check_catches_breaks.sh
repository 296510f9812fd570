#!/bin/sh
# ctest abi.check_catches_breaks: scripts/abi_check, the CI's ABI baseline check, passes additions
# and fails breaks. It builds tests/abi/demo (a miniature of claimlens.h: status enum, opaque handle,
# extensible record, functions; version script) as libabidemo.so.1 with -g, writes its baseline,
# then, one change at a time in a scratch copy of the sources, rebuilds the library and runs
# abi_check against that baseline, expecting it to pass or fail as docs/abi.md says.
# Usage: check_catches_breaks.sh PYTHON ABI_CHECK CC DEMO_DIR WORKDIR
set -eu
python=$1 abi_check=$2 cc=$3 demo=$4 work=$5
rm -rf "$work"
mkdir -p "$work"
failures=0

# build DIR: compile DIR/abidemo.c into DIR/libabidemo.so.1 with DIR/abidemo.map.
build() {
  "$cc" -std=c99 -gdwarf-4 -O2 -fPIC -fvisibility=hidden -shared -Wall -Wextra -Werror \
    -I"$1/include" -o "$1/libabidemo.so.1" "$1/abidemo.c" -Wl,-soname,libabidemo.so.1 \
    -Wl,--version-script="$1/abidemo.map"
}

# copy DIR: the demo's sources in DIR (header in DIR/include, the public headers folder).
copy() {
  mkdir -p "$1/include"
  cp "$demo/abidemo.h" "$1/include/"
  cp "$demo/abidemo.c" "$demo/abidemo.map" "$1/"
}

copy "$work/baseline"
build "$work/baseline"
"$python" "$abi_check" --write --library "$work/baseline/libabidemo.so.1" \
  --headers-dir "$work/baseline/include" --baseline "$work/baseline.xml"

# variant NAME EXPECT WHY HEADER_SED SOURCE_SED MAP_SED: EXPECT is pass or fail, WHY a text
# abi_check's output must hold (the reason, so a failure for another reason does not count); each
# sed script edits the scratch copy of one file (empty: unchanged). An edit that changes nothing
# is an error.
variant() {
  name=$1 expect=$2 why=$3
  shift 3
  dir="$work/$name"
  copy "$dir"
  sed -i -e "$1" "$dir/include/abidemo.h"
  sed -i -e "$2" "$dir/abidemo.c"
  sed -i -e "$3" "$dir/abidemo.map"
  if [ "$name" != unchanged ] && cmp -s "$demo/abidemo.h" "$dir/include/abidemo.h" &&
    cmp -s "$demo/abidemo.c" "$dir/abidemo.c" &&
    cmp -s "$demo/abidemo.map" "$dir/abidemo.map"; then
    echo "FAIL $name: the edit did not apply to the sources"
    failures=$((failures + 1))
    return
  fi
  build "$dir"
  set +e
  "$python" "$abi_check" --library "$dir/libabidemo.so.1" --headers-dir "$dir/include" \
    --baseline "$work/baseline.xml" >"$dir/abi_check.log" 2>&1
  status=$?
  set -e
  got=fail
  [ "$status" -eq 0 ] && got=pass
  if [ "$status" -gt 1 ] || [ "$got" != "$expect" ] ||
    ! grep -qF -- "$why" "$dir/abi_check.log"; then
    echo "FAIL $name: abi_check exit status $status, expected to $expect saying \"$why\":"
    sed 's/^/    /' "$dir/abi_check.log"
    failures=$((failures + 1))
  else
    echo "ok   $name: abi_check ${got}ed: $(tail -n 1 "$dir/abi_check.log")"
  fi
}

new_function='abidemo_status abidemo_version(int* major)'
variant unchanged pass "compatible with the baseline" '' '' ''
# Additions: a function in a new version node, an enumerator at the end, a record member at the
# end of the extensible record, any change behind the opaque handle.
# shellcheck disable=SC2016 # $a is sed's "append after the last line"
variant add_function pass "[A] 'function abidemo_status abidemo_version(int*)'" \
  "s/^ABIDEMO_API void abidemo_free(abidemo_model\* model);/&\nABIDEMO_API $new_function;/" \
  "\$a $new_function { *major = 1; return ABIDEMO_OK; }" \
  '$a ABIDEMO_1.1 { global: abidemo_version; } ABIDEMO_1.0;'
variant append_enumerator pass "compatible with the baseline" \
  's/^  ABIDEMO_E_IO = 2$/  ABIDEMO_E_IO = 2,\n  ABIDEMO_E_STATE = 3/' '' ''
variant append_record_member pass 'abidemo_video: like_count' \
  's/^  int verified;$/&\n  double like_count;/' '' ''
variant change_private_handle pass "compatible with the baseline" \
  '' 's/^  int trained;$/&\n  long history[4];/' ''
# Breaks.
variant change_signature fail "parameter 3 of type 'typedef size_t' changed" \
  's/const double\* x, size_t n,/const double* x, unsigned int n,/' \
  's/const double\* x, size_t n,/const double* x, unsigned int n,/' ''
variant swap_arguments fail "parameter 2 of type 'const double*' changed" \
  's/const double\* x, size_t n,/size_t n, const double* x,/' \
  's/const double\* x, size_t n,/size_t n, const double* x,/' ''
variant remove_function fail "[D] 'function void abidemo_free(abidemo_model*)'" \
  '/abidemo_free/d' '/^void abidemo_free/,/^}/d' '/abidemo_free/d'
variant add_function_to_released_node fail \
  'added to a released version node: abidemo_version@ABIDEMO_1.0' \
  "s/^ABIDEMO_API void abidemo_free(abidemo_model\* model);/&\nABIDEMO_API $new_function;/" \
  "\$a $new_function { *major = 1; return ABIDEMO_OK; }" \
  's/^    abidemo_free;$/&\n    abidemo_version;/'
variant change_enumerator_value fail "'abidemo_status::ABIDEMO_E_IO' from value '2' to '5'" \
  's/^  ABIDEMO_E_IO = 2$/  ABIDEMO_E_IO = 5/' '' ''
variant insert_record_member fail \
  "name of 'abidemo_video::verified' changed to 'abidemo_video::like_count'" \
  's/^  double duration_sec;$/&\n  double like_count;/' '' ''
variant change_record_member_type fail "type of 'int verified' changed" \
  's/^  int verified;$/  float verified;/' '' ''
variant rename_record_member fail 'renamed or removed (the layout may be the same, but callers' \
  's/^  int verified;$/  int is_verified;/' '' ''
variant rename_enumerator fail 'abidemo_status::ABIDEMO_E_IO' \
  's/ABIDEMO_E_IO/ABIDEMO_E_FILE/' 's/ABIDEMO_E_IO/ABIDEMO_E_FILE/' ''

if [ "$failures" -ne 0 ]; then
  echo "abi.check_catches_breaks: $failures case(s) wrong"
  exit 1
fi
echo "abi.check_catches_breaks: every addition passed and every break failed"
