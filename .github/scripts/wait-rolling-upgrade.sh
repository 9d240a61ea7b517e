#!/usr/bin/env bash
# After `pulumi up`: waits for the scale set's rolling upgrade and fails when it did not complete. `pulumi up`
# returns once Azure has the new scale-set model; the instances then roll batch by batch, and a batch whose
# instances fail their health checks stops the rollout and rolls them back (rollbackFailedInstancesOnPolicyBreach).
# Without this step such a deploy would look green.
#
# Polls `az vmss rolling-upgrade get-latest` (runningStatus.code: RollingForward, Cancelled, Completed, Faulted)
# and `az vmss list-instances` (latestModelApplied) with the deploying identity's az session:
#   - Faulted or Cancelled, started by this deploy: fail (the rollout stopped; failed batches were rolled back);
#   - Completed by this deploy with failed instances: fail;
#   - every instance on the latest model and nothing rolling: done (also when this deploy changed no model);
#   - instances behind the model and no rollout started within ROLLOUT_START_GRACE_SECONDS: fail;
#   - still rolling after ROLLOUT_TIMEOUT_SECONDS: fail (the rollout goes on in Azure; check it there).
# Env: VMSS_RESOURCE_GROUP, VMSS_NAME, DEPLOY_STARTED_AT (epoch seconds, set before `pulumi up`);
# optional ROLLOUT_TIMEOUT_SECONDS (9000), ROLLOUT_POLL_SECONDS (60), ROLLOUT_START_GRACE_SECONDS (600).
set -euo pipefail

rg="${VMSS_RESOURCE_GROUP:?set VMSS_RESOURCE_GROUP (the stack output resourceGroups.dynamic)}"
name="${VMSS_NAME:?set VMSS_NAME (the stack output vmssName)}"
started="${DEPLOY_STARTED_AT:?set DEPLOY_STARTED_AT (epoch seconds, before pulumi up)}"
timeout="${ROLLOUT_TIMEOUT_SECONDS:-9000}"
poll="${ROLLOUT_POLL_SECONDS:-60}"
grace="${ROLLOUT_START_GRACE_SECONDS:-600}"
for v in "$started" "$timeout" "$poll" "$grace"; do
  [[ "$v" =~ ^[0-9]+$ ]] || { echo "::error::DEPLOY_STARTED_AT and the ROLLOUT_* settings must be whole seconds, got ${v}"; exit 2; }
done
# Azure's clock and the runner's may differ a little: an upgrade that started up to this much before the deploy is its own.
skew=120
deadline=$(( $(date +%s) + timeout ))
errors=0
err="$(mktemp)"
trap 'rm -f "$err"' EXIT
# One line, |-separated, every field a string (to_string: null and numbers too), so no field can shift.
QUERY="join('|', [to_string(runningStatus.code), to_string(runningStatus.startTime), to_string(progress.successfulInstanceCount), to_string(progress.failedInstanceCount), to_string(progress.inProgressInstanceCount), to_string(progress.pendingInstanceCount)])"

# Fields of the latest rolling upgrade; "none" when the scale set has never had one, "error" when az failed otherwise.
# RollingUpgradeStatusInfo: runningStatus {code, startTime}, progress {successful,failed,inProgress,pending}InstanceCount https://learn.microsoft.com/en-us/rest/api/compute/virtual-machine-scale-set-rolling-upgrades/get-latest
latest() {
  local out
  if out="$(az vmss rolling-upgrade get-latest --resource-group "$rg" --name "$name" --query "$QUERY" --output tsv 2>"$err")"; then
    printf '%s\n' "$out"
  elif grep -qiE 'NotFound|not found|could not be found' "$err"; then
    echo none
  else
    echo error
  fi
}

while :; do
  now=$(date +%s)
  IFS='|' read -r code start ok failed running pending < <(latest) || true
  ours=false
  case "$code" in
    none) echo "no rolling upgrade has run on ${name}" ;;
    error)
      errors=$(( errors + 1 ))
      echo "az vmss rolling-upgrade get-latest failed ($(head -c 300 "$err" | tr '\n' ' '))"
      [ "$errors" -lt 3 ] || { echo "::error title=rollout ${name}::cannot read the rolling upgrade's status (3 failures in a row)"; exit 1; }
      sleep "$poll"; continue ;;
    *)
      errors=0
      start_epoch=$(date -u -d "$start" +%s 2>/dev/null || echo 0)
      [ "$start_epoch" -ge $(( started - skew )) ] && ours=true
      when="before this deploy"
      [ "$ours" = true ] && when="by this deploy"
      echo "rolling upgrade of ${name} (started ${start}, ${when}): ${code}, ${ok} upgraded, ${failed} failed, ${running} in progress, ${pending} pending" ;;
  esac

  if [ "$ours" = true ]; then
    case "$code" in
      Faulted | Cancelled)
        message="$(az vmss rolling-upgrade get-latest --resource-group "$rg" --name "$name" --query "error.message" --output tsv 2>/dev/null | head -c 500 || true)"
        echo "::error title=rollout ${name}::the rolling upgrade ${code}: the new model did not reach every instance (failed batches are rolled back). ${message}"
        exit 1 ;;
      Completed)
        if [ "$failed" != 0 ] && [ "$failed" != null ]; then
          echo "::error title=rollout ${name}::the rolling upgrade completed with ${failed} failed instance(s)"
          exit 1
        fi ;;
    esac
  fi

  if [ "$code" != RollingForward ]; then
    behind="$(az vmss list-instances --resource-group "$rg" --name "$name" --query "length([?latestModelApplied==\`false\`])" --output tsv)"
    if [ "$behind" = 0 ]; then
      echo "every instance of ${name} runs the latest model"
      exit 0
    fi
    if [ "$ours" = false ] && [ "$now" -ge $(( started + grace )) ]; then
      echo "::error title=rollout ${name}::${behind} instance(s) are not on the latest model and no rolling upgrade started within ${grace} s of the deploy (latest: ${code})"
      exit 1
    fi
  fi

  if [ "$now" -ge "$deadline" ]; then
    echo "::error title=rollout ${name}::the rolling upgrade did not complete within ${timeout} s (status ${code}); it goes on in Azure: az vmss rolling-upgrade get-latest -g ${rg} -n ${name}"
    exit 1
  fi
  sleep "$poll"
done
