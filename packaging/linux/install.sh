#!/usr/bin/env bash
# Install the lawsup bundle for the current user (no root needed).
#
#   ./install.sh [BUNDLE]      BUNDLE: the built folder (default: the folder this
#                              script is in when it sits in a bundle, else dist/lawsup)
#   ./install.sh --uninstall   remove the program; the data folder is left alone
#
# Puts the program in ~/.local/opt/lawsup, the command in ~/.local/bin/lawsup, the
# menu entry in ~/.local/share/applications and the icon in the hicolor theme
# (XDG_DATA_HOME is honoured). The data folder (~/.local/share/lawsup by default)
# is never touched.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PREFIX="${LAWSUP_PREFIX:-$HOME/.local/opt/lawsup}"
BIN_DIR="$HOME/.local/bin"
DATA_HOME="${XDG_DATA_HOME:-$HOME/.local/share}"
APPS="$DATA_HOME/applications"
ICONS="$DATA_HOME/icons/hicolor"

refresh_caches() {
    # Both are optional: menus pick the files up at the next login without them.
    if command -v update-desktop-database >/dev/null; then update-desktop-database -q "$APPS" || true; fi
    if command -v gtk-update-icon-cache >/dev/null; then gtk-update-icon-cache -q -t "$ICONS" || true; fi
}

if [[ "${1:-}" == "--uninstall" ]]; then
    rm -rf "$PREFIX"
    rm -f "$BIN_DIR/lawsup" "$APPS/lawsup.desktop" \
        "$ICONS/256x256/apps/lawsup.png" "$ICONS/scalable/apps/lawsup.svg"
    refresh_caches
    echo "lawsup removed. Your data folder (default $DATA_HOME/lawsup) was kept."
    exit 0
fi

if [[ $# -ge 1 ]]; then
    BUNDLE="$(cd "$1" && pwd)"
elif [[ -x "$HERE/lawsup" ]]; then
    BUNDLE="$HERE"
else
    BUNDLE="$(cd "$HERE/../.." && pwd)/dist/lawsup"
fi
SHARE="$BUNDLE/_internal/share"
if [[ ! -x "$BUNDLE/lawsup" || ! -d "$SHARE" ]]; then
    echo "install.sh: no lawsup bundle in $BUNDLE (build it with: make package)" >&2
    exit 1
fi

# Copy next to the old version, then swap, so a failed copy leaves the old one working.
mkdir -p "$(dirname "$PREFIX")" "$BIN_DIR" "$APPS" "$ICONS/256x256/apps" "$ICONS/scalable/apps"
if [[ "$BUNDLE" != "$PREFIX" ]]; then
    rm -rf "$PREFIX.new"
    cp -a "$BUNDLE" "$PREFIX.new"
    rm -rf "$PREFIX.old"
    if [[ -e "$PREFIX" ]]; then mv "$PREFIX" "$PREFIX.old"; fi
    mv "$PREFIX.new" "$PREFIX"
    rm -rf "$PREFIX.old"
fi

ln -sfn "$PREFIX/lawsup" "$BIN_DIR/lawsup"
install -m 644 "$SHARE/icons/lawsup.png" "$ICONS/256x256/apps/lawsup.png"
install -m 644 "$SHARE/icons/lawsup.svg" "$ICONS/scalable/apps/lawsup.svg"
# Exec with the full path: ~/.local/bin is not on every desktop session's PATH.
sed "s|^Exec=lawsup\$|Exec=\"$PREFIX/lawsup\"|" "$SHARE/applications/lawsup.desktop" \
    > "$APPS/lawsup.desktop"
chmod 644 "$APPS/lawsup.desktop"
refresh_caches

echo "lawsup $("$PREFIX/lawsup" --version | cut -d' ' -f2) installed in $PREFIX"
echo "  menu entry: $APPS/lawsup.desktop"
echo "  command:    $BIN_DIR/lawsup"
case ":$PATH:" in
    *":$BIN_DIR:"*) ;;
    *) echo "  note: $BIN_DIR is not on your PATH; the menu entry works regardless" ;;
esac
