import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { WAIT_MS } from './poll.js';

/**
 * A bot's calling webhook for end-to-end tests: node:http on 127.0.0.1, a free port. Every
 * POST's bearer token is validated with jose the way the Graph samples do it: the signing keys
 * come from Switchboard's published `/v1/.well-known/OpenIdConfiguration` -> jwks_uri, and aud
 * (the bot's app id), iss, exp/nbf (with the samples' 5 minutes of clock skew) and a `tid` claim
 * are checked. A bad token gets 401 and is recorded in `rejected`; a good one gets 202 and its
 * body is recorded in `received`.
 */

export interface ReceivedNotification {
  headers: IncomingHttpHeaders;
  claims: JWTPayload;
  body: { '@odata.type': string; value: Record<string, unknown>[] };
}

export interface BotReceiverOptions {
  /** Switchboard's base URL (its OpenID document is read from there). */
  switchboardUrl: string;
  /** The bot's app id: the required `aud`. */
  appId: string;
  /** The required `iss`. Default https://graph.microsoft.com. */
  issuer?: string;
  /** When given, the `tid` the token must carry. */
  tenantId?: string;
}

export class BotReceiver {
  readonly received: ReceivedNotification[] = [];
  readonly rejected: { reason: string }[] = [];
  readonly url: string;
  readonly #server: Server;
  readonly #waiters = new Set<() => void>();

  private constructor(server: Server, url: string) {
    this.#server = server;
    this.url = url;
  }

  static async start(options: BotReceiverOptions): Promise<BotReceiver> {
    const config = (await (
      await fetch(`${options.switchboardUrl}/v1/.well-known/OpenIdConfiguration`)
    ).json()) as {
      jwks_uri: string;
    };
    const jwks = createRemoteJWKSet(new URL(config.jwks_uri));
    let receiver: BotReceiver | undefined = undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
          try {
            if (!token) throw new Error('no bearer token');
            const { payload } = await jwtVerify(token, jwks, {
              audience: options.appId,
              issuer: options.issuer ?? 'https://graph.microsoft.com',
              requiredClaims: ['exp', 'tid'],
              // The samples' 5 minutes of clock skew: a manual clock moved ahead of this machine's
              // signs tokens dated a little in the future.
              clockTolerance: 300,
            });
            if (options.tenantId && payload.tid !== options.tenantId)
              throw new Error(`tid ${String(payload.tid)}`);
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReceivedNotification['body'];
            receiver!.received.push({ headers: req.headers, claims: payload, body });
            res.writeHead(202).end();
          } catch (error) {
            receiver!.rejected.push({ reason: (error as Error).message });
            res.writeHead(401).end();
          }
          for (const wake of receiver!.#waiters) wake();
        })();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    receiver = new BotReceiver(server, `http://127.0.0.1:${port}/callback`);
    return receiver;
  }

  /** Every `value` item received for this call (its resourceUrl names it), in arrival order. */
  items(callId: string): Record<string, unknown>[] {
    return this.received
      .flatMap((n) => n.body.value)
      .filter((item) => String(item.resourceUrl).startsWith(`/communications/calls/${callId}`));
  }

  /** Resolves with the call's items once `done(items)` holds; rejects after `timeoutMs`. */
  async waitFor(
    callId: string,
    done: (items: Record<string, unknown>[]) => boolean,
    timeoutMs = WAIT_MS,
  ): Promise<Record<string, unknown>[]> {
    if (done(this.items(callId))) return this.items(callId);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(
          new Error(`timed out; received for ${callId}: ${JSON.stringify(this.items(callId), null, 1)}`),
        );
      }, timeoutMs);
      const check = () => {
        if (!done(this.items(callId))) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(this.items(callId));
      };
      this.#waiters.add(check);
    });
  }

  /** Resolves once `count` requests were rejected. */
  async waitForRejections(count: number, timeoutMs = WAIT_MS): Promise<void> {
    if (this.rejected.length >= count) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for rejections')), timeoutMs);
      const check = () => {
        if (this.rejected.length < count) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      this.#waiters.add(check);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.closeAllConnections();
      this.#server.close(() => resolve());
    });
  }
}

/** resourceData.state of call-state items; `roster` / `sharing:<changeType>` for the others. */
export function describeItems(items: Record<string, unknown>[]): string[] {
  return items.map((item) => {
    const url = String(item.resourceUrl);
    if (url.endsWith('/participants')) return 'roster';
    if (url.endsWith('/contentsharingsessions')) return `sharing:${String(item.changeType)}`;
    return `${String(item.changeType)}:${String((item.resourceData as { state: string }).state)}`;
  });
}
