import { Agent } from 'undici';
import type { SenderThreadSettings } from './sender-protocol.js';

/** The keep-alive undici Agent notifications are POSTed with (in the sender thread, or in-thread). */
export function senderAgent(settings: SenderThreadSettings): Agent {
  return new Agent({
    keepAliveTimeout: settings.keepAliveTimeoutMs,
    connections: settings.connections,
    connect: { timeout: settings.connectTimeoutMs },
  });
}
