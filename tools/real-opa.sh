#!/usr/bin/env bash
# The real OPA Rego engine (Go, open-policy-agent/opa v1/rego) as a C library, taken from the
# PyPI wheel opa-golib-python-bindings: the oracle the policy tests compare rego-cpp with
# (tests/policies/test_differential.py, test_engines_agree.py) and the engine of the test OPA
# server. `make test` fetches it on first use through tests/policies/conftest.py.
# Its package declares Python >= 3.14, so pip will not install it on 3.11; its ctypes wrapper
# loads on 3.11 all the same, so the wheel is downloaded and unpacked instead.
# Usage: D=$(tools/real-opa.sh [DIR]); PYTHONPATH=$D python -c "from opa_bindings import OpaEngine"
# OpaEngine(): add_policy(name, rego_source), add_data(dict), eval_document("pkg.rule", input=...),
# eval_query("x := data.pkg.rule", input=...), with coverage=True / trace=True.
# OPA_BINDINGS_VERSION picks another version of the wheel (default: the one the tests ran with).
set -eu
VERSION=${OPA_BINDINGS_VERSION:-0.4.4}
D=${1:-$(dirname "$(mktemp -u)")/real-opa}
PYTHON=${PYTHON:-python3}
if [[ ! -f $D/opa_bindings/libopabridge.so ]]; then
  mkdir -p "$D/dl"
  "$PYTHON" -m pip download -q --no-deps --python-version 3.14 --only-binary=:all: \
    --platform manylinux_2_34_x86_64 -d "$D/dl" "opa-golib-python-bindings==$VERSION" >&2
  "$PYTHON" -m zipfile -e "$D"/dl/opa_golib_python_bindings-"$VERSION"-*.whl "$D"
fi
echo "$D"
