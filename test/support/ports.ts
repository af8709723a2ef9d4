import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** The lowest port the kernel hands out for `listen(0)` and outgoing connections. */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 2_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

function tryListen(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A port free right now that a test may close and listen on again later (a restart on the same
 * port, a receiver that goes down and comes back). It lies below the kernel's ephemeral range, so
 * no `listen(0)` and no outgoing connection of another test running meanwhile can take it; only
 * another caller of this function could, one chance in thousands, and then it picks again.
 */
export async function reusablePort(): Promise<number> {
  const high = ephemeralLow() - 1;
  const low = Math.max(1_024, high - 10_000);
  for (let tries = 0; tries < 200; tries++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (await tryListen(port)) return port;
  }
  throw new Error(`no free port between ${low} and ${high}`);
}
