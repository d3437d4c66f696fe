#!/usr/bin/env bash
# Checks (and, as root on Debian/Ubuntu, installs) the system packages that the
# PySide6 wheels, the tests and `make run` need but pip cannot bring.
# Called by `make run` and `make test`; PYTHON names the interpreter that will
# create .venv (default python3).
set -euo pipefail

PYTHON="${PYTHON:-python3}"

# One entry per need; "a|b" accepts either name (Debian 13 and Ubuntu 24.04
# renamed some libraries for 64-bit time_t).
NEEDS=(
    # Qt itself, on every platform plugin (offscreen included)
    libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3
    "libglib2.0-0|libglib2.0-0t64"
    # the xcb plugin, for `make run` on an X11 or XWayland desktop
    libx11-xcb1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0
    libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-sync1
    libxcb-xfixes0 libxcb-xkb1
    # tests: pdftoppm renders the generated PDFs; initdb/pg_ctl for the postgres tests;
    # a D-Bus session and GNOME Keyring for the Secret Service (database key) tests
    poppler-utils postgresql dbus gnome-keyring
)
WHAT_FOR="Qt's libraries (EGL, GL, xkbcommon, fontconfig, D-Bus, GLib, xcb-cursor and the
other xcb libraries), poppler's pdftoppm, a PostgreSQL server (initdb, pg_ctl), and
dbus with gnome-keyring (the Secret Service keyring)"

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "sysdeps: not a Debian/Ubuntu system, so nothing is checked. Install by hand:"
    echo "  $WHAT_FOR,"
    echo "  and Python 3.11+ with the venv module."
    exit 0
fi

installed() {
    local status
    status="$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)"
    [[ "$status" == "install ok installed" ]]
}

# The first alternative that apt can install, else the first one.
choose() {
    local alternatives=() name candidate
    IFS='|' read -r -a alternatives <<<"$1"
    for name in "${alternatives[@]}"; do
        candidate="$(apt-cache policy "$name" 2>/dev/null | awk '/Candidate:/ {print $2}')"
        if [[ -n "$candidate" && "$candidate" != "(none)" ]]; then
            echo "$name"
            return
        fi
    done
    echo "${alternatives[0]}"
}

missing_needs() {
    local need name alternatives found
    for need in "${NEEDS[@]}"; do
        IFS='|' read -r -a alternatives <<<"$need"
        found=no
        for name in "${alternatives[@]}"; do
            if installed "$name"; then found=yes; break; fi
        done
        [[ $found == yes ]] || echo "$need"
    done
    # Debian's own python3 creates virtual environments only with python3-venv.
    if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        echo "python3-venv"
    fi
}

mapfile -t MISSING < <(missing_needs)
if [[ ${#MISSING[@]} -eq 0 ]]; then
    exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
    echo "sysdeps: installing ${MISSING[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    PACKAGES=()
    for need in "${MISSING[@]}"; do PACKAGES+=("$(choose "$need")"); done
    apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends "${PACKAGES[@]}"
    exit 0
fi

PACKAGES=()
for need in "${MISSING[@]}"; do PACKAGES+=("$(choose "$need")"); done
echo "sysdeps: these system packages are missing: ${PACKAGES[*]}" >&2
echo "Install them, then run make again:" >&2
echo "  sudo apt-get install -y ${PACKAGES[*]}" >&2
exit 1
