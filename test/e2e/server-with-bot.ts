import assert from 'node:assert/strict';
import type { StartOptions } from '../../src/cli/start-options.js';
import { SEED_IDS as S } from '../../src/world/seed-ids.js';
import { BotReceiver } from '../support/bot-receiver.js';
import { startTestServer, type TestServer } from '../support/in-process.js';

/** An in-process Switchboard and a bot (the seed calling-bot app) that verifies every callback it gets. */
export interface ServerWithBot {
  server: TestServer;
  bot: BotReceiver;
}

export async function startServerWithBot(opts: {
  server: Partial<StartOptions>;
  /** When given, the `tid` the bot requires in each callback token. */
  tenantId?: string;
}): Promise<ServerWithBot> {
  const server = await startTestServer(opts.server);
  const bot = await BotReceiver.start({
    switchboardUrl: server.url,
    appId: S.callingBotAppId,
    tenantId: opts.tenantId,
  });
  return { server, bot };
}

export async function closeServerWithBot({ server, bot }: ServerWithBot): Promise<void> {
  await server.close();
  await bot.close();
}

/** POSTs a call whose callbackUri is the bot's; asserts 201 and returns the created call. */
export async function createCall(
  { server, bot }: ServerWithBot,
  body: Record<string, unknown>,
  version = 'beta',
): Promise<{ id: string; state: string }> {
  const res = await server.graph('POST', `/${version}/communications/calls`, {
    body: { ...body, callbackUri: bot.url },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as { id: string; state: string };
}
