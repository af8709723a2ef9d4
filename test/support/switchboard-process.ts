import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../../bin/switchboard.js', import.meta.url));

export interface SwitchboardProcess {
  child: ChildProcess;
  url: string;
  readyLine: string;
  /** Values from the ready line (tenant, appId, secret, authority, cert). */
  fields: Record<string, string>;
  stderr: () => string;
  /** Sends a signal and waits for exit; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `switchboard start <args>` as a real child process and waits for its ready line. */
export async function spawnSwitchboard(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<SwitchboardProcess> {
  const child = spawn(process.execPath, [BIN, 'start', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const readyLine = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('Switchboard ready at '));
      if (line) resolve(line);
    });
    child.once('exit', (code) =>
      reject(new Error(`switchboard exited with ${code} before ready:\n${out}\n${err}`)),
    );
  });
  const fields: Record<string, string> = {};
  for (const part of readyLine.split(' ')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields[part.slice(0, eq)] = part.slice(eq + 1);
  }
  const url = readyLine.split(' ')[3]!;
  return {
    child,
    url,
    readyLine,
    fields,
    stderr: () => err,
    async stop(signal = 'SIGTERM') {
      // Already gone (exited, or killed by a signal): nothing to wait for.
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}

/** Runs `switchboard <args>` to completion. */
export async function runSwitchboard(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}
