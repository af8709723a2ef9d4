import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { SigningKeys } from '../../../src/auth/signing-keys.js';

/** How the receiver answers one request. */
export type Reply =
  | { status: number; body?: string; headers?: Record<string, string> }
  /** Never answer (the client times out). */
  | { hang: true }
  /** Destroy the connection without answering. */
  | { reset: true }
  /** Wait for `until`, then answer with `then`. */
  | { until: Promise<void>; then: Reply };

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  claims: JWTPayload;
  /** Which TCP connection carried it (1, 2, ... in accept order). */
  socketId: number;
}

export interface ReceiverOptions {
  keys: SigningKeys;
  issuer: string;
  /** appId (aud) -> the tenant (tid) its tokens must carry. */
  audiences: Record<string, string>;
  /** Listen on this port (default: any free one). */
  port?: number;
}

/**
 * A bot's notification endpoint on 127.0.0.1: validates every Authorization token with jose
 * (signature against the JWKS, iss, aud, exp/nbf, tid) and answers 401 to a bad one; answers
 * valid requests from a per-path script of replies, 202 once the script runs out.
 */
export class Receiver {
  readonly received: Received[] = [];
  readonly rejected: { path: string; reason: string }[] = [];
  #active = 0;
  readonly #activeByCall = new Map<string, number>();
  /** The most valid requests open at the same time. */
  maxConcurrent = 0;
  /** The most valid requests of one call (the body's `callId`) open at the same time. */
  maxConcurrentPerCall = 0;
  readonly #scripts = new Map<string, Reply[]>();
  readonly #fallback = new Map<string, Reply>();
  readonly #waiters: { count: number; resolve: () => void }[] = [];
  readonly #sockets = new WeakMap<Socket, number>();
  #socketCount = 0;

  private constructor(
    readonly server: Server,
    readonly opts: ReceiverOptions,
  ) {}

  static async start(opts: ReceiverOptions): Promise<Receiver> {
    const server = createServer();
    const receiver = new Receiver(server, opts);
    server.on('connection', (socket) => receiver.#sockets.set(socket, ++receiver.#socketCount));
    server.on('request', (req, res) => {
      void receiver.#handle(req, res).then(
        (reply) => receiver.#answer(req, res, reply),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Forgets the requests received and rejected so far (a fresh start for the next test). */
  clear(): void {
    this.received.length = 0;
    this.rejected.length = 0;
  }

  /** Queues replies for `path`; after them, `fallback` (default 202) answers. */
  script(path: string, replies: Reply[], fallback?: Reply): void {
    this.#scripts.set(path, [...(this.#scripts.get(path) ?? []), ...replies]);
    if (fallback) this.#fallback.set(path, fallback);
  }

  /** Resolves once `count` valid requests have arrived. */
  waitFor(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  messageIds(path?: string): string[] {
    return this.received
      .filter((r) => path === undefined || r.path === path)
      .map((r) => String(r.headers['x-microsoft-skype-message-id']));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<Reply> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '/';
    const auth = req.headers.authorization ?? '';
    let claims: JWTPayload;
    try {
      claims = await this.#verify(auth);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      this.rejected.push({ path, reason });
      return { status: 401, body: `invalid token: ${reason}` };
    }
    this.#track(res, body);
    this.received.push({
      path,
      headers: req.headers,
      body,
      claims,
      socketId: this.#sockets.get(req.socket) ?? 0,
    });
    for (const waiter of [...this.#waiters]) {
      if (this.received.length >= waiter.count) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
    return this.#scripts.get(path)?.shift() ?? this.#fallback.get(path) ?? { status: 202 };
  }

  async #verify(authorization: string): Promise<JWTPayload> {
    const match = /^Bearer (.+)$/.exec(authorization);
    if (!match?.[1]) throw new Error('no Bearer token');
    const { payload } = await jwtVerify(match[1], createLocalJWKSet(this.opts.keys.jwks()), {
      issuer: this.opts.issuer,
      audience: Object.keys(this.opts.audiences),
      algorithms: ['RS256'],
      requiredClaims: ['exp', 'nbf', 'iat', 'tid'],
    });
    const expectedTenant = this.opts.audiences[String(payload.aud)];
    if (payload.tid !== expectedTenant) throw new Error(`tid ${String(payload.tid)} is not the app's tenant`);
    return payload;
  }

  async #answer(req: IncomingMessage, res: ServerResponse, reply: Reply): Promise<void> {
    if ('until' in reply) {
      await reply.until;
      return this.#answer(req, res, reply.then);
    }
    if ('hang' in reply) return;
    if ('reset' in reply) {
      req.socket.destroy();
      return;
    }
    res.writeHead(reply.status, reply.headers ?? {}).end(reply.body ?? '');
  }

  #track(res: ServerResponse, body: string): void {
    const callId = callIdOf(body);
    this.#active++;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.#active);
    const open = (this.#activeByCall.get(callId) ?? 0) + 1;
    this.#activeByCall.set(callId, open);
    this.maxConcurrentPerCall = Math.max(this.maxConcurrentPerCall, open);
    res.once('close', () => {
      this.#active--;
      this.#activeByCall.set(callId, (this.#activeByCall.get(callId) ?? 1) - 1);
    });
  }
}

function callIdOf(body: string): string {
  try {
    const value = JSON.parse(body) as { callId?: unknown };
    return typeof value.callId === 'string' ? value.callId : '';
  } catch {
    return '';
  }
}
