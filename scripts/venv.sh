# Shared by install.sh and scripts/test (sourced, not run): find Python >= 3.11, create the
# project's .venv and install the package into it, skipping pip when nothing changed.

MIN_PYTHON="3.11"

find_python() {
    local candidate
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 \
            && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

# ensure_venv DIR: create DIR with Python >= 3.11 unless it is already there.
ensure_venv() {
    local venv="$1" python
    if [[ -x "$venv/bin/python" ]]; then
        if ! "$venv/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "error: $venv uses a Python older than $MIN_PYTHON; remove it and run again." >&2
            return 1
        fi
        return 0
    fi
    if ! python="$(find_python)"; then
        echo "error: Python $MIN_PYTHON or newer is needed; install it (Debian: apt-get install python3 python3-venv) and run again." >&2
        return 1
    fi
    echo "Creating $venv with $("$python" --version)..."
    if ! "$python" -m venv "$venv"; then
        rm -rf "$venv"
        echo "error: could not create $venv; install the venv module (Debian: apt-get install python3-venv) and run again." >&2
        return 1
    fi
}

# install_package DIR [EXTRA...]: pip install the project (editable, with the EXTRAs) into the
# venv DIR, unless it was installed there with those extras from the same pyproject.toml before.
# A ./wheels folder makes the install offline.
install_package() {
    local venv="$1"
    shift
    local stamp="$venv/.intranet-social-installed" digest target="."
    digest="$(sha256sum pyproject.toml | cut -d' ' -f1)"
    if already_installed "$stamp" "$digest" "$@"; then
        return 0
    fi
    if [[ $# -gt 0 ]]; then
        target=".[$(IFS=,; echo "$*")]"
    fi
    local -a source=()
    if [[ -d wheels ]]; then
        echo "Installing intranet-social${target#.} into $venv offline from ./wheels..."
        source=(--no-index --find-links wheels)
    else
        echo "Installing intranet-social${target#.} into $venv..."
    fi
    "$venv/bin/python" -m pip install --quiet --quiet "${source[@]}" -e "$target"
    {
        grep -s "^$digest " "$stamp" || true
        echo "$digest $*"
    } >"$stamp.new"
    mv "$stamp.new" "$stamp"
}

# already_installed STAMP DIGEST [EXTRA...]: whether STAMP records an install from the
# pyproject.toml with this DIGEST that had every EXTRA.
already_installed() {
    local stamp="$1" digest="$2" line_digest line_extras extra missing
    shift 2
    [[ -f $stamp ]] || return 1
    while read -r line_digest line_extras; do
        [[ $line_digest == "$digest" ]] || continue
        missing=0
        for extra in "$@"; do
            [[ " $line_extras " == *" $extra "* ]] || missing=1
        done
        [[ $missing -eq 0 ]] && return 0
    done <"$stamp"
    return 1
}
