#!/usr/bin/env bash
# Puts the Teams Connector ZIP that Pulumi.<stack>.yaml names (connectorPackage) where the program will
# read it. Pexip's packages are licensed and large, so they live in a storage container, not in git:
# CONNECTOR_PACKAGE_ACCOUNT / CONNECTOR_PACKAGE_CONTAINER name it, and the blob has the file's base name.
# Read with the signed-in Azure CLI identity (--auth-mode login): no storage key anywhere.
# When <package>.sha256 is committed next to where the ZIP goes, the download is checked against it.
set -euo pipefail

stack="${1:?usage: fetch-connector-package.sh <stack>}"
file="Pulumi.${stack}.yaml"
[ -f "$file" ] || { echo "::error::${file} not found"; exit 1; }

package="$(node -e '
  const { parse } = require("yaml");
  const config = (parse(require("fs").readFileSync(process.argv[1], "utf8")) || {}).config || {};
  const v = config["pexip-teams-connector:connectorPackage"] ?? config.connectorPackage;
  process.stdout.write(typeof v === "string" ? v : "");
' "$file")"

if [ -z "$package" ]; then
  echo "${file} sets no connectorPackage: nothing to fetch (the config check will say what is missing)."
  exit 0
fi
case "$package" in
  /* | *..*) echo "::error::connectorPackage must be a path inside the repository, got ${package}"; exit 1 ;;
esac

if [ ! -f "$package" ]; then
  : "${CONNECTOR_PACKAGE_ACCOUNT:?set the repository variable CONNECTOR_PACKAGE_ACCOUNT (storage account holding the packages)}"
  : "${CONNECTOR_PACKAGE_CONTAINER:?set the repository variable CONNECTOR_PACKAGE_CONTAINER (container holding the packages)}"
  mkdir -p "$(dirname "$package")"
  az storage blob download --auth-mode login --only-show-errors \
    --account-name "$CONNECTOR_PACKAGE_ACCOUNT" --container-name "$CONNECTOR_PACKAGE_CONTAINER" \
    --name "$(basename "$package")" --file "$package" > /dev/null
fi

if [ -f "${package}.sha256" ]; then
  expected="$(awk '{print $1; exit}' "${package}.sha256")"
  actual="$(sha256sum "$package" | awk '{print $1}')"
  if [ "$expected" != "$actual" ]; then
    echo "::error::${package}: sha256 ${actual} does not match ${package}.sha256 (${expected})"
    exit 1
  fi
  echo "${package}: sha256 matches ${package}.sha256"
fi
echo "connectorPackage for ${stack}: ${package}"
