#!/bin/sh
# Scans every Helm values file of the shared corpus; fails on a crash (exit status above 3 or a
# signal) and prints a table of the checks that fired per file.
shared="${AIRGUARD_SHARED_DIR:-$AIRGUARD_SHARED_DIR_DEFAULT}"
found=0
status=0
for dir in "$shared/corpus/helm-official" "$shared/corpus/helm-community"; do
  [ -d "$dir" ] || continue
  for file in "$dir"/*; do
    [ -f "$file" ] || continue
    found=1
    out=$("$AIRGUARD" scan --helm-values "$file" --format json --no-advisories --deterministic 2>/tmp/airguard-corpus-err.$$)
    code=$?
    if [ "$code" -gt 3 ]; then
      echo "CRASH ($code): $file"
      cat /tmp/airguard-corpus-err.$$
      status=1
    fi
    ids=$(printf '%s' "$out" | grep -o '"check": *"AFH-HELM-[0-9]*"' | grep -o 'AFH-HELM-[0-9]*' | sort -u | tr '\n' ' ')
    echo "$(basename "$dir")/$(basename "$file") exit=$code $ids"
  done
done
rm -f /tmp/airguard-corpus-err.$$
if [ "$found" = 0 ]; then
  echo "SKIP: no Helm corpus under $shared/corpus (set AIRGUARD_SHARED_DIR)"
  exit 77
fi
exit $status
