#!/bin/sh
# ctest install.c_example_pkgconfig: build examples/c/classify.c as a user would, with the system
# C compiler and nothing but `pkg-config --static --cflags --libs claimlens-static` from the
# install tree (claimlens-static.pc names libclaimlens.a, which -lclaimlens would not pick with
# libclaimlens.so beside it: docs/abi.md "Linking"), check the program holds the static library
# (no libclaimlens.so dependency), and run it.
# Usage: c_example_pkgconfig.sh CC PKG_CONFIG READELF PREFIX/LIBDIR SOURCE.c WORKDIR DATA.csv OPTIONS
set -eu
cc=$1 pkg_config=$2 readelf=$3 libdir=$4 source=$5 workdir=$6 data=$7 options=$8

mkdir -p "$workdir"
flags=$(PKG_CONFIG_PATH="$libdir/pkgconfig" "$pkg_config" --static --cflags --libs claimlens-static)
echo "pkg-config --static --cflags --libs claimlens-static: $flags"
# shellcheck disable=SC2086 # the flags are meant to split into words
"$cc" -std=c99 -Wall -Wextra -Wpedantic -Werror -o "$workdir/classify" "$source" $flags
if "$readelf" -d "$workdir/classify" | grep -q 'libclaimlens'; then
  echo "classify depends on libclaimlens.so: the static library was not linked" >&2
  exit 1
fi
"$workdir/classify" "$data" "$workdir/classifier.cbor" "$options"
