import type { CallbackIssuer } from '../auth/callback-token.js';
import type { DeliveryProfile } from '../services/notification-rows.js';

/** Options of `switchboard start`, parsed once from argv. */
export interface StartOptions {
  host: string;
  port: number;
  /** Data directory (SQLite file, TLS certificate); ignored for the database with inMemory. */
  dataDir: string;
  inMemory: boolean;
  worldFile?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  https: boolean;
  certFile?: string;
  keyFile?: string;
  auth: 'strict' | 'loose';
  /** `iss` of notification tokens. Default 'graph' (https://graph.microsoft.com). */
  callbackIssuer?: 'graph' | 'botframework';
  /** How notifications are grouped into POSTs. Default 'ordered'. */
  deliveryProfile?: DeliveryProfile;
  /** 'manual': the clock starts at the real now and moves only through POST /_switchboard/clock/advance. */
  clock?: 'system' | 'manual';
  /** Accept any http callbackUri (default: http only on loopback hosts). */
  allowInsecureCallbacks?: boolean;
  /**
   * The outbox backoff's baseMs: the delay after a notification's first failed attempt, doubled
   * after each further one (capped at 60 s, or at this value when larger). Default 1000.
   */
  retryBaseMs?: number;
}

export const DEFAULT_PORT = 7410;
export const DEFAULT_DATA_DIR = '.switchboard';
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const CALLBACK_ISSUER_NAMES = ['graph', 'botframework'] as const;
export const CLOCK_MODES = ['system', 'manual'] as const;

/** The token issuer behind a `--callback-issuer` name. */
export function callbackIssuerUrl(name: StartOptions['callbackIssuer']): CallbackIssuer {
  return name === 'botframework' ? 'https://api.botframework.com' : 'https://graph.microsoft.com';
}
