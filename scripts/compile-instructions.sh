#!/usr/bin/env bash
# Instructions rustc executes to rebuild the two programs of `scripts/compile-time.sh` (the
# `pipeline!` one and the hand-written one), counted by valgrind's callgrind: unlike wall time
# on a shared machine, the count repeats to a fraction of a percent, so a change of a few
# percent in the macros or the generated code shows. Also prints the share of the two proc
# macros. Needs valgrind (`apt-get install valgrind`); the linker is not counted.
#
#   scripts/compile-instructions.sh [NODES] [PROFILE]      defaults: 50 dev
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=${1:-50} profile=${2:-dev}
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }
scripts/compile-time.sh "$nodes" 1 "$profile" >/dev/null
work=$PWD/target/compile-time
out=$(mktemp -d)
# Runs rustc under callgrind for the crate named in CRATE, and directly for every other crate.
cat >"$out/wrap" <<'SH'
#!/usr/bin/env bash
if [[ " $* " == *" --crate-name $CRATE "* ]]; then
    exec valgrind --tool=callgrind --callgrind-out-file="$OUT/$CRATE.out" -q "$@"
fi
exec "$@"
SH
chmod +x "$out/wrap"
cd "$work"
for crate in generated hand; do
    # The second rebuild is the one measured: the first leaves an incremental state made with
    # the same flags, as a user's edit-and-rebuild finds it.
    for _ in 1 2; do
        touch "$crate/src/main.rs"
        RUSTC_WRAPPER=$out/wrap CRATE=$crate OUT=$out cargo build --quiet --profile "$profile" -p "$crate"
    done
done
total() { callgrind_annotate "$out/$1.out" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }'; }
inclusive() {
    callgrind_annotate --inclusive=yes "$out/generated.out" 2>/dev/null |
        awk -v f="$1" '!done && $0 ~ f { gsub(",", "", $1); print $1; done = 1 }'
}
generated=$(total generated) hand=$(total hand)
node=$(inclusive 'hypernodes_macros::node \[') impl=$(inclusive 'hypernodes_macros::__pipeline_impl \[')
python3 - "$nodes" "$profile" "$generated" "$hand" "${node:-0}" "${impl:-0}" <<'PY'
import sys
nodes, profile, generated, hand, node, impl = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
print(f"{nodes} nodes, profile {profile}, rustc instructions of one rebuild (millions):")
print(f"  pipeline!    {generated / 1e6:8.1f}   (#[node] {node / 1e6:.1f}, pipeline! expansion {impl / 1e6:.1f})")
print(f"  hand-written {hand / 1e6:8.1f}")
print(f"  ratio {generated / hand:.2f}")
PY
rm -rf "$out"
