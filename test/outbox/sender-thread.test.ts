import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SenderThread } from '../../src/outbox/sender-thread.js';

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A bot answering by path: /ok 202, /moved 307 with a Location, /big 202 with 200 KB, /slow after 2 s. */
async function startBot(): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      if (req.url === '/moved') {
        res.writeHead(307, { location: 'https://bot.example/new' }).end();
      } else if (req.url === '/big') {
        res.writeHead(202, { 'content-type': 'text/plain' }).end(`${'a'.repeat(150)}${'b'.repeat(200_000)}`);
      } else if (req.url === '/slow') {
        setTimeout(() => res.writeHead(202).end('late'), 2_000).unref();
      } else {
        res.writeHead(202, { 'content-type': 'text/plain' }).end('accepted by the bot');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, server };
}

const SETTINGS = { connections: 4, connectTimeoutMs: 1_000, keepAliveTimeoutMs: 1_000 };

describe('SenderThread', () => {
  let bot: Awaited<ReturnType<typeof startBot>>;
  before(async () => {
    bot = await startBot();
  });
  after(async () => {
    bot.server.closeAllConnections();
    await new Promise<void>((resolve) => bot.server.close(() => resolve()));
  });

  it('POSTs the body and headers from its thread and reports status and excerpt', async () => {
    const thread = new SenderThread(SETTINGS);
    try {
      const before = bot.seen.length;
      const result = await thread.send({
        url: `${bot.url}/ok`,
        body: '{"value":[1]}',
        headers: { 'content-type': 'application/json', 'x-microsoft-skype-message-id': 'm-1' },
        timeoutMs: 5_000,
      });
      assert.equal(result.kind, 'response');
      assert.ok(result.kind === 'response');
      assert.equal(result.status, 202);
      assert.equal(result.excerpt, 'accepted by the bot');
      assert.equal(result.location, undefined);
      assert.equal(thread.pending, 0);
      const got = bot.seen.slice(before);
      assert.equal(got.length, 1);
      assert.equal(got[0]?.method, 'POST');
      assert.equal(got[0]?.path, '/ok');
      assert.equal(got[0]?.body, '{"value":[1]}');
      assert.equal(got[0]?.headers['x-microsoft-skype-message-id'], 'm-1');
      assert.equal(got[0]?.headers['content-type'], 'application/json');
    } finally {
      await thread.close();
    }
  });

  it('reports a redirect with its Location, and many sends at once each get their own answer', async () => {
    const thread = new SenderThread(SETTINGS);
    try {
      const moved = await thread.send({ url: `${bot.url}/moved`, body: '{}', headers: {}, timeoutMs: 5_000 });
      assert.ok(moved.kind === 'response');
      assert.equal(moved.status, 307);
      assert.equal(moved.location, 'https://bot.example/new');

      const before = bot.seen.length;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          thread.send({ url: `${bot.url}/ok`, body: `{"n":${i}}`, headers: {}, timeoutMs: 5_000 }),
        ),
      );
      assert.deepEqual(
        results.map((r) => (r.kind === 'response' ? r.status : r.kind)),
        Array.from({ length: 20 }, () => 202),
      );
      const bodies = bot.seen.slice(before).map((s) => s.body);
      assert.deepEqual([...bodies].sort(), Array.from({ length: 20 }, (_, i) => `{"n":${i}}`).sort());
    } finally {
      await thread.close();
    }
  });

  it('keeps the first 200 characters of a large answer and stops reading it', async () => {
    const thread = new SenderThread(SETTINGS);
    try {
      const big = await thread.send({ url: `${bot.url}/big`, body: '{}', headers: {}, timeoutMs: 5_000 });
      assert.ok(big.kind === 'response');
      assert.equal(big.status, 202);
      assert.equal(big.excerpt, `${'a'.repeat(150)}${'b'.repeat(50)}`);
      const next = await thread.send({ url: `${bot.url}/ok`, body: '{}', headers: {}, timeoutMs: 5_000 });
      assert.ok(next.kind === 'response');
      assert.equal(next.excerpt, 'accepted by the bot');
    } finally {
      await thread.close();
    }
  });

  it('turns a refused connection and a timeout into error results', async () => {
    const thread = new SenderThread(SETTINGS);
    try {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const refused = await thread.send({
        url: `http://127.0.0.1:${port}/`,
        body: '{}',
        headers: {},
        timeoutMs: 5_000,
      });
      assert.equal(refused.kind, 'error');
      assert.match(refused.excerpt, /ECONNREFUSED/);

      const slow = await thread.send({ url: `${bot.url}/slow`, body: '{}', headers: {}, timeoutMs: 200 });
      assert.equal(slow.kind, 'error');
      assert.equal(slow.excerpt, 'no answer within 200 ms (request timed out)');
    } finally {
      await thread.close();
    }
  });

  it('answers sends still pending at close() with an error, and starts a new thread on the next send', async () => {
    const thread = new SenderThread(SETTINGS);
    try {
      const pending = thread.send({ url: `${bot.url}/slow`, body: '{}', headers: {}, timeoutMs: 5_000 });
      assert.equal(thread.pending, 1);
      await thread.close();
      assert.deepEqual(await pending, {
        kind: 'error',
        excerpt: 'the delivery thread was closed',
        latencyMs: 0,
      });
      assert.equal(thread.pending, 0);
      const again = await thread.send({ url: `${bot.url}/ok`, body: '{}', headers: {}, timeoutMs: 5_000 });
      assert.ok(again.kind === 'response');
      assert.equal(again.status, 202);
    } finally {
      await thread.close();
    }
  });

  it('answers the sends of a thread that dies with an error, and starts a new thread for the next send', async () => {
    const thread = new SenderThread(SETTINGS, {
      script: new URL('./support/failing-sender-worker.js', import.meta.url),
    });
    try {
      const request = { url: `${bot.url}/ok`, body: '{}', headers: {}, timeoutMs: 5_000 };
      const [first, second] = await Promise.all([thread.send(request), thread.send(request)]);
      const failed = {
        kind: 'error',
        excerpt: 'the delivery thread failed: the sender thread broke',
        latencyMs: 0,
      };
      assert.deepEqual(first, failed);
      assert.deepEqual(second, failed);
      assert.equal(thread.pending, 0);
      // The next send runs in a new thread (which dies the same way here).
      assert.deepEqual(await thread.send(request), failed);
    } finally {
      await thread.close();
    }
  });
});
