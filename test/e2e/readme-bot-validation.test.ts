import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { SignJWT, type JWTPayload } from 'jose';
import { loadOrCreateSigningKeys, type SigningKeys } from '../../src/auth/signing-keys.js';
import { CALL_TIMINGS } from '../../src/domain/call-transitions.js';
import { FAR_END_DELAY_MS } from '../../src/services/far-end.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { defaultWorld } from '../../src/world/default-world.js';
import { SEED_IDS as S } from '../../src/world/seed-ids.js';
import { until, WAIT_MS } from '../support/poll.js';
import { spawnSwitchboard, type SwitchboardProcess } from '../support/switchboard-process.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const README = join(ROOT, 'README.md');
const EXAMPLE = join(ROOT, 'examples/bot-validate.mjs');

/** The code between `// <name>:begin` and `// <name>:end` in the example. */
function exampleSection(name: string): string {
  const text = readFileSync(EXAMPLE, 'utf8');
  const match = new RegExp(`// ${name}:begin\\n([\\s\\S]*?)// ${name}:end\\n`).exec(text);
  assert.ok(match, `examples/bot-validate.mjs marks ${name}`);
  return match[1]!;
}

/** The fenced block between `<!-- <name>:begin -->` and `<!-- <name>:end -->` in the README. */
function readmeBlock(name: string, lang: string): string {
  const text = readFileSync(README, 'utf8');
  const match = new RegExp(
    `<!-- ${name}:begin -->\\s*\`\`\`${lang}\\n([\\s\\S]*?)\`\`\`\\s*<!-- ${name}:end -->`,
  ).exec(text);
  assert.ok(match, `README has the ${name} block`);
  return match[1]!;
}

/** The README's command line that starts the example bot, split into words (comment dropped). */
function readmeBotCommand(): string[] {
  const line = readmeBlock('bot-validate-run', 'sh')
    .split('\n')
    .find((l) => l.startsWith('node examples/bot-validate.mjs'));
  assert.ok(line, 'README shows how to start the example bot');
  return line.replace(/#.*$/, '').trim().split(/\s+/);
}

/** John follows the built-in world's default policy: he answers this long after his phone rings. */
const JOHN_ANSWERS_AFTER_MS = defaultWorld().defaultPolicy.afterMs ?? 0;

/** stdout of a child process, line by line, with a way to wait for a line. */
class Lines {
  readonly lines: string[] = [];
  #partial = '';
  readonly #waiters = new Set<() => void>();

  push(chunk: string): void {
    const parts = (this.#partial + chunk).split('\n');
    this.#partial = parts.pop()!;
    this.lines.push(...parts);
    for (const wake of this.#waiters) wake();
  }

  /** Resolves with the first line matching `pattern` (from line `from` on). */
  async waitFor(pattern: RegExp, from = 0, timeoutMs = WAIT_MS): Promise<RegExpExecArray> {
    const find = () => {
      for (const line of this.lines.slice(from)) {
        const m = pattern.exec(line);
        if (m) return m;
      }
      return undefined;
    };
    const found = find();
    if (found) return found;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`no line matched ${pattern}; the bot printed:\n${this.lines.join('\n')}`));
      }, timeoutMs);
      const check = () => {
        const m = find();
        if (!m) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(m);
      };
      this.#waiters.add(check);
    });
  }
}

interface NotificationRow {
  status: string;
  body: { value: { changeType: string; resourceData: { state?: string } }[] };
  attemptLog: { status: number | null }[];
}

