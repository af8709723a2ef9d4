import type { SendResult } from './send-notification.js';

/** One notification POST, as the dispatcher asks for it. */
export interface SendRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** Real-time limit for the whole exchange, body included. */
  timeoutMs: number;
}

/** Sends one notification POST and reports how it went; never rejects. */
export type NotificationSender = (request: SendRequest) => Promise<SendResult>;

/** What the sender thread is started with. */
export interface SenderThreadSettings {
  /** Keep-alive connections per bot origin. */
  connections: number;
  connectTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

/** Main thread -> sender thread, in arrays: the sends of one tick go in one message. */
export interface SendMessage extends SendRequest {
  id: number;
}

/** Sender thread -> main thread, in arrays: the answers of one turn go in one message. */
export interface ResultMessage {
  id: number;
  result: SendResult;
}
