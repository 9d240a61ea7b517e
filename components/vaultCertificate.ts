/**
 * The one format in which the connector certificate is stored in Key Vault for the scale set's `osProfile.secrets`:
 * the JSON envelope that the compute API documents for `vaultCertificates[].certificateUrl`, base64 of UTF-8
 * `{ "data": <PFX, base64>, "dataType": "pfx", "password": <PFX password> }`. It carries the PFX's own password, so any
 * PFX the config accepts is stored as it is. Pure: no Pulumi.
 */

// certificateUrl: base64 of the UTF-8 JSON {data, dataType: "pfx", password} https://learn.microsoft.com/en-us/rest/api/compute/virtual-machine-scale-sets/create-or-update#vaultcertificate
export function vaultCertificateValue(pfxBase64: string, password: string): string {
  return Buffer.from(JSON.stringify({ data: pfxBase64, dataType: "pfx", password }), "utf8").toString("base64");
}

/** The envelope read back (tests, diagnostics); undefined when `value` is not one. */
export function parseVaultCertificateValue(value: string): { data: string; dataType: "pfx"; password: string } | undefined {
  try {
    const o = JSON.parse(Buffer.from(value, "base64").toString("utf8")) as Record<string, unknown>;
    if (typeof o.data !== "string" || o.dataType !== "pfx" || typeof o.password !== "string") return undefined;
    return { data: o.data, dataType: "pfx", password: o.password };
  } catch {
    return undefined;
  }
}

/**
 * The content type a raw, password-less PKCS#12 secret carries (a Key Vault certificate's secret). The envelope is not
 * that, so the certificate secret sets no content type: a reader (people, tools, the platform) must not take the
 * envelope for a PFX file.
 */
// A certificate's addressable secret is PKCS#12 with content type application/x-pkcs12 https://learn.microsoft.com/en-us/azure/key-vault/certificates/about-certificates#composition-of-a-certificate
export const RAW_PKCS12_CONTENT_TYPE = "application/x-pkcs12";

/** The Key Vault secret properties of the connector certificate: the envelope, and no content type. */
export function vaultCertificateSecretProperties<T>(value: T): { value: T } {
  return { value };
}
