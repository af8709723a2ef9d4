import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StartOptions } from '../../src/cli/start-options.js';
import { startServer, type RunningServer } from '../../src/http/server.js';

export interface TestServer extends RunningServer {
  dataDir: string;
  /** Gets an app token from the server's own token endpoint. */
  token(opts?: { appId?: string; secret?: string; tenantId?: string; fresh?: boolean }): Promise<string>;
  /** fetch() against the server with an app token (default app) unless `token: null`. */
  graph(
    method: string,
    path: string,
    opts?: { body?: unknown; token?: string | null; headers?: Record<string, string> },
  ): Promise<{ status: number; headers: Headers; body: unknown }>;
}

/**
 * Starts Switchboard in this process on a free port, plain http, in-memory and with a manual
 * clock by default: nothing happens after a create unless a test advances the clock.
 */
export async function startTestServer(overrides: Partial<StartOptions> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    dataDir,
    inMemory: true,
    logLevel: 'silent',
    https: false,
    auth: 'strict',
    clock: 'manual',
    ...overrides,
  });
  const app = server.world.apps[0]!;
  const tokens = new Map<string, string>();
  const token: TestServer['token'] = async (opts = {}) => {
    const appId = opts.appId ?? app.appId;
    const found = server.world.apps.find((a) => a.appId === appId);
    const secret = opts.secret ?? found?.secret ?? '';
    const tenantId = opts.tenantId ?? found?.tenantId ?? app.tenantId;
    const key = `${appId}|${secret}|${tenantId}`;
    const cached = tokens.get(key);
    if (cached && !opts.fresh) return cached;
    const res = await fetch(`${server.url}/${tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: appId,
        client_secret: secret,
        scope: 'https://graph.microsoft.com/.default',
      }),
    });
    const json = (await res.json()) as { access_token?: string };
    if (!json.access_token) throw new Error(`token request failed: ${res.status} ${JSON.stringify(json)}`);
    tokens.set(key, json.access_token);
    return json.access_token;
  };
  return {
    ...server,
    dataDir,
    token,
    async graph(method, path, opts = {}) {
      const bearer = opts.token === undefined ? await token() : opts.token;
      const headers: Record<string, string> = { ...opts.headers };
      if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
      if (opts.body !== undefined) headers['content-type'] ??= 'application/json';
      const res = await fetch(server.url + path, {
        method,
        headers,
        body:
          opts.body === undefined
            ? undefined
            : typeof opts.body === 'string'
              ? opts.body
              : JSON.stringify(opts.body),
      });
      const text = await res.text();
      return {
        status: res.status,
        headers: res.headers,
        body: text ? (JSON.parse(text) as unknown) : undefined,
      };
    },
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
