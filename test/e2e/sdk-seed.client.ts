/**
 * Runs in a child process started by sdk-seed.test.ts with NODE_EXTRA_CA_CERTS set to the
 * server's generated certificate, exactly as README tells a bot developer to run their bot.
 * The official clients are configured with nothing but Switchboard's base URL / authority.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { Client, ResponseType } from '@microsoft/microsoft-graph-client';
import { DEFAULT_APP_SECRET } from '../../src/world/default-world.js';
import { SEED_IDS as S } from '../../src/world/seed-ids.js';
import { validateGraphResponse } from '../support/graph-schema.js';
import { expectedSeedResponse, loadSeedFixtures } from '../support/seed-fixtures.js';

const base = process.env.SWITCHBOARD_URL!;
const host = new URL(base).host;

const msal = new ConfidentialClientApplication({
  auth: {
    clientId: S.callingBotAppId,
    clientSecret: DEFAULT_APP_SECRET,
    authority: `${base}/${S.contosoTenantId}`,
    knownAuthorities: [host],
  },
});

const graph = Client.init({
  baseUrl: `${base}/`,
  defaultVersion: 'beta',
  customHosts: new Set([new URL(base).hostname]),
  authProvider: (done) => {
    msal
      .acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] })
      .then((result) => done(null, result!.accessToken))
      .catch((error: Error) => done(error, null));
  },
});

describe('the 12 seed requests through @microsoft/microsoft-graph-client with an MSAL token over https', () => {
  for (const fixture of loadSeedFixtures()) {
    it(fixture.title, async () => {
      const path = fixture.request.path.replace(/^\/beta/, '');
      const response = (await graph
        .api(path)
        .version('beta')
        .responseType(ResponseType.RAW)
        .post(fixture.request.body)) as Response;
      assert.equal(response.status, 201);
      const body = (await response.json()) as Record<string, unknown>;
      assert.deepEqual(body, expectedSeedResponse(fixture, body));
      assert.deepEqual(validateGraphResponse('beta', body), []);
      const location = response.headers.get('location')!;
      assert.equal(location, `${base}/beta/communications/calls/${String(body.id)}`);
      const got = (await graph.api(location).get()) as Record<string, unknown>;
      assert.deepEqual(got, body);
    });
  }

  it('the SDK surfaces Graph errors with their code', async () => {
    await assert.rejects(
      graph.api('/communications/calls/no-such-call').get(),
      (error: { statusCode: number; code: string }) => {
        assert.equal(error.statusCode, 404);
        assert.equal(error.code, '8522');
        return true;
      },
    );
  });

  it('hangs up through the SDK', async () => {
    const fixture = loadSeedFixtures()[0]!;
    const call = (await graph.api('/communications/calls').post(fixture.request.body)) as { id: string };
    const deleted = (await graph
      .api(`/communications/calls/${call.id}`)
      .responseType(ResponseType.RAW)
      .delete()) as Response;
    assert.equal(deleted.status, 204);
  });
});
