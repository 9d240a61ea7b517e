/**
 * Connector certificate checks (placeholder signature; the regional work fills this in).
 */
export interface CertificateInfo {
  subject: string;
  dnsNames: string[];
  notAfter: string;
  thumbprint: string;
}

export interface CertificateCheck {
  /** Problems, one sentence each, never containing the password. */
  errors: string[];
  info?: CertificateInfo;
}

export function checkPfx(_pfx: Buffer, _password: string, _fqdn: string, _now: Date = new Date()): CertificateCheck {
  return { errors: [] };
}
