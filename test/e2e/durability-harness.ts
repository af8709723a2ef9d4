import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { DEFAULT_APP_SECRET } from '../../src/world/default-world.js';
import { SEED_IDS as S } from '../../src/world/seed-ids.js';
import { until } from '../support/poll.js';

export { until };

/**
 * Shared by the durability e2e tests: a door in front of the bot that decides, per request,
 * whether the bot is down (an error status), up (the request is forwarded to the real bot and
 * its answer returned) or answers too late (forwarded, the bot's answer withheld), a small
 * client for a spawned Switchboard, and polling with a deadline (`until`, test/support/poll.ts).
 */

/** What the door does with one notification POST. */
export type DoorAnswer = { status: number } | 'forward' | 'hold';

export interface DoorRequest {
  /** The callback URL's path (a test gives each call the path it wants treated one way). */
  path: string;
  messageId: string;
  callId: string;
  /** The status the door answered; 'held' when the bot's answer was withheld. */
  answered: number | 'held';
  /** The bot's status, for forwarded and held requests. */
  botStatus?: number;
}

export const DOWN_BODY = 'the bot is down';

export class BotDoor {
  readonly log: DoorRequest[] = [];
  /** Where forwarded requests go (the real bot's URL). */
  target: string | undefined;
  rule: (request: { path: string; callId: string }) => DoorAnswer = () => ({ status: 503 });
  readonly #server: Server;
  readonly #held = new Map<ServerResponse, string>();
  readonly #base: string;

  private constructor(server: Server, base: string) {
    this.#server = server;
    this.#base = base;
  }

  static async start(): Promise<BotDoor> {
    let door: BotDoor | undefined = undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void door!.#handle(req.url ?? '/', req.headers, Buffer.concat(chunks), res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    door = new BotDoor(server, `http://127.0.0.1:${port}`);
    return door;
  }

  /** The callback URL whose requests the rule sees with this path. */
  url(path: string): string {
    return `${this.#base}${path}`;
  }

  /** Message ids of the requests whose answer is being withheld right now. */
  held(): string[] {
    return [...this.#held.values()];
  }

  /** The message ids the door saw for one call, in arrival order. */
  messageIds(callId: string): string[] {
    return this.log.filter((r) => r.callId === callId).map((r) => r.messageId);
  }

  async #handle(path: string, headers: IncomingHttpHeaders, body: Buffer, res: ServerResponse) {
    const messageId = String(headers['x-microsoft-skype-message-id']);
    const callId = callIdOf(body);
    const answer = this.rule({ path, callId });
    if (typeof answer === 'object') {
      this.log.push({ path, messageId, callId, answered: answer.status });
      res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(DOWN_BODY);
      return;
    }
    const entry: DoorRequest = { path, messageId, callId, answered: 'held' };
    this.log.push(entry);
    if (answer === 'hold') {
      this.#held.set(res, messageId);
      res.on('close', () => this.#held.delete(res));
    }
    try {
      const forwarded = await fetch(this.target!, { method: 'POST', headers: forwardHeaders(headers), body });
      const text = await forwarded.text();
      entry.botStatus = forwarded.status;
      if (answer === 'forward') {
        entry.answered = forwarded.status;
        res.writeHead(forwarded.status).end(text);
      }
    } catch (error) {
      entry.answered = 502;
      res.writeHead(502).end(String(error));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.closeAllConnections();
      this.#server.close(() => resolve());
    });
  }
}

function callIdOf(body: Buffer): string {
  const parsed = JSON.parse(body.toString('utf8')) as { value: { resourceUrl: string }[] };
  return /\/communications\/calls\/([^/]+)/.exec(parsed.value[0]!.resourceUrl)?.[1] ?? '';
}

function forwardHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive'].includes(name)) continue;
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}

/** The notification row as the control API lists it. */
export interface ListedRow {
  id: string;
  seq: number;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  runAt: string;
  lastError: string | null;
  body: { value: Record<string, unknown>[] };
  attemptLog: { attempt: number; at: string; status: number | null; excerpt: string }[];
}

export interface SwitchboardClient {
  /** A Graph call with the default app's token; fails the test unless the status is `expect`. */
  graph(method: string, path: string, body: unknown, expect: number): Promise<unknown>;
  /** A control API call (no token); resolves with status and body. */
  control(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  notifications(callId: string): Promise<ListedRow[]>;
  clockNow(): Promise<number>;
  /** Moves a --clock manual to `epochMs` (never backwards). */
  advanceTo(epochMs: number): Promise<void>;
  close(): Promise<void>;
}

/** A client for one running Switchboard; its own connections (no keep-alive across a kill). */
export function switchboardClient(baseUrl: string): SwitchboardClient {
  const agent = new Agent({ pipelining: 0 });
  let token: string | undefined;
  const send = async (method: string, path: string, body: unknown, bearer?: string) => {
    const headers: Record<string, string> = {};
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await undiciFetch(baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher: agent,
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  const appToken = async (): Promise<string> => {
    if (token) return token;
    const res = await undiciFetch(`${baseUrl}/${S.contosoTenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: S.callingBotAppId,
        client_secret: DEFAULT_APP_SECRET,
        scope: 'https://graph.microsoft.com/.default',
      }),
      dispatcher: agent,
    });
    token = ((await res.json()) as { access_token: string }).access_token;
    return token;
  };
  const client: SwitchboardClient = {
    async graph(method, path, body, expect) {
      const res = await send(method, path, body, await appToken());
      if (res.status !== expect) {
        throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      }
      return res.body;
    },
    control: (method, path, body) => send(method, `/_switchboard${path}`, body),
    async notifications(callId) {
      const res = await client.control('GET', `/calls/${callId}/notifications`);
      if (res.status !== 200) throw new Error(`notifications of ${callId}: ${res.status}`);
      return (res.body as { value: ListedRow[] }).value;
    },
    async clockNow() {
      return ((await client.control('GET', '/clock')).body as { epochMs: number }).epochMs;
    },
    async advanceTo(epochMs) {
      const ms = epochMs - (await client.clockNow());
      if (ms < 0) throw new Error(`the clock is already ${-ms} ms past ${epochMs}`);
      const res = await client.control('POST', '/clock/advance', { ms });
      if (res.status !== 200) throw new Error(`advance: ${res.status} ${JSON.stringify(res.body)}`);
    },
    close: () => agent.close(),
  };
  return client;
}

/** The rows of a call once `done(rows)` holds. */
export function rowsWhen(
  client: SwitchboardClient,
  callId: string,
  label: string,
  done: (rows: ListedRow[]) => boolean,
  timeoutMs?: number,
): Promise<ListedRow[]> {
  return until(
    `${label} (call ${callId})`,
    async () => {
      const rows = await client.notifications(callId);
      return done(rows) ? rows : undefined;
    },
    { timeoutMs, describe: () => client.notifications(callId) },
  );
}
