#!/usr/bin/env bash
# Fuzzes the running API from its own OpenAPI document with schemathesis
# (property-based: generated path/query/body values, valid and invalid),
# against a real `w2k8 serve` over a store filled from examples/fleet.
# Checks: no 5xx answer, every answer's status code, content type and body
# conform to the document. Bounded: fixed seed, a fixed number of examples
# per operation and a time budget. Needs python3 with venv/pip; installs
# the pinned schemathesis into target/api-fuzz/venv.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
work="$root/target/api-fuzz"
mkdir -p "$work"
venv="$work/venv"
if [ ! -x "$venv/bin/st" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
fi
cargo build --quiet --locked -p w2k8
bin="${CARGO_TARGET_DIR:-$root/target}/debug/w2k8"
tmp="$(mktemp -d /tmp/w2k8-api-fuzz.XXXXXX)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
"$bin" scan "$root/examples/fleet" --db "$tmp/fleet.db" >/dev/null || true   # exit 4: the fleet has a broken bundle on purpose
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --db "$tmp/fleet.db" --listen "127.0.0.1:$port" --token-file "$tmp/token.txt" 2>"$tmp/serve.log" &
pid=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break
  sleep 0.1
done
token="$(cat "$tmp/token.txt")"
cd "$work"   # schemathesis keeps its cache (.schemathesis) in the working folder
"$venv/bin/st" run "http://127.0.0.1:$port/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "${W2K8_FUZZ_EXAMPLES:-40}" --seed 20261125 --max-time "${W2K8_FUZZ_SECONDS:-90}" \
  --workers 2 --request-timeout 10 --report junit --report-dir "$work" --warnings off
echo "api fuzz: OK (server log: $(wc -l <"$tmp/serve.log") lines)"
# The server must still answer after the fuzzing.
curl -sf "http://127.0.0.1:$port/api/health" >/dev/null
