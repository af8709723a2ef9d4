import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { validateGraphResponse } from '../support/graph-schema.js';
import { startTestServer, type TestServer } from '../support/in-process.js';
import { expectedSeedResponse, loadSeedFixtures } from '../support/seed-fixtures.js';

describe('the 12 seed examples over plain HTTP', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  for (const fixture of loadSeedFixtures()) {
    it(fixture.title, async () => {
      const res = await server.graph('POST', fixture.request.path, { body: fixture.request.body });
      assert.equal(res.status, fixture.response.status, JSON.stringify(res.body));
      const body = res.body as Record<string, unknown>;
      assert.deepEqual(body, expectedSeedResponse(fixture, body));
      assert.deepEqual(validateGraphResponse('beta', body), []);
      const location = res.headers.get('location')!;
      assert.equal(location, `${server.url}/beta/communications/calls/${String(body.id)}`);
      const got = await server.graph('GET', new URL(location).pathname);
      assert.equal(got.status, 200);
      assert.deepEqual(got.body, body);
    });
  }
});

describe('every call response validates against the Graph schema of its version', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  for (const version of ['v1.0', 'beta'] as const) {
    it(`${version}: create and get responses of every seed request`, async () => {
      for (const fixture of loadSeedFixtures()) {
        const created = await server.graph('POST', `/${version}/communications/calls`, {
          body: fixture.request.body,
        });
        assert.equal(created.status, 201, `${fixture.title}: ${JSON.stringify(created.body)}`);
        assert.deepEqual(validateGraphResponse(version, created.body), [], fixture.title);
        const id = (created.body as { id: string }).id;
        const got = await server.graph('GET', `/${version}/app/calls/${id}`);
        assert.deepEqual(validateGraphResponse(version, got.body), [], fixture.title);
      }
    });
  }
});
