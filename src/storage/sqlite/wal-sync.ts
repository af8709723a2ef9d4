import { open, type FileHandle } from 'node:fs/promises';

/**
 * fsyncs a WAL file from libuv's thread pool. The file is opened on first use (SQLite creates
 * it with the first write) and kept open: while the database connection is open, SQLite reuses
 * the same file, so one descriptor covers every later commit.
 */
export class WalSync {
  readonly #path: string;
  #handle: Promise<FileHandle> | null = null;

  constructor(path: string) {
    this.#path = path;
  }

  async sync(): Promise<void> {
    this.#handle ??= open(this.#path, 'r');
    try {
      await (await this.#handle).sync();
    } catch (error) {
      this.#handle = null;
      throw error;
    }
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = null;
    if (handle) await (await handle).close().catch(() => undefined);
  }
}
