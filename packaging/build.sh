#!/usr/bin/env bash
# Build the one-folder Linux bundle: dist/lawsup/ (run by `make package`).
#
#   bash packaging/build.sh
#
# Environment:
#   PYTHON    the Python of the project's virtual environment (default: `python` on
#             PATH; `make package` puts .venv/bin first)
#   DISTPATH  where the bundle folder lawsup/ goes (default: dist)
#   WORKPATH  PyInstaller's work folder (default: build/pyinstaller)
#   FORCE=1   rebuild even when the sources have not changed
#
# A bundle is rebuilt only when something it is made of changed: the stamp
# DISTPATH/lawsup/.build-hash holds a hash of the sources, the spec and the
# installed packages.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python}"
DISTPATH="$(realpath -m "${DISTPATH:-dist}")"
WORKPATH="$(realpath -m "${WORKPATH:-build/pyinstaller}")"
BUNDLE="$DISTPATH/lawsup"
STAMP="$BUNDLE/.build-hash"

# 1. Generated files the bundle must contain: compiled forms and .qm translations.
"$PYTHON" tools/build.py

# 2. PyInstaller, on demand, at the version the `package` extra of pyproject.toml
#    asks for (not `pip install .[package]`: that would replace an editable install).
if ! "$PYTHON" -c "import PyInstaller" 2>/dev/null; then
    requirement="$("$PYTHON" - <<'PY'
import tomllib
extra = tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["package"]
print(next(r for r in extra if r.lower().startswith("pyinstaller")))
PY
)"
    echo "packaging: installing $requirement"
    "$PYTHON" -m pip install --progress-bar off "$requirement"
fi

# 3. Skip the build when nothing it depends on changed.
hash="$("$PYTHON" - <<'PY'
import hashlib, subprocess, sys
from pathlib import Path

digest = hashlib.sha256(sys.version.encode())
freeze = subprocess.run([sys.executable, "-m", "pip", "freeze", "--exclude-editable"],
                        capture_output=True, check=True).stdout
digest.update(freeze)
roots = ["lawsup_desktop", "db", "resources", "ui", "packaging", "pyproject.toml", "setup.py"]
for root in roots:
    path = Path(root)
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for file in files:
        if "__pycache__" in file.parts:
            continue
        digest.update(str(file).encode() + b"\0" + file.read_bytes() + b"\0")
print(digest.hexdigest())
PY
)"
if [[ "${FORCE:-0}" != 1 && -x "$BUNDLE/lawsup" && -f "$STAMP" && "$(cat "$STAMP")" == "$hash" ]]; then
    echo "packaging: $BUNDLE is up to date (sources unchanged; FORCE=1 rebuilds)"
else
    started=$SECONDS
    rm -f "$STAMP"
    "$PYTHON" -m PyInstaller --noconfirm --log-level WARN \
        --distpath "$DISTPATH" --workpath "$WORKPATH" packaging/lawsup.spec
    # The installer script travels with the bundle, so a copy of the folder is all a
    # station needs.
    install -m 755 packaging/linux/install.sh "$BUNDLE/install.sh"
    echo "$hash" > "$STAMP"
    echo "packaging: built in $((SECONDS - started)) s"
fi

# The bundle carries the build machine's C++ runtime and system libraries, so a
# station needs at least the glibc those were linked against.
if command -v objdump >/dev/null; then
    glibc="$(find "$BUNDLE" -name '*.so*' -type f -exec objdump -T {} + 2>/dev/null \
        | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1 | cut -d_ -f2)"
    echo "packaging: the bundle needs glibc >= ${glibc:-?} on the station (this machine: $(ldd --version | head -1 | grep -o '[0-9.]*$'))"
fi
size="$(du -sh "$BUNDLE" | cut -f1)"
echo "packaging: bundle $BUNDLE ($size)"
echo "packaging: run it with $BUNDLE/lawsup; install it with $BUNDLE/install.sh"
