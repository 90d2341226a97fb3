#!/usr/bin/env bash
# Makes the toolchain pinned in rust-toolchain.toml available without a download (this project's
# machines cannot fetch toolchains): when the pinned version is installed only as `stable`, give
# it the pinned name too, as a symlink (`rustup toolchain link` refuses official-looking names).
set -euo pipefail
cd "$(dirname "$0")/.."
pinned=$(sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml)
if ! rustup toolchain list | grep -q "^$pinned-"; then
    if rustc +stable --version | grep -q "^rustc $pinned "; then
        toolchains="${RUSTUP_HOME:-$HOME/.rustup}/toolchains"
        host=$(rustc +stable -vV | sed -n 's/^host: //p')
        ln -s "$toolchains/stable-$host" "$toolchains/$pinned-$host"
    else
        echo "rust-toolchain.toml pins $pinned, which is not installed" >&2
        exit 1
    fi
fi
