# Installs the Windows single executable for this user, then runs `configure`:
#   powershell -ExecutionPolicy Bypass -File install\install.ps1 [-From DIR] [-NoConfigure] [configure args, e.g. --account ID]
# DIR holds git-credential-artifacts.exe and keyring.node (the windows-x64 release zip, or
# `node install/sea.mjs --target bun-windows-x64 ...`); default: the folder above this script's
# `install` folder, which in the release zip is the one holding the executables.
# One copy of the executable goes to %LOCALAPPDATA%\Programs\git-credential-artifacts (per user,
# no admin rights); git-remote-artifacts.exe and artifacts-emulator.exe are hard links to it
# (the binary picks its tool by the name it was started as), so 118 MB is stored once.
# That folder is put on the user's PATH, since git finds git-remote-artifacts there.
# Undo with install\uninstall.ps1. Untested: no PowerShell runs on our Linux CI (README "Windows").
param([string]$From = (Split-Path -Parent $PSScriptRoot), [switch]$NoConfigure, [Parameter(ValueFromRemainingArguments = $true)][string[]]$ConfigureArgs)
$ErrorActionPreference = 'Stop'

$dest = Join-Path $env:LOCALAPPDATA 'Programs\git-credential-artifacts'
$exe = Join-Path $dest 'git-credential-artifacts.exe'
foreach ($f in 'git-credential-artifacts.exe', 'keyring.node') {
  if (-not (Test-Path -LiteralPath (Join-Path $From $f))) { throw "install.ps1: no $f in $From; pass -From <folder of the windows-x64 zip>" }
}
New-Item -ItemType Directory -Force -Path $dest | Out-Null
Copy-Item -LiteralPath (Join-Path $From 'git-credential-artifacts.exe') -Destination $exe -Force
Copy-Item -LiteralPath (Join-Path $From 'keyring.node') -Destination (Join-Path $dest 'keyring.node') -Force
foreach ($sibling in 'git-remote-artifacts.exe', 'artifacts-emulator.exe') {
  $link = Join-Path $dest $sibling
  Remove-Item -LiteralPath $link -Force -ErrorAction SilentlyContinue
  New-Item -ItemType HardLink -Path $link -Target $exe | Out-Null
}

$userPath = [Environment]::GetEnvironmentVariable('Path', 'User')
if (-not (($userPath -split ';') -contains $dest)) {
  [Environment]::SetEnvironmentVariable('Path', (@($userPath, $dest) | Where-Object { $_ }) -join ';', 'User')
  Write-Host "added $dest to your PATH (new terminals see it)"
}
$env:Path = "$dest;$env:Path"
Write-Host "installed $exe (+ git-remote-artifacts.exe, artifacts-emulator.exe as hard links, keyring.node)"

if (-not $NoConfigure) {
  & $exe configure @ConfigureArgs
  if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}
