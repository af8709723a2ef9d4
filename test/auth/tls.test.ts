import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { generatedTlsPaths, loadOrCreateTlsCertificate } from '../../src/auth/tls.js';
import { T, buildIdentityApp } from './identity-fixtures.js';

const run = promisify(execFile);

describe('loadOrCreateTlsCertificate', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-tls-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('generates a certificate for localhost, 127.0.0.1 and ::1 once, then reuses it', async () => {
    const now = new Date();
    const first = await loadOrCreateTlsCertificate({ dir, now });
    const { certPath, keyPath } = generatedTlsPaths(dir);
    assert.equal(first.certPath, certPath);
    assert.equal(await readFile(certPath, 'utf8'), first.cert);
    assert.equal(await readFile(keyPath, 'utf8'), first.key);
    assert.equal((await stat(keyPath)).mode & 0o777, 0o600);

    const cert = new X509Certificate(first.cert);
    assert.equal(cert.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    assert.equal(cert.checkPrivateKey(createPrivateKey(first.key)), true);
    const days = (Date.parse(cert.validTo) - now.getTime()) / 86_400_000;
    assert.ok(days > 364 && days <= 365, String(days));
    assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048);

    const second = await loadOrCreateTlsCertificate({ dir, now: new Date(now.getTime() + 86_400_000) });
    assert.deepEqual(second, first);
  });

  it('replaces the generated certificate once it has expired', async () => {
    const before = await loadOrCreateTlsCertificate({ dir, now: new Date() });
    const later = new Date(Date.parse(new X509Certificate(before.cert).validTo) + 1000);
    const renewed = await loadOrCreateTlsCertificate({ dir, now: later });
    assert.notEqual(renewed.cert, before.cert);
    assert.ok(Date.parse(new X509Certificate(renewed.cert).validTo) > later.getTime());
    // Back at the present, that certificate is not valid yet: a new one is made.
    const present = await loadOrCreateTlsCertificate({ dir, now: new Date() });
    assert.notEqual(present.cert, renewed.cert);
  });

  it('uses --cert and --key as given, and needs both', async () => {
    await writeFile(join(dir, 'mine.crt'), 'CERT');
    await writeFile(join(dir, 'mine.key'), 'KEY');
    const given = await loadOrCreateTlsCertificate({
      dir,
      certFile: join(dir, 'mine.crt'),
      keyFile: join(dir, 'mine.key'),
      now: new Date(),
    });
    assert.deepEqual(given, { cert: 'CERT', key: 'KEY', certPath: join(dir, 'mine.crt') });
    await assert.rejects(
      loadOrCreateTlsCertificate({ dir, certFile: join(dir, 'mine.crt'), now: new Date() }),
      /needs both --cert and --key/,
    );
  });

  it('is trusted by a Node client started with NODE_EXTRA_CA_CERTS=<dir>/tls/cert.pem', async () => {
    const tls = await loadOrCreateTlsCertificate({ dir, now: new Date() });
    const { app } = await buildIdentityApp({ https: { cert: tls.cert, key: tls.key } });
    try {
      const origin = await app.listen({ host: '127.0.0.1', port: 0 });
      const script = `fetch(${JSON.stringify(`${origin}/${T.contoso}/v2.0/.well-known/openid-configuration`)}).then((r) => r.json()).then((j) => process.stdout.write(j.token_endpoint))`;
      const { stdout } = await run(process.execPath, ['-e', script], {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: tls.certPath },
      });
      assert.equal(stdout, `${origin}/${T.contoso}/oauth2/v2.0/token`);
      await assert.rejects(
        run(process.execPath, ['-e', script], { env: { ...process.env, NODE_EXTRA_CA_CERTS: '' } }),
      );
    } finally {
      await app.close();
    }
  });
});
