#!/usr/bin/env bash
# Install Intranet Social on this machine and serve it at http://127.0.0.1:8080.
#
#   ./install.sh             install (or update) and serve in the foreground
#   ./install.sh --no-serve  install (or update) only
#
# Or set up this machine as the organisation's server (as root), with systemd, nginx and TLS:
#
#   ./install.sh --system --hostname social.corp.example [FLAGS of `intranet-social install`]
#
# which installs the package into a venv under $PREFIX (default /opt/intranet-social), offline
# from ./wheels when that folder exists (EXTRAS=postgres,redis adds those extras), runs
# `intranet-social install` with the flags, then enables and (re)starts the service (or, with
# --processes N, the N app processes) and reloads nginx when systemd runs this machine.
#
# Running it again keeps every account, post and setting.
set -euo pipefail

usage() {
    echo "usage: ./install.sh [--no-serve]"
    echo "       ./install.sh --system --hostname NAME [FLAGS]  (see: intranet-social install --help)"
}

# start_services UNITS_DIR: enable and (re)start what `intranet-social install` wrote to
# UNITS_DIR (the one unit, or the target and its instances with --processes N), and stop the
# units of an earlier install that are no longer wanted (a different number of processes).
start_services() {
    local units_dir="$1" unit wanted
    if [[ -f "$units_dir/intranet-social.target" ]]; then
        wanted="intranet-social.target $(sed -n 's/^Wants=//p' "$units_dir/intranet-social.target")"
    else
        wanted="intranet-social.service"
    fi
    systemctl daemon-reload
    for unit in $(systemctl list-units --all --plain --no-legend 'intranet-social.service' \
        'intranet-social.target' 'intranet-social@*.service' \
        | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^intranet-social/) { print $i; break } }'); do
        case " $wanted " in
            *" $unit "*) ;;
            *) systemctl stop "$unit" ;;
        esac
    done
    unit="${wanted%% *}"
    systemctl enable --quiet "$unit"
    systemctl restart "$unit"
    echo "$unit is enabled and running."
    # the day's birthday notices: pages never write them, this timer's command does
    if [[ -f "$units_dir/intranet-social-birthdays.timer" ]]; then
        systemctl enable --quiet --now intranet-social-birthdays.timer
    fi
}

# install_system FLAG...: the --system install described above.
install_system() {
    local prefix="${PREFIX:-/opt/intranet-social}" arg target="." dry_run=0 rooted=0
    for arg in "$@"; do
        case "$arg" in
            --dry-run) dry_run=1 ;;
            --root | --root=*) rooted=1 ;;
            -h | --help) dry_run=1 ;;
        esac
    done
    if [[ $(id -u) -ne 0 && $rooted -eq 0 && $dry_run -eq 0 ]]; then
        echo "install.sh: --system sets up this machine's services and needs root: run it with sudo." >&2
        exit 1
    fi
    ensure_venv "$prefix"
    local -a source=()
    if [[ -n ${EXTRAS:-} ]]; then
        target=".[$EXTRAS]"
    fi
    if [[ -d wheels ]]; then
        echo "Installing intranet-social into $prefix offline from ./wheels..."
        source=(--no-index --find-links wheels)
        if compgen -G "wheels/intranet_social-*.whl" >/dev/null; then
            target="intranet-social${EXTRAS:+[$EXTRAS]}"
        fi
    else
        echo "Installing intranet-social into $prefix..."
    fi
    "$prefix/bin/python" -m pip install --quiet --quiet --upgrade "${source[@]}" "$target"
    "$prefix/bin/intranet-social" install "$@"
    if [[ $dry_run -eq 1 || $rooted -eq 1 ]]; then
        return 0
    fi
    if ! command -v systemctl >/dev/null 2>&1 || [[ ! -d /run/systemd/system ]]; then
        echo "systemd is not running this machine: start the site with $prefix/bin/intranet-social serve --config /etc/intranet-social/config.toml"
        return 0
    fi
    start_services /etc/systemd/system
    if command -v nginx >/dev/null 2>&1; then
        nginx -t -q
        systemctl enable --quiet nginx
        systemctl reload-or-restart nginx
        echo "nginx serves the site."
    else
        echo "note: nginx is not installed; install it (Debian: apt-get install nginx) and run this again." >&2
    fi
}

if [[ ${1:-} == --system ]]; then
    shift
    cd "$(dirname "${BASH_SOURCE[0]}")"
    # shellcheck source=scripts/venv.sh
    source scripts/venv.sh
    install_system "$@"
    exit 0
fi

serve=1
for arg in "$@"; do
    case "$arg" in
        --no-serve) serve=0 ;;
        --system)
            echo "install.sh: --system must come first: ./install.sh --system --hostname NAME [FLAGS]" >&2
            exit 2
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
