# Build the Windows installer: dist\lawsup-<version>-setup.exe.
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
#
# Needs: 64-bit Python 3.11 (python.org), Inno Setup 6 (iscc.exe on PATH or in its
# default folder) and, for a Chinese installer, ChineseSimplified.isl (see lawsup.iss).
# Run from anywhere; works in a fresh clone. Creates .venv-win\ in the repository.
$ErrorActionPreference = "Stop"
$Root = Resolve-Path (Join-Path $PSScriptRoot "..\..")
Set-Location $Root

function Step($Command, [string[]]$Arguments) {
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Command $($Arguments -join ' ') failed ($LASTEXITCODE)" }
}

# 1. A virtual environment with the program and PyInstaller (the `package` extra).
if (-not (Test-Path ".venv-win\Scripts\python.exe")) { Step "py" @("-3.11", "-m", "venv", ".venv-win") }
$Python = Join-Path $Root ".venv-win\Scripts\python.exe"
Step $Python @("-m", "pip", "install", "--upgrade", "pip")
Step $Python @("-m", "pip", "install", ".[package]")

# 2. Generated files: compiled forms and .qm translations.
Step $Python @("tools\build.py")

# 3. The one-folder bundle dist\lawsup\ (lawsup.exe windowed, lawsup-cli.exe console).
Step $Python @("-m", "PyInstaller", "--noconfirm", "packaging\lawsup.spec")
Step "dist\lawsup\lawsup-cli.exe" @("--version")

# 4. The installer, versioned from the package.
$Version = (& $Python -c "import lawsup_desktop; print(lawsup_desktop.__version__)").Trim()
$Iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $Iscc) { $Iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
if (-not (Test-Path $Iscc)) { throw "Inno Setup 6 not found: install it from https://jrsoftware.org/isinfo.php" }
Step $Iscc @("/DAppVersion=$Version", "packaging\windows\lawsup.iss")
Write-Host "installer: $Root\dist\lawsup-$Version-setup.exe"
