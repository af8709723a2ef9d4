import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { loadOrCreateTlsCertificate } from '../../src/auth/tls.js';
import { DEFAULT_APP_SECRET } from '../../src/world/default-world.js';
import { SEED_IDS as S } from '../../src/world/seed-ids.js';
import { runSwitchboard, spawnSwitchboard } from '../support/switchboard-process.js';

const tmp = mkdtempSync(join(tmpdir(), 'switchboard-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function token(url: string): Promise<string> {
  const res = await fetch(`${url}/${S.contosoTenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: S.callingBotAppId,
      client_secret: DEFAULT_APP_SECRET,
      scope: 'https://graph.microsoft.com/.default',
    }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

const callBody = {
  callbackUri: 'https://bot.contoso.com/callback',
  targets: [{ identity: { user: { id: S.johnUserId, displayName: 'John' } } }],
  requestedModalities: ['audio'],
  mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
};

describe('switchboard start', () => {
  it('prints one ready line with the base URL and the default app, and stops on SIGTERM with 0', async () => {
    const sb = await spawnSwitchboard(['--port', '0', '--in-memory', '--log-level', 'silent']);
    assert.match(sb.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(sb.fields.tenant, S.contosoTenantId);
    assert.equal(sb.fields.appId, S.callingBotAppId);
    assert.equal(sb.fields.secret, DEFAULT_APP_SECRET);
    assert.equal(sb.fields.authority, `${sb.url}/${S.contosoTenantId}`);
    const health = await fetch(`${sb.url}/_switchboard/health`);
    assert.equal(health.status, 200);
    assert.equal(await sb.stop('SIGTERM'), 0);
  });

  it('stops gracefully on SIGINT with 0', async () => {
    const sb = await spawnSwitchboard(['--port', '0', '--in-memory', '--log-level', 'silent']);
    assert.equal(await sb.stop('SIGINT'), 0);
    assert.match(sb.stderr(), /SIGINT received, closing/);
  });

  it('keeps every call across a restart with the same --data', async () => {
    const data = join(tmp, 'restart');
    const first = await spawnSwitchboard(['--port', '0', '--data', data, '--log-level', 'silent']);
    const created = await fetch(`${first.url}/beta/communications/calls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token(first.url)}`, 'content-type': 'application/json' },
      body: JSON.stringify(callBody),
    });
    assert.equal(created.status, 201);
    const call = (await created.json()) as { id: string };
    assert.equal(await first.stop(), 0);

    const second = await spawnSwitchboard(['--port', '0', '--data', data, '--log-level', 'silent']);
    const got = await fetch(`${second.url}/beta/communications/calls/${call.id}`, {
      headers: { authorization: `Bearer ${await token(second.url)}` },
    });
    assert.equal(got.status, 200);
    assert.equal(((await got.json()) as { id: string }).id, call.id);
    assert.equal(await second.stop(), 0);
  });

  it('serves TLS with a generated certificate that clients can trust', async () => {
    const data = join(tmp, 'tls');
    const sb = await spawnSwitchboard(['--port', '0', '--data', data, '--https', '--log-level', 'silent']);
    assert.match(sb.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(sb.fields.cert, join(data, 'tls', 'cert.pem'));
    const ca = readFileSync(sb.fields.cert!, 'utf8');
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest(`${sb.url}/_switchboard/health`, { ca }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 200);
    assert.equal(await sb.stop(), 0);
  });

  it('serves TLS with the certificate and key given by --cert and --key', async () => {
    const own = await loadOrCreateTlsCertificate({ dir: join(tmp, 'own-cert'), now: new Date() });
    const keyFile = join(tmp, 'own-cert', 'tls', 'key.pem');
    const data = join(tmp, 'tls-own');
    const sb = await spawnSwitchboard([
      '--port',
      '0',
      '--data',
      data,
      '--https',
      '--cert',
      own.certPath,
      '--key',
      keyFile,
      '--log-level',
      'silent',
    ]);
    assert.equal(sb.fields.cert, own.certPath);
    const served = await new Promise<string>((resolve, reject) => {
      const req = httpsRequest(`${sb.url}/_switchboard/health`, { ca: own.cert }, (res) => {
        res.resume();
        const socket = res.socket as TLSSocket;
        resolve(socket.getPeerCertificate().fingerprint256);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(served, new X509Certificate(own.cert).fingerprint256);
    assert.equal(await sb.stop(), 0);
  });

  it('--auth loose accepts any bearer token and says so', async () => {
    const sb = await spawnSwitchboard([
      '--port',
      '0',
      '--in-memory',
      '--auth',
      'loose',
      '--log-level',
      'silent',
    ]);
    assert.match(sb.readyLine, /auth=loose\(UNSAFE\)/);
    const res = await fetch(`${sb.url}/beta/communications/calls`, {
      method: 'POST',
      headers: { authorization: 'Bearer anything', 'content-type': 'application/json' },
      body: JSON.stringify(callBody),
    });
    assert.equal(res.status, 201);
    assert.equal(await sb.stop(), 0);
  });

  it('refuses unknown flags with exit code 2', async () => {
    const r = await runSwitchboard(['start', '--colour', 'blue']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option '--colour'/);
  });

  it('refuses bad option values with exit code 2', async () => {
    const port = await runSwitchboard(['start', '--port', 'eighty']);
    assert.equal(port.code, 2);
    assert.match(port.stderr, /--port/);
    const auth = await runSwitchboard(['start', '--auth', 'none']);
    assert.equal(auth.code, 2);
    assert.match(auth.stderr, /Allowed choices are strict, loose/);
    const cert = await runSwitchboard(['start', '--cert', 'c.pem', '--key', 'k.pem']);
    assert.equal(cert.code, 2);
    assert.match(cert.stderr, /need --https/);
  });

  it('refuses a bad world file naming the path of the bad field', async () => {
    const file = join(tmp, 'bad-world.json');
    writeFileSync(
      file,
      JSON.stringify({
        tenants: [{ id: S.contosoTenantId, displayName: 'Contoso' }],
        apps: [
          { appId: 'not-a-guid', displayName: 'Bot', tenantId: S.contosoTenantId, secret: 's', roles: [] },
        ],
        users: [],
        guests: [],
        applicationInstances: [],
        phones: [],
        meetings: [],
        defaultPolicy: { action: 'answer' },
      }),
    );
    const r = await runSwitchboard(['start', '--port', '0', '--in-memory', '--world', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\/apps\/0\/appId/);
    const missing = await runSwitchboard([
      'start',
      '--port',
      '0',
      '--in-memory',
      '--world',
      join(tmp, 'nope.json'),
    ]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.json/);
  });

  it('prints its version and help', async () => {
    const version = await runSwitchboard(['--version']);
    assert.equal(version.code, 0);
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    assert.equal(version.stdout.trim(), pkg.version);
    const help = await runSwitchboard(['start', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--in-memory/);
  });
});