describe('README: validating notifications in your bot (examples/bot-validate.mjs)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bot-validate-'));
  const dataDir = join(dir, 'data');
  let keys: SigningKeys;
  let server: SwitchboardProcess;
  let bot: ChildProcess;
  const out = new Lines();
  let botUrl = '';
  let callId = '';

  const appToken = async (appId: string): Promise<string> => {
    const res = await fetch(`${server.url}/${S.contosoTenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: appId,
        client_secret: 'switchboard-dev-secret',
        scope: 'https://graph.microsoft.com/.default',
      }),
    });
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const rowsOf = async (id: string): Promise<NotificationRow[]> => {
    const res = await fetch(`${server.url}/_switchboard/calls/${id}/notifications`);
    return ((await res.json()) as { value: NotificationRow[] }).value;
  };
  const advance = async (ms: number): Promise<void> => {
    const res = await fetch(`${server.url}/_switchboard/clock/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ms }),
    });
    assert.equal(res.status, 200, await res.text());
  };
  /** John's phone rings FAR_END_DELAY_MS after the call; he answers JOHN_ANSWERS_AFTER_MS later. */
  const johnAnswers = async (): Promise<void> => {
    await advance(FAR_END_DELAY_MS);
    await advance(JOHN_ANSWERS_AFTER_MS);
  };
  const statesOf = (rows: NotificationRow[]) =>
    rows.flatMap((r) => r.body.value.map((i) => `${i.changeType}:${i.resourceData.state ?? '-'}`));

  before(async () => {
    // The signing key is created before Switchboard starts, in its data directory, so this test
    // holds the very key that signs the notifications and can forge tokens with it.
    const store = new SqliteStore({ file: join(dataDir, 'switchboard.db') });
    await store.migrate();
    keys = await loadOrCreateSigningKeys({ store, now: Date.now() });
    await store.close();
    // A manual clock: the test moves it to make the far end ring, answer and hang up.
    server = await spawnSwitchboard([
      '--port',
      '0',
      '--data',
      dataDir,
      '--clock',
      'manual',
      '--log-level',
      'silent',
    ]);

    const [node, ...args] = readmeBotCommand();
    assert.equal(node, 'node');
    bot = spawn(process.execPath, [...args, '--switchboard', server.url, '--port', '0'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    bot.stdout!.on('data', (d: Buffer) => out.push(d.toString()));
    bot.stderr!.on('data', (d: Buffer) => out.push(d.toString()));
    botUrl = (await out.waitFor(/^listening on (http:\/\/127\.0\.0\.1:\d+\/api\/calls)$/))[1]!;
  });

  after(async () => {
    if (bot.exitCode === null) {
      const exited = once(bot, 'exit');
      bot.kill('SIGTERM');
      await exited;
    }
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('README shows the validation function of the example byte for byte', () => {
    assert.equal(readmeBlock('bot-validate', 'js'), exampleSection('validate-notification'));
  });

  it('the README command starts the bot on 3978 by default and places a call to John', () => {
    assert.deepEqual(readmeBotCommand(), ['node', 'examples/bot-validate.mjs', '--call', S.johnUserId]);
    assert.match(readFileSync(EXAMPLE, 'utf8'), /port: \{ type: 'string', default: '3978' \}/);
  });

  it('validates and logs the establishing and established notifications of the call it placed', async () => {
    callId = (await out.waitFor(/^placed call ([0-9a-f-]{36}) \(201 establishing\)$/))[1]!;
    await johnAnswers();
    const resource = `/communications/calls/${callId}`;
    await out.waitFor(new RegExp(`^notification updated ${resource} established$`));
    assert.deepEqual(
      out.lines.filter((l) => l.includes(resource)),
      [`notification updated ${resource} establishing`, `notification updated ${resource} established`],
    );
    assert.deepEqual(
      out.lines.filter((l) => l.startsWith('rejected')),
      [],
    );
    // Switchboard recorded the bot's 202 for both (the bot prints its line before it answers).
    const rows = await until('both rows recorded', async () => {
      const found = await rowsOf(callId);
      return found.length === 2 && found.every((r) => r.status !== 'pending') ? found : undefined;
    });
    assert.deepEqual(statesOf(rows), ['updated:establishing', 'updated:established']);
    for (const row of rows) {
      assert.equal(row.status, 'delivered');
      assert.deepEqual(
        row.attemptLog.map((a) => a.status),
        [202],
      );
    }
  });

  it('validates the hang-up notifications: terminating, then deleted with terminated', async () => {
    const res = await fetch(`${server.url}/v1.0/communications/calls/${callId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${await appToken(S.callingBotAppId)}` },
    });
    assert.equal(res.status, 204);
    await advance(CALL_TIMINGS.terminationDelayMs);
    const resource = `/communications/calls/${callId}`;
    await out.waitFor(new RegExp(`^notification deleted ${resource} terminated$`));
    assert.deepEqual(out.lines.filter((l) => l.includes(resource)).slice(2), [
      `notification updated ${resource} terminating`,
      `notification deleted ${resource} terminated`,
    ]);
  });

  describe('refuses what is not a genuine notification for this bot with 401', () => {
    const post = async (authorization: string | undefined) => {
      const res = await fetch(botUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(authorization === undefined ? {} : { authorization }),
        },
        body: JSON.stringify({
          '@odata.type': '#microsoft.graph.commsNotifications',
          value: [{ changeType: 'updated', resourceUrl: '/communications/calls/forged', resourceData: {} }],
        }),
      });
      await res.arrayBuffer();
      return res.status;
    };
    const now = () => Math.floor(Date.now() / 1000);
    const forge = (claims: JWTPayload, key: KeyObject = keys.privateKey) =>
      new SignJWT(claims)
        .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: keys.kid, x5t: keys.x5t })
        .sign(key);
    const genuine = (): JWTPayload => ({
      aud: S.callingBotAppId,
      iss: 'https://graph.microsoft.com',
      iat: now(),
      nbf: now(),
      exp: now() + 3600,
      tid: S.contosoTenantId,
    });

    it('accepts a token with every claim right (the forging itself is sound)', async () => {
      assert.equal(await post(`Bearer ${await forge(genuine())}`), 202);
      assert.equal(
        await post(`Bearer ${await forge({ ...genuine(), iss: 'https://api.botframework.com' })}`),
        202,
      );
    });

    it('refuses a missing or malformed Authorization header', async () => {
      const before = out.lines.length;
      assert.equal(await post(undefined), 401);
      assert.equal(await post(`Basic ${Buffer.from('a:b').toString('base64')}`), 401);
      await out.waitFor(/^rejected \(401\): no bearer token$/, before);
    });

    it('refuses a token signed with another key under the published kid', async () => {
      const before = out.lines.length;
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      assert.equal(await post(`Bearer ${await forge(genuine(), other)}`), 401);
      await out.waitFor(/^rejected \(401\): signature verification failed$/, before);
    });

    it('refuses a token for another audience', async () => {
      const before = out.lines.length;
      assert.equal(await post(`Bearer ${await forge({ ...genuine(), aud: S.testBotAppId })}`), 401);
      await out.waitFor(/^rejected \(401\): unexpected "aud" claim value$/, before);
    });

    it('refuses an expired token, beyond the 5 minutes of clock skew', async () => {
      const before = out.lines.length;
      const old = now() - 3600 - 301;
      const expired = { ...genuine(), iat: old, nbf: old, exp: old + 3600 };
      assert.equal(await post(`Bearer ${await forge(expired)}`), 401);
      await out.waitFor(/^rejected \(401\): "exp" claim timestamp check failed$/, before);
    });

    it('refuses another issuer (a Graph app token is signed with the same key)', async () => {
      const before = out.lines.length;
      const issuer = `https://sts.windows.net/${S.contosoTenantId}/`;
      assert.equal(await post(`Bearer ${await forge({ ...genuine(), iss: issuer })}`), 401);
      assert.equal(await post(`Bearer ${await appToken(S.callingBotAppId)}`), 401);
      await out.waitFor(/^rejected \(401\): unexpected "iss" claim value$/, before);
    });

    it('refuses a token without a tenant id', async () => {
      const before = out.lines.length;
      const { tid: _tid, ...noTenant } = genuine();
      assert.equal(await post(`Bearer ${await forge(noTenant)}`), 401);
      await out.waitFor(/^rejected \(401\): missing required "tid" claim$/, before);
    });

    it("refuses Switchboard's own notifications of another app's call; Switchboard marks them failed", async () => {
      const before = out.lines.length;
      const res = await fetch(`${server.url}/v1.0/communications/calls`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await appToken(S.testBotAppId)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          '@odata.type': '#microsoft.graph.call',
          callbackUri: botUrl,
          targets: [
            {
              '@odata.type': '#microsoft.graph.invitationParticipantInfo',
              identity: { user: { id: S.johnUserId } },
            },
          ],
          requestedModalities: ['audio'],
          mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
        }),
      });
      assert.equal(res.status, 201);
      const { id } = (await res.json()) as { id: string };
      await johnAnswers();
      const rows = await until('both rows failed', async () => {
        const found = await rowsOf(id);
        return found.length === 2 && found.every((r) => r.status === 'failed') ? found : undefined;
      });
      assert.deepEqual(statesOf(rows), ['updated:establishing', 'updated:established']);
      for (const row of rows) {
        assert.deepEqual(
          row.attemptLog.map((a) => a.status),
          [401],
        );
      }
      assert.deepEqual(
        out.lines.filter((l) => l.includes(id)),
        [],
      );
      // The bot prints each line before it answers 401: wait until both reached this process.
      await until('both rejections printed', () => (out.lines.length - before >= 2 ? true : undefined));
      assert.deepEqual(out.lines.slice(before), [
        'rejected (401): unexpected "aud" claim value',
        'rejected (401): unexpected "aud" claim value',
      ]);
    });
  });
});
