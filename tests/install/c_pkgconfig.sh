#!/bin/sh
# ctest install.c_pkgconfig: claimlens.pc follows the pkg-config convention (docs/abi.md,
# "Linking").
# With the system C compiler and the install tree's pkg-config data only, it builds the C program
# tests/install/consumer/consumer_shared.c twice and runs both:
#   cc $(pkg-config --cflags --libs claimlens)                 links libclaimlens.so.1: the program
#                                                              needs the soname and no C++ runtime;
#   cc -static $(pkg-config --static --cflags --libs claimlens) links libclaimlens.a and the
#                                                              system libraries of Libs.private.
# It also checks the .pc's version. The shared program finds the library through LD_LIBRARY_PATH,
# as a prefix outside the linker's search path needs.
# Usage: c_pkgconfig.sh CC PKG_CONFIG READELF PREFIX/LIBDIR CONSUMER_DIR WORKDIR VERSION
set -eu
cc=$1 pkg_config=$2 readelf=$3 libdir=$4 consumer=$5 workdir=$6 version=$7
export PKG_CONFIG_PATH="$libdir/pkgconfig"
mkdir -p "$workdir"
fail() {
  echo "$*" >&2
  exit 1
}
needed() { "$readelf" -d "$1" | sed -n 's/^.*(NEEDED).*\[\(.*\)\]$/\1/p' | tr '\n' ' '; }

got=$("$pkg_config" --modversion claimlens)
[ "$got" = "$version" ] || fail "claimlens.pc has version $got, expected $version"

flags=$("$pkg_config" --cflags --libs claimlens)
echo "pkg-config --cflags --libs claimlens: $flags"
case " $flags " in *libclaimlens.a* | *-lstdc++*) fail "--libs names the archive or libstdc++" ;; esac
# shellcheck disable=SC2086 # the flags are meant to split into words
"$cc" -std=c99 -Wall -Wextra -Wpedantic -Werror -I"$consumer" -o "$workdir/consumer_shared" \
  "$consumer/consumer_shared.c" $flags
echo "consumer_shared needs: $(needed "$workdir/consumer_shared")"
case " $(needed "$workdir/consumer_shared") " in
*" libclaimlens.so.${version%%.*} "*) ;;
*) fail "consumer_shared does not need libclaimlens.so.${version%%.*}" ;;
esac
case " $(needed "$workdir/consumer_shared") " in *libstdc++*) fail "it needs libstdc++ itself" ;; esac
LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$workdir/consumer_shared"

flags=$("$pkg_config" --static --cflags --libs claimlens)
echo "pkg-config --static --cflags --libs claimlens: $flags"
case " $flags " in *" -lstdc++ "*) ;; *) fail "--static lacks Libs.private's -lstdc++" ;; esac
# shellcheck disable=SC2086
"$cc" -static -std=c99 -Wall -Wextra -Wpedantic -Werror -I"$consumer" \
  -o "$workdir/consumer_static" "$consumer/consumer_shared.c" $flags 2>"$workdir/static_link.log" || {
  cat "$workdir/static_link.log" >&2
  fail "the fully static link failed"
}
static_needs=$(needed "$workdir/consumer_static")
[ -z "$static_needs" ] || fail "consumer_static is not fully static: it needs $static_needs"
"$workdir/consumer_static"
