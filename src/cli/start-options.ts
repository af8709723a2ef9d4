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
}

export const DEFAULT_PORT = 7410;
export const DEFAULT_DATA_DIR = '.switchboard';
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
