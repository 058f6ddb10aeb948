#!/usr/bin/env bash
# Fails when any test's gas differs from the committed .gas-snapshot (fuzz runs are seeded in
# foundry.toml, so the file is deterministic). Regenerate with `pnpm snapshot` and commit the diff.
# forge's own "Ran N tests" summary is dropped so the repository's test summary counts each test once.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(forge snapshot --check .gas-snapshot 2>&1)
status=$?
# forge 1.x prints "Diff in ..." lines but can still exit 0, so the lines decide too
diffs=$(grep -E '^(Diff in|No matching snapshot entry|Missing|Error|error)' <<<"$out" || true)
[ -n "$diffs" ] && echo "$diffs"
if [ $status -ne 0 ] || [ -n "$diffs" ]; then
  [ $status -eq 0 ] && status=1
  echo "gas snapshot: .gas-snapshot is out of date (run: pnpm --filter @openledger/contracts snapshot)" >&2
  exit $status
fi
echo "gas snapshot: every figure matches .gas-snapshot"
