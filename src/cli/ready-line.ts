import type { RunningServer } from '../http/server.js';
import type { StartOptions } from './start-options.js';

/** The one line printed when Switchboard is ready: everything needed to point a bot at it. */
export function readyLine(server: RunningServer, options: StartOptions): string {
  const app = server.world.apps[0]!;
  const parts = [
    `Switchboard ready at ${server.url}`,
    `tenant=${app.tenantId}`,
    `appId=${app.appId}`,
    `secret=${app.secret}`,
    `authority=${server.url}/${app.tenantId}`,
  ];
  if (options.auth === 'loose') parts.push('auth=loose(UNSAFE)');
  if (server.certPath) parts.push(`cert=${server.certPath}`);
  return parts.join(' ');
}
