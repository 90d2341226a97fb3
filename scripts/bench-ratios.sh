#!/usr/bin/env bash
# Runs a criterion bench several times and prints, per benchmark, the median over runs of
# (its median time / the baseline's median time in the same run). Shared machines are noisy:
# ratios taken within one run, then the median across runs, are what the README quotes.
#
#   scripts/bench-ratios.sh BENCH GROUP RUNS PAIR...     where PAIR is candidate:baseline
#   scripts/bench-ratios.sh run_overhead w1_run_100k 5 pipeline_selected:hand_written
set -euo pipefail
cd "$(dirname "$0")/.."
bench=$1 group=$2 runs=$3
shift 3
results=$(mktemp)
for run in $(seq "$runs"); do
    cargo bench --bench "$bench" >/dev/null 2>&1
    for pair in "$@"; do
        candidate=${pair%%:*} baseline=${pair##*:}
        python3 - "$group" "$candidate" "$baseline" >>"$results" <<'PY'
import json, sys
group, candidate, baseline = sys.argv[1:]
def median(name):
    with open(f"target/criterion/{group}/{name}/new/estimates.json") as f:
        return json.load(f)["median"]["point_estimate"]
c, b = median(candidate), median(baseline)
print(f"{candidate}:{baseline} {c / b:.4f} {c / 1e6:.2f} {b / 1e6:.2f}")
PY
    done
done
python3 - "$results" "$runs" <<'PY'
import statistics, sys, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    pair, ratio, c, b = line.split()
    rows[pair].append((float(ratio), float(c), float(b)))
print(f"{'candidate / baseline':45} {'median ratio':>12}  {'ratios over ' + sys.argv[2] + ' runs'}")
for pair, values in rows.items():
    ratios = [v[0] for v in values]
    print(f"{pair:45} {statistics.median(ratios):>12.3f}  {' '.join(f'{r:.3f}' for r in ratios)}")
PY
rm -f "$results"
