<#
.SYNOPSIS
  Installs the Pexip Teams Connector on one scale-set instance and sets its Windows Update schedule.

.DESCRIPTION
  Run by the Azure Custom Script Extension (components/teamsConnectorVmss.ts), which has already downloaded this
  script and the connector ZIP into the working directory with the instances' managed identity. Every value arrives
  as one base64 JSON argument (components/installer.ts, bootstrapCommand), so no quoting is involved, and none of
  them is a secret: the app password and the Event Hub connection string arrive as versioned Key Vault secret URIs.
  This script reads them with the instances' user-assigned identity (a token from the instance metadata service),
  through the subnet's Key Vault service endpoint, into memory only, and hands them to Pexip's PowerShell installer
  in-process: never on a command line, in a file or in the transcript.
  Idempotent: the extension runs it again after every model change (connector version, certificate, settings, a
  secret's new version) and on reimage.

  The installer's entry point and parameter names are ASSUMPTIONS to confirm against Pexip's package; the stack
  overrides them with installer.entryPoint and installer.parameters.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$SettingsBase64
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

# The metadata service's token endpoint, the Key Vault audience and API versions, and the only secret URIs a token
# is sent to: the same values as components/installer.ts (test/installer.bootstrap.test.ts holds them equal).
$ImdsTokenEndpoint = 'http://169.254.169.254/metadata/identity/oauth2/token'
$ImdsApiVersion = '2018-02-01'
$KeyVaultResource = 'https://vault.azure.net'
$KeyVaultApiVersion = '7.4'
$VersionedSecretUri = '^https://[a-z0-9-]{3,24}\.vault\.azure\.net/secrets/[A-Za-z0-9-]{1,127}/[0-9a-f]{32}$'

# The metadata service answers 404/429/5xx while the identity is being attached, and Key Vault 403 until a fresh
# role assignment has propagated: retry for about ten minutes before failing the install.
function Invoke-WithRetry([scriptblock]$Action, [string]$What) {
    $delays = @(5, 10, 20, 40, 60, 60, 60, 60, 60, 60, 60, 60, 60)
    for ($i = 0; ; $i++) {
        try { return & $Action }
        catch {
            if ($i -ge $delays.Count) { throw "$What failed after $($i + 1) attempts: $($_.Exception.Message)" }
            Start-Sleep -Seconds $delays[$i]
        }
    }
}

# An access token for Key Vault, for the instances' user-assigned identity (by its ARM resource ID).
function Get-KeyVaultToken([string]$IdentityResourceId) {
    $uri = '{0}?api-version={1}&resource={2}&msi_res_id={3}' -f $ImdsTokenEndpoint, $ImdsApiVersion, [uri]::EscapeDataString($KeyVaultResource), [uri]::EscapeDataString($IdentityResourceId)
    $response = Invoke-WithRetry -What 'the managed identity token for Key Vault' -Action {
        Invoke-RestMethod -Method Get -Uri $uri -Headers @{ Metadata = 'true' } -UseBasicParsing
    }.GetNewClosure()
    return $response.access_token
}

# One secret's value, by its versioned URI; the token goes to public Azure Key Vault URIs only.
function Read-KeyVaultSecret([string]$SecretUri, [string]$Token) {
    if ($SecretUri -cnotmatch $VersionedSecretUri) { throw "secret URI $SecretUri is not a versioned Key Vault secret URI" }
    $uri = '{0}?api-version={1}' -f $SecretUri, $KeyVaultApiVersion
    $response = Invoke-WithRetry -What "reading the Key Vault secret $SecretUri" -Action {
        Invoke-RestMethod -Method Get -Uri $uri -Headers @{ Authorization = "Bearer $Token" } -UseBasicParsing
    }.GetNewClosure()
    return $response.value
}

# The log may hold what Pexip's installer prints: readable by SYSTEM and Administrators only.
$logDir = Join-Path $env:ProgramData 'Pexip\TeamsConnectorBootstrap'
New-Item -ItemType Directory -Force -Path $logDir | Out-Null
& icacls.exe $logDir /inheritance:r /grant:r '*S-1-5-18:(OI)(CI)F' '*S-1-5-32-544:(OI)(CI)F' | Out-Null
if ($LASTEXITCODE -ne 0) { throw "icacls could not restrict $logDir (exit $LASTEXITCODE)" }
Start-Transcript -Path (Join-Path $logDir 'bootstrap.log') -Append | Out-Null
try {
    [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
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

    # --- The installer's arguments: the plain ones, then the secret ones read from Key Vault (memory only) ---
    $entry = Join-Path $dest $cfg.entryPoint
    if (-not (Test-Path -LiteralPath $entry)) { throw "installer entry point $($cfg.entryPoint) not found in the package (set installer.entryPoint)" }
    $installerArgs = @{}
    foreach ($p in $cfg.installerArguments.PSObject.Properties) {
        $v = $p.Value
        if ($v -is [bool]) { $installerArgs[$p.Name] = $v }
        elseif ($v -is [System.Array]) { $installerArgs[$p.Name] = [string[]]$v }
        else { $installerArgs[$p.Name] = [string]$v }
    }
    $secretArguments = @($cfg.secretArguments)
    if ($secretArguments.Count -gt 0) {
        # A native installer would get them on its command line, which any process can read (config refuses it too).
        if ($entry -notlike '*.ps1') { throw "installer entry point $($cfg.entryPoint) is not a PowerShell script: secret arguments are never passed on a command line" }
        $token = Get-KeyVaultToken -IdentityResourceId $cfg.identityResourceId
        foreach ($s in $secretArguments) { $installerArgs[$s.name] = Read-KeyVaultSecret -SecretUri $s.secretUri -Token $token }
        $token = $null
    }

    # --- Run Pexip's installer with the stack's values ---
    Push-Location $dest
    try {
        if ($entry -like '*.ps1') {
            & $entry @installerArgs
        } else {
            # Native installers get -Name value pairs; lists are comma-joined. Only plain arguments reach here.
            $argv = foreach ($k in $installerArgs.Keys) { "-$k"; if ($installerArgs[$k] -is [System.Array]) { $installerArgs[$k] -join ',' } else { "$($installerArgs[$k])" } }
            $proc = Start-Process -FilePath $entry -ArgumentList $argv -Wait -PassThru -NoNewWindow
            if ($proc.ExitCode -ne 0) { throw "installer exited with $($proc.ExitCode)" }
        }
    } finally {
        Pop-Location
        $installerArgs.Clear()
    }
    Write-Output "Pexip Teams Connector $($cfg.connectorVersion) installed"
} finally {
    Stop-Transcript | Out-Null
}
