import { parentPort } from 'node:worker_threads';

// A sender thread that dies on the first batch it is given, as a thread would on a crash.
parentPort?.on('message', () => {
  throw new Error('the sender thread broke');
});
