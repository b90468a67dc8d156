#!/usr/bin/env bash
# Install Intranet Social on this machine and serve it at http://127.0.0.1:8080.
#
#   ./install.sh             install (or update) and serve in the foreground
#   ./install.sh --no-serve  install (or update) only
#
# Running it again keeps every account, post and setting.
set -euo pipefail

usage() {
    echo "usage: ./install.sh [--no-serve]"
}

serve=1
for arg in "$@"; do
    case "$arg" in
        --no-serve) serve=0 ;;
        --system)
            echo "install.sh: --system (systemd, nginx, TLS) is not available yet; run ./install.sh for a local install." >&2
            exit 1
            ;;
        -h | --help)
            usage
            exit 0
            ;;
        *)
            echo "install.sh: unknown option $arg" >&2
            usage >&2
            exit 2
            ;;
    esac
done

cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=scripts/venv.sh
source scripts/venv.sh

CONFIG="instance/config.toml"

ensure_venv .venv
install_package .venv
.venv/bin/intranet-social install --local --config "$CONFIG"

if [[ $serve -eq 0 ]]; then
    echo "(The intranet-social command is .venv/bin/intranet-social.)"
    exit 0
fi
exec .venv/bin/intranet-social serve --config "$CONFIG"
