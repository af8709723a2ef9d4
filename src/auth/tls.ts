import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TlsCertificate {
  cert: string;
  key: string;
  /** The certificate file: what NODE_EXTRA_CA_CERTS (or an agent's `ca`) should point at. */
  certPath: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const LIFETIME_MS = 365 * DAY_MS;

/** Where the generated certificate lives inside the data directory. */
export function generatedTlsPaths(dir: string): { certPath: string; keyPath: string } {
  return { certPath: join(dir, 'tls', 'cert.pem'), keyPath: join(dir, 'tls', 'key.pem') };
}

/**
 * The HTTPS certificate. With certFile and keyFile (--cert/--key) those files are used as
 * they are. Otherwise a self-signed certificate for localhost, 127.0.0.1 and ::1 (RSA 2048,
 * one year) is generated once into <dir>/tls/ and reused while it is valid at `now`.
 */
export async function loadOrCreateTlsCertificate(opts: {
  dir: string;
  certFile?: string;
  keyFile?: string;
  now: Date;
}): Promise<TlsCertificate> {
  if (opts.certFile !== undefined || opts.keyFile !== undefined) {
    if (opts.certFile === undefined || opts.keyFile === undefined) {
      throw new Error('A TLS certificate needs both --cert and --key.');
    }
    const [cert, key] = await Promise.all([readFile(opts.certFile, 'utf8'), readFile(opts.keyFile, 'utf8')]);
    return { cert, key, certPath: opts.certFile };
  }
  const { certPath, keyPath } = generatedTlsPaths(opts.dir);
  const existing = await readExisting(certPath, keyPath, opts.now);
  if (existing) return existing;

  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(opts.now.getTime() - DAY_MS),
    notAfterDate: new Date(opts.now.getTime() + LIFETIME_MS),
    extensions: [
      // A self-signed certificate that is its own trust anchor: clients trust it via `ca`.
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  await mkdir(join(opts.dir, 'tls'), { recursive: true });
  await writeFile(keyPath, pems.private, { mode: 0o600 });
  await writeFile(certPath, pems.cert);
  return { cert: pems.cert, key: pems.private, certPath };
}

async function readExisting(
  certPath: string,
  keyPath: string,
  now: Date,
): Promise<TlsCertificate | undefined> {
  let cert: string;
  let key: string;
  try {
    [cert, key] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
  } catch {
    return undefined;
  }
  try {
    const x509 = new X509Certificate(cert);
    const current = Date.parse(x509.validFrom) <= now.getTime() && now.getTime() < Date.parse(x509.validTo);
    if (!current) return undefined;
  } catch {
    return undefined;
  }
  return { cert, key, certPath };
}
