import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyOutcome, parseHttpUrl, resolveLocation } from '../../src/outbox/classify-outcome.js';
import type { SendResult } from '../../src/outbox/send-notification.js';

const URL_ = 'https://bot.example.com/api/calls?x=1';
const answer = (status: number, location?: string): SendResult => ({
  kind: 'response',
  status,
  location,
  excerpt: '',
  latencyMs: 1,
});

describe('classifyOutcome', () => {
  it('2xx is delivered', () => {
    for (const status of [200, 201, 202, 204, 299]) {
      assert.deepEqual(classifyOutcome(answer(status), URL_), { kind: 'delivered' }, String(status));
    }
  });

  it('408, 429, 5xx and transport errors are retried', () => {
    for (const status of [408, 429, 500, 502, 503, 504, 599]) {
      assert.deepEqual(classifyOutcome(answer(status), URL_), { kind: 'retry' }, String(status));
    }
    const refused: SendResult = { kind: 'error', excerpt: 'connect ECONNREFUSED', latencyMs: 1 };
    assert.deepEqual(classifyOutcome(refused, URL_), { kind: 'retry' });
  });

  it('302 and 307 with a Location redirect to the absolute URL', () => {
    assert.deepEqual(classifyOutcome(answer(307, 'https://eu.bot.example.com/cb'), URL_), {
      kind: 'redirect',
      location: 'https://eu.bot.example.com/cb',
    });
    assert.deepEqual(classifyOutcome(answer(302, '/moved?to=2'), URL_), {
      kind: 'redirect',
      location: 'https://bot.example.com/moved?to=2',
    });
  });

  it('other statuses, and a redirect without a usable Location, are rejected at once', () => {
    for (const status of [100, 300, 301, 303, 304, 308, 400, 401, 403, 404, 409, 410, 413, 600]) {
      assert.deepEqual(classifyOutcome(answer(status), URL_), { kind: 'reject' }, String(status));
    }
    assert.deepEqual(classifyOutcome(answer(307), URL_), { kind: 'reject' });
    assert.deepEqual(classifyOutcome(answer(307, '  '), URL_), { kind: 'reject' });
    assert.deepEqual(classifyOutcome(answer(302, 'ftp://files.example.com/'), URL_), { kind: 'reject' });
  });

  it('resolveLocation and parseHttpUrl accept only http(s)', () => {
    assert.equal(resolveLocation('next', 'http://127.0.0.1:8080/a/b'), 'http://127.0.0.1:8080/a/next');
    assert.equal(resolveLocation(undefined, URL_), undefined);
    assert.equal(parseHttpUrl('not a url'), undefined);
    assert.equal(parseHttpUrl('mailto:bot@example.com'), undefined);
    assert.equal(parseHttpUrl('http://localhost:3978/api/calls')?.port, '3978');
  });
});
