// The bot side of the notification benchmarks, run as its own process so that its timestamps do
// not wait behind the load generator's work. Answers every notification 202 and records, per
// POST, the X-Microsoft-Skype-Message-ID (the outbox row id) and the receipt time: the moment
// the whole body has arrived, on CLOCK_MONOTONIC (process.hrtime, comparable across processes of
// the machine) and on the wall clock (Date.now, ms). GET /__stats answers the counts so far.
// On SIGTERM it writes everything to the file given as first argument and exits.
// Usage: node receiver.mjs <outFile> [port]
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [outFile, port = '0'] = process.argv.slice(2);
const ids = [];
const mono = [];
const wall = [];

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/__stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ count: ids.length, lastMonoNs: mono.at(-1) ?? null }));
    return;
  }
  req.resume();
  req.on('end', () => {
    mono.push(Number(process.hrtime.bigint()));
    wall.push(Date.now());
    ids.push(String(req.headers['x-microsoft-skype-message-id']));
    res.writeHead(202, { 'content-length': 0 });
    res.end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(port), '127.0.0.1', () =>
  console.log(`receiver ready at http://127.0.0.1:${server.address().port}`),
);
process.on('SIGTERM', () => {
  writeFileSync(outFile, JSON.stringify({ ids, mono, wall }));
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
