import { parentPort, workerData } from 'node:worker_threads';
import { sendNotification } from './send-notification.js';
import { senderAgent } from './sender-agent.js';
import type { ResultMessage, SendMessage, SenderThreadSettings } from './sender-protocol.js';

// The body of the sender thread (see sender-thread.ts): POSTs each notification it is given
// with its own keep-alive agent and posts the outcome back. It holds no state but connections.
const port = parentPort;
if (port) {
  const agent = senderAgent(workerData as SenderThreadSettings);
  // Answers that arrive in one turn go back in one message, posted once the turn's I/O is done.
  let replies: ResultMessage[] = [];
  const flush = (): void => {
    const batch = replies;
    replies = [];
    port.postMessage(batch);
  };
  port.on('message', (batch: SendMessage[]) => {
    for (const { id, ...request } of batch) {
      void sendNotification({ dispatcher: agent, ...request }).then((result) => {
        replies.push({ id, result });
        if (replies.length === 1) setImmediate(flush);
      });
    }
  });
}
