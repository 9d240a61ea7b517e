<#
.SYNOPSIS
  Installs the Pexip Teams Connector on one scale-set instance and sets its Windows Update schedule.

.DESCRIPTION
  Run by the Azure Custom Script Extension (components/teamsConnectorVmss.ts), which has already downloaded this
  script and the connector ZIP into the working directory with the instances' managed identity. Every value arrives
  as one base64 JSON argument (components/installer.ts, bootstrapCommand), so no quoting of passwords is involved.
  Idempotent: the extension runs it again after every model change (connector version, certificate, settings) and
  on reimage.

  The installer's entry point and parameter names are ASSUMPTIONS to confirm against Pexip's package; the stack
  overrides them with installer.entryPoint and installer.parameters.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$SettingsBase64
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$logDir = Join-Path $env:ProgramData 'Pexip\TeamsConnectorBootstrap'
New-Item -ItemType Directory -Force -Path $logDir | Out-Null
Start-Transcript -Path (Join-Path $logDir 'bootstrap.log') -Append | Out-Null
try {
    $json = [System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String($SettingsBase64))
    $cfg = $json | ConvertFrom-Json

    # --- Windows Update schedule (the seed's $PxWupd* semantics; the instances run in UTC) ---
    # ScheduledInstallDay: 0 = every day, 1 = Sunday ... 7 = Saturday. ScheduledInstallTime: hour 0-23.
    $wu = $cfg.windowsUpdate
    foreach ($check in @(
            @{ Name = 'installDay'; Value = $wu.installDay; Max = 7 },
            @{ Name = 'installHour'; Value = $wu.installHour; Max = 23 },
            @{ Name = 'activeHoursStart'; Value = $wu.activeHoursStart; Max = 23 },
            @{ Name = 'activeHoursEnd'; Value = $wu.activeHoursEnd; Max = 23 })) {
        if ($check.Value -lt 0 -or $check.Value -gt $check.Max) { throw "windowsUpdate.$($check.Name) = $($check.Value) is outside 0-$($check.Max)" }
    }
    $wuKey = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate'
    $auKey = Join-Path $wuKey 'AU'
    New-Item -Path $auKey -Force | Out-Null
    # AUOptions 4: download automatically and install on the schedule below.
    Set-ItemProperty -Path $auKey -Name 'NoAutoUpdate' -Value 0 -Type DWord
    Set-ItemProperty -Path $auKey -Name 'AUOptions' -Value 4 -Type DWord
    Set-ItemProperty -Path $auKey -Name 'ScheduledInstallDay' -Value ([int]$wu.installDay) -Type DWord
    Set-ItemProperty -Path $auKey -Name 'ScheduledInstallTime' -Value ([int]$wu.installHour) -Type DWord
    # Active hours: no update restart between start and end.
    Set-ItemProperty -Path $wuKey -Name 'SetActiveHours' -Value 1 -Type DWord
    Set-ItemProperty -Path $wuKey -Name 'ActiveHoursStart' -Value ([int]$wu.activeHoursStart) -Type DWord
    Set-ItemProperty -Path $wuKey -Name 'ActiveHoursEnd' -Value ([int]$wu.activeHoursEnd) -Type DWord

    # --- Expand the connector package (downloaded by the extension next to this script) ---
    $package = Join-Path $PSScriptRoot $cfg.packageFile
    if (-not (Test-Path -LiteralPath $package)) { throw "connector package $package was not downloaded" }
    $dest = Join-Path $env:ProgramData ("Pexip\TeamsConnector\" + $cfg.connectorVersion)
    Expand-Archive -LiteralPath $package -DestinationPath $dest -Force

    # --- Run Pexip's installer with the stack's values ---
    $entry = Join-Path $dest $cfg.entryPoint
    if (-not (Test-Path -LiteralPath $entry)) { throw "installer entry point $($cfg.entryPoint) not found in the package (set installer.entryPoint)" }
    $installerArgs = @{}
    foreach ($p in $cfg.installerArguments.PSObject.Properties) {
        $v = $p.Value
        if ($v -is [bool]) { $installerArgs[$p.Name] = $v }
        elseif ($v -is [System.Array]) { $installerArgs[$p.Name] = [string[]]$v }
        else { $installerArgs[$p.Name] = [string]$v }
    }
    Push-Location $dest
    try {
        if ($entry -like '*.ps1') {
            & $entry @installerArgs
        } else {
            # Native installers get -Name value pairs; lists are comma-joined.
            $argv = foreach ($k in $installerArgs.Keys) { "-$k"; if ($installerArgs[$k] -is [System.Array]) { $installerArgs[$k] -join ',' } else { "$($installerArgs[$k])" } }
            $proc = Start-Process -FilePath $entry -ArgumentList $argv -Wait -PassThru -NoNewWindow
            if ($proc.ExitCode -ne 0) { throw "installer exited with $($proc.ExitCode)" }
        }
    } finally {
        Pop-Location
    }
    Write-Output "Pexip Teams Connector $($cfg.connectorVersion) installed"
} finally {
    Stop-Transcript | Out-Null
}
