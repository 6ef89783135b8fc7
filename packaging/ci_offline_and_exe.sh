#!/usr/bin/env bash
# CI proof of the two Windows install routes (README "在 Windows 上使用"), run on Linux:
#  1. offline install: build a wheelhouse as the README says (`pip download` the
#     dependencies, `pip wheel --no-deps` perfxl itself), install perfxl from it with
#     --no-index into a fresh venv, run it on samples/;
#  2. one-file executable: build packaging/perfxl.spec with PyInstaller, run the
#     executable on samples/.
# Prints how long each step took. Work files go to a temp folder, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rc=$?; [ "$rc" = 0 ] || echo "[packaging] FAILED (exit $rc)"; rm -rf "$work"' EXIT
py="${PYTHON:-python3}"
step() { echo "[packaging] $1: $(( $(date +%s) - $2 )) s"; }

# --- 1. wheelhouse and offline install
t0=$(date +%s)
# exactly the README's two commands: the dependencies as downloaded wheels, and
# perfxl itself built into a wheel
"$py" -m pip download -q --disable-pip-version-check -d "$work/wheelhouse" .
"$py" -m pip wheel -q --disable-pip-version-check --no-deps -w "$work/wheelhouse" .
step "wheelhouse built ($(ls "$work/wheelhouse" | wc -l) wheels)" "$t0"
t0=$(date +%s)
"$py" -m venv "$work/offline"
"$work/offline/bin/python" -m pip install -q --disable-pip-version-check \
  --no-index --find-links "$work/wheelhouse" perfxl
step "offline install" "$t0"
set +e
"$work/offline/bin/perfxl" run samples -o "$work/out-wheel" >"$work/wheel.log" 2>&1
rc=$?
set -e
[ "$rc" -le 1 ] || { cat "$work/wheel.log"; echo "offline-installed perfxl failed ($rc)"; exit 1; }
test -s "$work/out-wheel/汇总表.xlsx"
"$work/offline/bin/python" -m perfxl --version
echo "[packaging] offline-installed perfxl ran on samples/ (exit $rc)"

# --- 2. one-file executable (PyInstaller comes from the index: a build tool, not a dependency)
t0=$(date +%s)
"$work/offline/bin/python" -m pip install -q --disable-pip-version-check "pyinstaller>=6.3"
"$work/offline/bin/pyinstaller" --noconfirm --log-level WARN \
  --distpath "$work/dist" --workpath "$work/build" packaging/perfxl.spec
step "one-file build ($(du -h "$work/dist/perfxl" | cut -f1))" "$t0"
t0=$(date +%s)
set +e
"$work/dist/perfxl" run samples -o "$work/out-exe" >"$work/exe.log" 2>&1
rc=$?
set -e
[ "$rc" -le 1 ] || { cat "$work/exe.log"; echo "one-file perfxl failed ($rc)"; exit 1; }
test -s "$work/out-exe/汇总表.xlsx"
[ -n "$(ls -A "$work/out-exe/completed")" ]  # not `ls | grep -q`: SIGPIPE under pipefail
"$work/dist/perfxl" --version
step "one-file executable ran on samples/ (exit $rc)" "$t0"
