#!/bin/sh
# Runs one golden case: CASE.args holds the arguments (one line), CASE.out the expected stdout and
# exit status. Usage: run_golden.sh BINARY CASE_DIR CASE [--update]
set -u
binary=$1; dir=$2; name=$3
args=$(cat "$dir/$name.args")
XDG_CACHE_HOME=$(mktemp -d); export XDG_CACHE_HOME
actual=$(cd "$dir" && eval "\"$binary\" $args" 2>/dev/null; echo "exit status: $?")
rm -rf "$XDG_CACHE_HOME"
if [ "${4:-}" = "--update" ] || [ "${AIRGUARD_UPDATE_GOLDEN:-}" = "1" ]; then printf '%s\n' "$actual" > "$dir/$name.out"; exit 0; fi
printf '%s\n' "$actual" | diff -u "$dir/$name.out" - || { echo "golden mismatch: $name (rerun with --update to accept)"; exit 1; }
