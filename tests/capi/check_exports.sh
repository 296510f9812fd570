#!/bin/sh
# ctest capi.shared_library_exports_only_c_abi (docs/abi.md, "Symbols and soname"): libclaimlens.so
# exports the functions claimlens.h declares, each under the version node capi/claimlens.map lists
# it in, and nothing else. Checks, reading `objdump -T` and `readelf -d`:
#   - the soname is libclaimlens.so.<CLAIMLENS_VERSION_MAJOR>;
#   - every defined dynamic symbol is a claimlens_* function with a default version (name@@node),
#     apart from the version nodes' own definitions;
#   - the exported functions are exactly the CLAIMLENS_API declarations of claimlens.h, each
#     under the node of the map that lists it (each name listed once);
#   - the map's newest node is CLAIMLENS_<major>.<minor> of CLAIMLENS_API_VERSION, whose major is
#     the library's and which is not newer than the library.
# Usage: check_exports.sh OBJDUMP READELF LIBRARY CLAIMLENS_H CLAIMLENS_MAP WORKDIR
set -eu
objdump=$1 readelf=$2 library=$3 header=$4 map=$5 work=$6
mkdir -p "$work"
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# The functions the header declares: preprocessor lines and comments dropped, one declaration per
# line, the identifier before the first parenthesis of each CLAIMLENS_API one.
sed -e '/^[[:space:]]*#/d' -e 's://.*$::' "$header" | tr '\n' ' ' |
  sed -e 's:/\*[^*]*\*\+\([^/*][^*]*\*\+\)*/: :g' -e 's/CLAIMLENS_DEPRECATED *("[^"]*")//g' |
  tr ';' '\n' | grep 'CLAIMLENS_API' | sed -e 's/(.*//' | awk '{print $NF}' | sed 's/^\**//' |
  sort >"$work/declared"

# The map's "name node" pairs, comments dropped (nodes: NAME { global: a; b; local: *; } PARENT;).
tr '\n' ' ' <"$map" | sed -e 's:/\*[^*]*\*\+\([^/*][^*]*\*\+\)*/: :g' |
  awk '{
    n = split($0, t, /[ \t;]+/)
    for (i = 1; i <= n; ++i) {
      if (t[i] == "") continue
      if (t[i + 1] == "{") { node = t[i]; nodes[++count] = node; i++; continue }
      if (t[i] == "global:" || t[i] == "local:") { scope = t[i]; continue }
      if (t[i] ~ /^}/) { node = ""; scope = ""; continue }
      if (node != "" && scope == "global:") print t[i], node
    }
  }' | sort >"$work/listed"
cut -d' ' -f1 "$work/listed" | uniq -d >"$work/listed_twice"
[ -s "$work/listed_twice" ] && fail "listed more than once in $map: $(cat "$work/listed_twice")"

# The defined dynamic symbols as "name version" (objdump -T: address, flags, section, size,
# version, name; a version in parentheses is a hidden, non-default one).
"$objdump" -T "$library" |
  sed -n 's/^[0-9a-f]\{8,16\} .\{7\} \([^[:space:]]*\)[[:space:]]\{1,\}[0-9a-f]\{1,\}/\1/p' |
  awk '$1 != "*UND*" { if (NF == 3) print $3, $2; else print $2, "(none)" }' |
  sort >"$work/exported"
echo "objdump -T $library: $(wc -l <"$work/exported") defined dynamic symbols"

# The version nodes define themselves as absolute symbols (name = node).
awk '{print $2}' "$work/listed" | sort -u >"$work/nodes"
while read -r name version; do
  case $name in
  claimlens_*)
    if ! grep -qx "$name $version" "$work/listed"; then
      fail "$name is exported with version $version, but $map lists it as:" \
        "$(grep "^$name " "$work/listed" || echo 'nothing')"
    fi
    ;;
  *)
    if [ "$name" != "$version" ] || ! grep -qx "$name" "$work/nodes"; then
      fail "exported but not part of the C ABI: $name ($version)"
    fi
    ;;
  esac
done <"$work/exported"

grep '^claimlens_' "$work/exported" | cut -d' ' -f1 >"$work/exported_names"
comm -23 "$work/declared" "$work/exported_names" >"$work/missing"
comm -13 "$work/declared" "$work/exported_names" >"$work/undeclared"
[ -s "$work/missing" ] && fail "declared in claimlens.h but not exported (list them in $map):" \
  "$(cat "$work/missing")"
[ -s "$work/undeclared" ] &&
  fail "exported but not declared in claimlens.h: $(cat "$work/undeclared")"
cut -d' ' -f1 "$work/listed" | comm -13 "$work/declared" - >"$work/stale"
[ -s "$work/stale" ] && fail "listed in $map but not declared in claimlens.h: $(cat "$work/stale")"

# The soname and the API version.
major=$(sed -n 's/^#define CLAIMLENS_VERSION_MAJOR \([0-9]*\)$/\1/p' "$header")
minor=$(sed -n 's/^#define CLAIMLENS_VERSION_MINOR \([0-9]*\)$/\1/p' "$header")
soname=$("$readelf" -d "$library" | sed -n 's/^.*(SONAME).*\[\(.*\)\]$/\1/p')
[ "$soname" = "libclaimlens.so.$major" ] || fail "soname $soname, expected libclaimlens.so.$major"
api=$(sed -n 's/^#define CLAIMLENS_API_VERSION CLAIMLENS_MAKE_API_VERSION(\([0-9]*\), *\([0-9]*\))$/\1.\2/p' \
  "$header")
newest=$(sed 's/^CLAIMLENS_//' "$work/nodes" | sort -t. -k1,1n -k2,2n | tail -n 1)
[ "CLAIMLENS_$api" = "CLAIMLENS_$newest" ] ||
  fail "CLAIMLENS_API_VERSION is $api but the newest node of $map is CLAIMLENS_$newest"
api_major=${api%.*} api_minor=${api#*.}
if [ "$api_major" != "$major" ] || [ "$api_minor" -gt "$minor" ]; then
  fail "CLAIMLENS_API_VERSION $api does not belong to library version $major.$minor"
fi

if [ "$failures" -ne 0 ]; then
  exit 1
fi
echo "ok: $(wc -l <"$work/exported_names") claimlens_* functions exported, as claimlens.h" \
  "declares, under $(tr '\n' ' ' <"$work/nodes")(API $api, soname $soname); nothing else"
