#!/usr/bin/env bash
# How long a fresh `make run` takes to its first page: a new clone, empty uv and pip
# caches (every package downloaded from PyPI, as on a new machine), timed from `make run`
# to the first HTTP 200 from the server. Debian packages already installed are not
# reinstalled. Usage: bench/fresh_run.sh [REPO] (PORT=8765 by default; TIMEOUT=300 s).
set -euo pipefail
repo=${1:-$(git -C "$(dirname "$0")" rev-parse --show-toplevel)}
port=${PORT:-8765}
limit=${TIMEOUT:-300}
work=$(mktemp -d /tmp/oxychain-fresh.XXXXXX)
git clone -q "$repo" "$work/oxychain"
export UV_CACHE_DIR="$work/uv-cache" PIP_NO_CACHE_DIR=1
start=$(date +%s.%N)
# Each line of make's output stamped with the seconds since the start: where the time goes.
setsid bash -c 'make -C "$1" run PORT="$2" 2>&1 | while IFS= read -r line; do
  printf "%6.1f %s\n" "$(echo "$(date +%s.%N) - $3" | bc)" "$line"; done' _ \
  "$work/oxychain" "$port" "$start" >"$work/run.log" &
run=$!
trap 'kill -- -"$run" 2>/dev/null || true' EXIT
status=000
while [ "$status" != 200 ]; do
  if ! kill -0 "$run" 2>/dev/null; then
    echo "make run stopped before answering; see $work/run.log" >&2
    exit 1
  fi
  if [ "$(echo "$(date +%s.%N) - $start > $limit" | bc)" = 1 ]; then
    echo "no page within $limit s; see $work/run.log" >&2
    exit 1
  fi
  sleep 0.2
  status=$(curl -s -o /dev/null -L -w '%{http_code}' "http://127.0.0.1:$port/" || true)
done
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
printf '{"first_page_seconds": %.1f, "port": %s, "log": "%s"}\n' "$elapsed" "$port" "$work/run.log"
