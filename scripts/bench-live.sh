#!/usr/bin/env bash
# scripts/bench-live.sh [TIMEOUT_SECONDS] [RUNS] - a benchmark, not a test: times
# `glance-lint --live` against the stack of scripts/live-stack.sh, each service's probes alone
# (--select of its rules; a service whose rules are all deselected is not probed), then all of
# them in one run. Probes run concurrently, so the total should be close to the slowest single
# probe, not to their sum (issue 14: within 1.2x), and a silent host costs one timeout.
set -euo pipefail
cd "$(dirname "$0")/.."
STACK_DIR=${GLANCE_LINT_STACK_DIR:-/tmp/glance-lint-stack}
CONF=${GLANCE_LINT_LIVE_CONF:-$STACK_DIR/glance-api.conf}
TIMEOUT=${1:-5}
RUNS=${2:-3}
# `correct` (the stack's file) and `silent` (every service a host that never answers: ~80 s a run)
SCENARIOS=${GLANCE_LINT_BENCH_SCENARIOS:-correct silent}
[[ -r $CONF ]] || { echo "no $CONF: start the stack with scripts/live-stack.sh start" >&2; exit 2; }
scripts/live-stack.sh status >/dev/null || { echo "the live stack is not running: scripts/live-stack.sh start" >&2; exit 2; }
BIN=${GLANCE_LINT_BIN:-target/debug/glance-lint}
[[ -n ${GLANCE_LINT_BIN:-} ]] || cargo build -q --bin glance-lint

TMP=$(mktemp -d)
SILENT_PID=
trap '[[ -n $SILENT_PID ]] && kill "$SILENT_PID"; rm -rf "$TMP"' EXIT
# a listener that accepts and never answers
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(64)
print(s.getsockname()[1], flush=True); conns = []
while True: conns.append(s.accept())' > "$TMP/silent.port" &
SILENT_PID=$!
for _ in $(seq 50); do [[ -s $TMP/silent.port ]] && break; sleep 0.1; done
SP=$(cat "$TMP/silent.port")
sed -E -e "s#^(connection = [^@]*@)[^/]*#\1127.0.0.1:$SP#" \
  -e "s#^(transport_url = [^@]*@)[^/]*#\1127.0.0.1:$SP#" \
  -e "s#^(memcached_servers = ).*#\1127.0.0.1:$SP#" \
  -e "s#^((www_authenticate_uri|auth_url) = ).*#\1http://127.0.0.1:$SP#" "$CONF" > "$TMP/silent.conf"
# only_section NAME: the stack's file reduced to one section (to time one Keystone section alone)
only_section() { awk -v s="[$1]" '/^\[/{on=($0==s)} on' "$2" > "$TMP/$3-$1.conf"; echo "$TMP/$3-$1.conf"; }
KS=GL901,GL902,GL903,GL904
ms() { echo $(( $(date +%s%N) / 1000000 )); }
# run FILE SELECT: prints "<ms> <findings>" (host checks on: the image-dir probe is one)
run() {
  local t0 t1 n
  t0=$(ms)
  n=$("$BIN" --live --timeout "$TIMEOUT" --format json --fail-on never \
        --select "$2" "$1" | grep -c '"code": "GL9' || true)
  t1=$(ms)
  echo "$((t1 - t0)) $n"
}
# scenario LABEL FILE
scenario() {
  local label=$1 conf=$2 slowest=0 sum=0 t n name file sel
  # one row per probe (src/live/*.rs ProbeKind), each alone: its rules selected
  local cases=(
    "keystone|$conf|$KS"
    "database|$conf|GL905,GL906,GL907,GL908"
    "rabbitmq|$conf|GL909,GL910,GL911"
    "memcached|$conf|GL912"
    "catalog|$conf|GL913,GL914"
    "limits|$conf|GL915"
    "grants|$conf|GL916"
    "tables|$conf|GL917"
    "image-dir|$conf|GL918"
  )
  echo "  -- $label"
  # the Keystone probe's two sections, each alone (shown, not counted: one probe)
  for sec in keystone_authtoken oslo_limit; do
    read -r t n < <(run "$(only_section "$sec" "$conf" "$label")" "$KS")
    printf '    %-20s %6d ms  %s finding(s)  (one section of the keystone probe)\n' "$sec" "$t" "$n"
  done
  for c in "${cases[@]}"; do
    IFS='|' read -r name file sel <<< "$c"
    read -r t n < <(run "$file" "$sel")
    printf '    %-20s %6d ms  %s finding(s)\n' "$name" "$t" "$n"
    ((t > slowest)) && slowest=$t
    sum=$((sum + t))
  done
  read -r t n < <(run "$conf" GL9)
  printf '    %-20s %6d ms  %s finding(s)\n' "ALL (one run)" "$t" "$n"
  echo "    total $t ms vs slowest single probe $slowest ms (sum of singles $sum ms): $(awk -v a="$t" -v b="$slowest" 'BEGIN{printf "%.2f", a/b}')x"
  ALL_MS[$label]+="$t "
  SLOWEST_MS[$label]+="$slowest "
}
declare -A ALL_MS SLOWEST_MS
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
for r in $(seq 1 "$RUNS"); do
  echo "== run $r (timeout ${TIMEOUT} s)"
  for sc in $SCENARIOS; do
    case $sc in
      correct) scenario correct "$CONF" ;;
      silent) scenario silent "$TMP/silent.conf" ;;
    esac
  done
done
# One run is noisy on a shared 2-CPU machine (a probe's time moves by 2x from run to run): the
# verdict is the median of every run's total against the median of every run's slowest probe.
echo "== medians over $RUNS run(s)"
for label in $SCENARIOS; do
  a=$(median <<< "${ALL_MS[$label]}"); b=$(median <<< "${SLOWEST_MS[$label]}")
  echo "  $label: every probe $a ms vs slowest single probe $b ms: $(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.2f", a/b}')x"
done
