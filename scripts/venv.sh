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

# install_package DIR TARGET: pip install TARGET (like '-e .[test]') into the venv DIR, unless the
# same TARGET was installed there from the same pyproject.toml before. A ./wheels folder makes
# the install offline.
install_package() {
    local venv="$1" target="$2" stamp digest
    stamp="$venv/.installed-$(printf '%s' "$target" | sha256sum | cut -c1-12)"
    digest="$(cat pyproject.toml <(printf '%s' "$target") | sha256sum | cut -d' ' -f1)"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$digest" ]]; then
        return 0
    fi
    local -a source=()
    if [[ -d wheels ]]; then
        echo "Installing $target offline from ./wheels..."
        source=(--no-index --find-links wheels)
    else
        echo "Installing $target..."
    fi
    "$venv/bin/python" -m pip install --quiet "${source[@]}" -e "$target"
    printf '%s\n' "$digest" >"$stamp"
}
