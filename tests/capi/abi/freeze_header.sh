#!/bin/sh
# Writes tests/capi/abi/claimlens_1_0.h.in: capi/claimlens.h.in as it is at a git revision (the
# 1.0 release), the header abi_client.c is compiled against forever after. Run it once, at the
# release of 1.0, from the repository root: tests/capi/abi/freeze_header.sh [REVISION]
set -eu
revision=${1:-HEAD}
git show "$revision:capi/claimlens.h.in" > tests/capi/abi/claimlens_1_0.h.in
echo "tests/capi/abi/claimlens_1_0.h.in: capi/claimlens.h.in at $(git rev-parse --short "$revision")"
