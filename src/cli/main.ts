import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { startServer, packageVersion } from '../http/server.js';
import { WorldError } from '../world/world-error.js';
import { DELIVERY_PROFILES } from '../services/notification-rows.js';
import {
  CALLBACK_ISSUER_NAMES,
  CLOCK_MODES,
  DEFAULT_DATA_DIR,
  DEFAULT_PORT,
  LOG_LEVELS,
  type StartOptions,
} from './start-options.js';
import { readyLine } from './ready-line.js';

/** A command line that parses but cannot run (exit code 2). */
class UsageError extends Error {}

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  stopSignal: () => Promise<string>;
}

const defaultIo: Io = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  stopSignal: () =>
    new Promise((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    }),
};

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new InvalidArgumentError('must be an integer from 0 to 65535.');
  return n;
}

function parseRetryBaseMs(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError('must be a positive integer (milliseconds).');
  return n;
}

/** Parses argv (without node and script) once and runs the command. Returns the exit code. */
export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  let exitCode = 0;
  const program = new Command('switchboard')
    .description('A local emulator of the Microsoft Graph calls API')
    .version(packageVersion())
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  program
    .command('start')
    .description('run the emulator')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <port>', `port to listen on; 0 picks a free one`, parsePort, DEFAULT_PORT)
    .option('--data <dir>', 'data directory (SQLite database, TLS certificate)', DEFAULT_DATA_DIR)
    .option('--in-memory', 'keep the database in memory instead of --data', false)
    .option('--world <file>', 'world file (JSON); default: the built-in world')
    .addOption(
      new Option('--log-level <level>', 'log level (logs go to stderr)').choices(LOG_LEVELS).default('info'),
    )
    .option('--https', 'serve TLS (certificate generated under --data unless --cert/--key)', false)
    .option('--cert <file>', 'TLS certificate (PEM), with --https')
    .option('--key <file>', 'TLS private key (PEM), with --https')
    .addOption(
      new Option('--auth <mode>', 'strict verifies tokens; loose accepts any bearer token (unsafe)')
        .choices(['strict', 'loose'])
        .default('strict'),
    )
    .addOption(
      new Option(
        '--callback-issuer <issuer>',
        'iss of notification tokens: https://graph.microsoft.com or https://api.botframework.com',
      )
        .choices(CALLBACK_ISSUER_NAMES)
        .default('graph'),
    )
    .addOption(
      new Option(
        '--delivery-profile <profile>',
        "ordered: one POST per notification; graph: Graph's batching and establishing/established swap",
      )
        .choices(DELIVERY_PROFILES)
        .default('ordered'),
    )
    .addOption(
      new Option('--clock <clock>', 'manual: time moves only through POST /_switchboard/clock/advance')
        .choices(CLOCK_MODES)
        .default('system'),
    )
    .option(
      '--allow-insecure-callbacks',
      'accept any http callbackUri (default: http only on 127.0.0.1, localhost, ::1)',
      false,
    )
    .option(
      '--retry-base-ms <n>',
      'delay before the first retry of a notification, doubled per attempt (max 60 s)',
      parseRetryBaseMs,
      1000,
    )
    .allowExcessArguments(false)
    .action(async (raw: Record<string, unknown>) => {
      const options: StartOptions = {
        host: raw.host as string,
        port: raw.port as number,
        dataDir: raw.data as string,
        inMemory: raw.inMemory as boolean,
        worldFile: raw.world as string | undefined,
        logLevel: raw.logLevel as StartOptions['logLevel'],
        https: raw.https as boolean,
        certFile: raw.cert as string | undefined,
        keyFile: raw.key as string | undefined,
        auth: raw.auth as StartOptions['auth'],
        callbackIssuer: raw.callbackIssuer as StartOptions['callbackIssuer'],
        deliveryProfile: raw.deliveryProfile as StartOptions['deliveryProfile'],
        clock: raw.clock as StartOptions['clock'],
        allowInsecureCallbacks: raw.allowInsecureCallbacks as boolean,
        retryBaseMs: raw.retryBaseMs as number,
      };
      if ((options.certFile || options.keyFile) && !options.https) {
        throw new UsageError('--cert and --key need --https.');
      }
      if (Boolean(options.certFile) !== Boolean(options.keyFile)) {
        throw new UsageError('--cert and --key go together.');
      }
      const stopping = io.stopSignal();
      const server = await startServer(options);
      io.out(readyLine(server, options));
      const signal = await stopping;
      io.err(`switchboard: ${signal} received, closing`);
      await server.close();
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      exitCode = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
    } else if (error instanceof WorldError || error instanceof UsageError) {
      io.err(`switchboard: ${error.message}`);
      exitCode = 2;
    } else {
      io.err(`switchboard: ${(error as Error).message}`);
      exitCode = 1;
    }
  }
  return exitCode;
}
