import { Worker } from 'node:worker_threads';
import type { SendResult } from './send-notification.js';
import type { ResultMessage, SendMessage, SendRequest, SenderThreadSettings } from './sender-protocol.js';

/**
 * Sends notifications from a worker thread (sender-worker.ts), so a POST leaves as soon as the
 * dispatcher hands it over, however busy the main thread is with requests, timers and SQLite:
 * the main thread only posts a message. The thread starts on the first send; if it dies, the
 * sends it held come back as errors (retried like a refused connection) and the next send starts
 * a new one. It keeps the process alive only while sends are outstanding.
 */
export class SenderThread {
  readonly #settings: SenderThreadSettings;
  readonly #script: URL;
  #worker: Worker | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, (result: SendResult) => void>();
  /** Sends made during this tick, posted together once the promise jobs of the tick are done. */
  #outgoing: SendMessage[] = [];

  /** `script`: the module the thread runs; default sender-worker.js. */
  constructor(settings: SenderThreadSettings, opts: { script?: URL } = {}) {
    this.#settings = settings;
    this.#script = opts.script ?? new URL('./sender-worker.js', import.meta.url);
  }

  /** Sends currently waiting for the thread's answer. */
  get pending(): number {
    return this.#pending.size;
  }

  send(request: SendRequest): Promise<SendResult> {
    const worker = this.#start();
    const id = this.#nextId++;
    return new Promise<SendResult>((resolve) => {
      this.#pending.set(id, resolve);
      if (this.#pending.size === 1) worker.ref();
      this.#outgoing.push({ id, ...request });
      if (this.#outgoing.length === 1) process.nextTick(() => this.#post());
    });
  }

  #post(): void {
    const batch = this.#outgoing;
    this.#outgoing = [];
    if (batch.length > 0) this.#worker?.postMessage(batch);
  }

  /** Ends the thread (and its connections); sends still pending come back as errors. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker) await worker.terminate();
    this.#failAll('the delivery thread was closed');
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(this.#script, { workerData: this.#settings });
    worker.unref();
    worker.on('message', (replies: ResultMessage[]) => {
      for (const { id, result } of replies) {
        const resolve = this.#pending.get(id);
        if (!resolve) continue;
        this.#pending.delete(id);
        resolve(result);
      }
      if (this.#pending.size === 0) worker.unref();
    });
    const lost = (why: string): void => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#failAll(why);
    };
    worker.on('error', (error) => lost(`the delivery thread failed: ${error.message}`));
    worker.on('exit', (code) => lost(`the delivery thread exited with code ${code}`));
    this.#worker = worker;
    return worker;
  }

  #failAll(excerpt: string): void {
    this.#outgoing = [];
    const waiting = [...this.#pending.values()];
    this.#pending.clear();
    for (const resolve of waiting) resolve({ kind: 'error', excerpt, latencyMs: 0 });
  }
}
