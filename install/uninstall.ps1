# Undoes install\install.ps1: `unconfigure` (only what configure added), then removes
# %LOCALAPPDATA%\Programs\git-credential-artifacts and its PATH entry. Cached repo tokens
# (%LOCALAPPDATA%\git-credential-artifacts) expire by themselves; `git-credential-artifacts
# logout` before this forgets a login. Untested: no PowerShell runs on our Linux CI.
param([switch]$KeepConfig)
$ErrorActionPreference = 'Stop'

$dest = Join-Path $env:LOCALAPPDATA 'Programs\git-credential-artifacts'
$exe = Join-Path $dest 'git-credential-artifacts.exe'
if ((Test-Path -LiteralPath $exe) -and -not $KeepConfig) {
  & $exe unconfigure
  if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}
Remove-Item -LiteralPath $dest -Recurse -Force -ErrorAction SilentlyContinue
$userPath = [Environment]::GetEnvironmentVariable('Path', 'User')
if ($userPath) {
  [Environment]::SetEnvironmentVariable('Path', (($userPath -split ';') | Where-Object { $_ -and $_ -ne $dest }) -join ';', 'User')
}
Write-Host "removed $dest"
