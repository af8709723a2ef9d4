// The baseline: a bare node:http server that answers every POST with the same 201 body
// Switchboard returns for the benchmark's create-call request (read from argv[2]).
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const body = readFileSync(process.argv[2], 'utf8');
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString('utf8'));
    res.writeHead(201, {
      'content-type': 'application/json; charset=utf-8',
      location: `http://${req.headers.host}/beta/communications/calls/2e1a0b00-2db4-4022-9570-243709c565ab`,
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`bare ready at http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
