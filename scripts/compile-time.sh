#!/usr/bin/env bash
# Build time of a 50-node pipeline against the same program written by hand.
#
# Generates two binaries in target/compile-time: `generated` (50 `#[node]` functions and one
# `pipeline!`) and `hand` (the same 50 functions, input/output structs and a `run` returning
# `Result`, written out). Dependencies are built once; then each crate is rebuilt after touching
# its source, alternately, RUNS times; the medians and their ratio are printed.
#
#   scripts/compile-time.sh [NODES] [RUNS] [PROFILE]      defaults: 50 7 dev
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=${1:-50} runs=${2:-7} profile=${3:-dev}
root=$PWD
work=$root/target/compile-time
rm -rf "$work" && mkdir -p "$work/generated/src" "$work/hand/src"

cat >"$work/Cargo.toml" <<TOML
[workspace]
resolver = "2"
members = ["generated", "hand"]
TOML
for crate in generated hand; do
    cat >"$work/$crate/Cargo.toml" <<TOML
[package]
name = "$crate"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
hypernodes = { path = "$root" }
TOML
done

# Node i reads v{i} and, from i >= 2, v{i-2}: a chain with skip edges, like a real pipeline.
python3 - "$nodes" "$work" <<'PY'
import sys
n, work = int(sys.argv[1]), sys.argv[2]
def params(i):
    return f"v{i}: &u64" + (f", v{i-2}: &u64" if i >= 2 else "")
def body(i):
    return f"v{i}.wrapping_mul(31) ^ " + (f"v{i-2}" if i >= 2 else "7")
gen = ["use hypernodes::{node, pipeline};", ""]
for i in range(n):
    gen += [f'#[node(output = "v{i+1}")]', f"pub fn n{i}({params(i)}) -> u64 {{ {body(i)} }}", ""]
gen += ["pipeline! {", f"    pub Big = [{', '.join(f'n{i}' for i in range(n))}]", "}", "",
        "fn main() {",
        "    let out = Big::new().run(BigInputs { v0: 1 }).unwrap();",
        f"    println!(\"{{}}\", out.v{n});", "}"]
open(f"{work}/generated/src/main.rs", "w").write("\n".join(gen) + "\n")

hand = []
for i in range(n):
    hand += [f"pub fn n{i}({params(i)}) -> u64 {{ {body(i)} }}", ""]
hand += ["pub struct BigInputs { pub v0: u64 }", "",
         "pub struct BigOutputs {"] + [f"    pub v{i+1}: u64," for i in range(n)] + ["}", "",
         "pub fn run(inputs: BigInputs) -> Result<BigOutputs, hypernodes::Error> {",
         "    let BigInputs { v0 } = inputs;"]
for i in range(n):
    args = f"&v{i}" + (f", &v{i-2}" if i >= 2 else "")
    hand += [f"    let v{i+1} = n{i}({args});"]
hand += ["    Ok(BigOutputs { " + ", ".join(f"v{i+1}" for i in range(n)) + " })", "}", "",
         "fn main() {", "    let out = run(BigInputs { v0: 1 }).unwrap();",
         f"    println!(\"{{}}\", out.v{n});", "}"]
open(f"{work}/hand/src/main.rs", "w").write("\n".join(hand) + "\n")
PY

cd "$work"
cargo build --profile "$profile" --quiet 2>/dev/null || cargo build --profile "$profile"
[ "$(cargo run --quiet --profile "$profile" -p generated)" = "$(cargo run --quiet --profile "$profile" -p hand)" ] \
    || { echo "the two programs disagree" >&2; exit 1; }

time_build() {
    touch "$1/src/main.rs"
    local start end
    start=$(date +%s%N)
    cargo build --quiet --profile "$profile" -p "$1"
    end=$(date +%s%N)
    echo $(( (end - start) / 1000000 ))
}
gen_times=() hand_times=()
for _ in $(seq "$runs"); do
    gen_times+=("$(time_build generated)")
    hand_times+=("$(time_build hand)")
done
python3 - "$nodes" "$profile" "${gen_times[*]}" "${hand_times[*]}" <<'PY'
import statistics, sys
nodes, profile, g, h = sys.argv[1], sys.argv[2], sys.argv[3].split(), sys.argv[4].split()
g, h = [int(x) for x in g], [int(x) for x in h]
print(f"{nodes} nodes, profile {profile}, {len(g)} rebuilds each (ms):")
print(f"  pipeline!    median {statistics.median(g):6.0f}   all: {' '.join(map(str, g))}")
print(f"  hand-written median {statistics.median(h):6.0f}   all: {' '.join(map(str, h))}")
print(f"  ratio {statistics.median(g) / statistics.median(h):.2f}")
PY
