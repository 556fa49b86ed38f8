#!/usr/bin/env bash
# Whole-process benchmarks, all in one run on this machine (figures go to
# BENCHMARKS.md):
#   1. one typical file: glance-lint vs oslo-config-validator --opt-data
#   2. ~1,000 files (the real corpus, copied): glance-lint vs cat
#   3. parser throughput and peak memory on a large generated file
# Needs ../shared (the corpus and Glance's option data). Installs hyperfine
# (Debian) and oslo.config (a venv under target/) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${GLANCE_LINT_SHARED:-$PWD/../shared}
CORPUS=$SHARED/corpus/real
TYPICAL=${TYPICAL:-$CORPUS/ogalush-ussuri-centos8.conf}
RUNS=${RUNS:-20}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
VENV=target/bench-venv
[ -x "$VENV/bin/oslo-config-validator" ] || {
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check 'oslo.config==10.7.0'
}
cargo build --release --quiet
BIN=$PWD/target/release/glance-lint

# The validator's --opt-data format (what oslo-config-generator --format yaml
# writes), built from Glance 33.0.0's option data in ../shared/oslo.
"$VENV/bin/python" - "$SHARED/oslo/glance-api-options.json" "$WORK/glance-api-opts.yaml" <<'PY'
import json, sys, yaml
src = json.load(open(sys.argv[1]))
options, deprecated = {}, {}
for group, opts in src["groups"].items():
    options[group] = {"help": "", "standard_opts": [o["name"] for o in opts],
                      "dynamic_group_owner": "", "driver_option": "", "driver_opts": {},
                      "opts": opts}
    for o in opts:
        for d in o.get("deprecated_opts") or []:
            deprecated.setdefault(d.get("group") or group, []).append(
                {"name": d["name"], "replacement_group": group, "replacement_name": o["name"]})
yaml.safe_dump({"generator_options": {}, "options": options,
                "deprecated_options": deprecated}, open(sys.argv[2], "w"))
PY
echo "opt-data: $(wc -l < "$WORK/glance-api-opts.yaml") lines of YAML"

machine() {
  echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GiB RAM"
  echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
}
machine

ratio() { # mean of command 2 / mean of command 1, from hyperfine's JSON
  python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results']; \
m=[x['mean'] for x in r]; s=[x['stddev'] for x in r]; \
print('  ' + '; '.join(f\"{x['command'][:60]}: {x['mean']*1000:.2f} ms ± {x['stddev']*1000:.2f}\" for x in r)); \
print(f'  ratio: {m[1]/m[0]:.1f}x')" "$1"
}

echo
echo "== 1. one typical file: $(basename "$TYPICAL") ($(wc -c < "$TYPICAL") bytes)"
hyperfine -N --warmup 3 --runs "$RUNS" --ignore-failure --style none --export-json "$WORK/one.json" \
  "$BIN --no-host-checks $TYPICAL" \
  "$VENV/bin/oslo-config-validator --opt-data $WORK/glance-api-opts.yaml --input-file $TYPICAL" >/dev/null
ratio "$WORK/one.json"

echo
echo "== 2. many files: the corpus copied to ~1,000 files"
n=0
while [ $n -lt 1000 ]; do
  for f in "$CORPUS"/*.conf; do
    mkdir -p "$WORK/many/host$n" && cp "$f" "$WORK/many/host$n/glance-api.conf"
    n=$((n + 1))
  done
done
echo "  $n files, $(du -sh --apparent-size "$WORK/many" | cut -f1)"
hyperfine -N --warmup 3 --runs "$RUNS" --ignore-failure --style none --export-json "$WORK/many.json" \
  "bash -c 'cat $WORK/many/*/glance-api.conf > /dev/null'" \
  "bash -c '$BIN --no-host-checks --format json $WORK/many > /dev/null'" >/dev/null
ratio "$WORK/many.json"
hyperfine -N --warmup 3 --runs "$RUNS" --ignore-failure --style none --export-json "$WORK/many-human.json" \
  "bash -c 'cat $WORK/many/*/glance-api.conf > /dev/null'" \
  "bash -c '$BIN --no-host-checks $WORK/many > /dev/null'" >/dev/null
echo "  (human report)"; ratio "$WORK/many-human.json"

echo
echo "== 3. parser throughput and peak memory on a large file"
# The UTF-8 files of the corpus, concatenated until ~50 MB.
big=$WORK/big/glance-api.conf; mkdir -p "$WORK/big"
: > "$big"
while [ "$(stat -c %s "$big")" -lt 50000000 ]; do
  for f in "$CORPUS"/*.conf; do iconv -f utf-8 -t utf-8 "$f" >/dev/null 2>&1 && cat "$f" >> "$big"; done
done
size=$(stat -c %s "$big")
echo "  input: $size bytes"
for fmt in json human; do
  /usr/bin/time -f '%e %M' -o "$WORK/time" "$BIN" --no-host-checks --max-file-size 100000000 \
    --format $fmt "$big" > /dev/null || true
  read -r secs rss < <(tail -1 "$WORK/time")
  python3 -c "import sys; s,r,n=float(sys.argv[1]),int(sys.argv[2]),int(sys.argv[3]); \
print(f'  --format $fmt: {s:.2f} s, {n/1e6/max(s,0.01):.0f} MB/s whole process; peak RSS {r/1024:.1f} MiB = {r*1024/n:.2f}x input')" \
    "$secs" "$rss" "$size"
done
echo "  (cargo bench --bench lint measures the parser alone, in MB/s)"
machine
