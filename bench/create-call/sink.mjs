// The bot side of the benchmark: accepts every notification with 202.
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(202, { 'content-length': 0 });
    res.end();
  });
});
server.listen(0, '127.0.0.1', () => console.log(`sink ready at http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
