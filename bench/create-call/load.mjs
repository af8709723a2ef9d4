// A closed-loop load generator: `connections` keep-alive connections, each sending the next
// request as soon as the previous answer arrives, for `durationMs`. Same code for every target.
import { Pool } from 'undici';

export async function load({ url, path, headers, body, connections, durationMs, expectStatus }) {
  const pool = new Pool(url, { connections, pipelining: 1 });
  const latencies = [];
  let errors = 0;
  let unexpected = 0;
  const end = performance.now() + durationMs;
  async function worker() {
    while (performance.now() < end) {
      const start = performance.now();
      try {
        const res = await pool.request({ method: 'POST', path, headers, body });
        await res.body.text();
        if (res.statusCode !== expectStatus) unexpected++;
        latencies.push(performance.now() - start);
      } catch {
        errors++;
      }
    }
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = performance.now() - started;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return {
    requests: latencies.length,
    rps: latencies.length / (elapsed / 1000),
    p50: pct(50),
    p99: pct(99),
    errors,
    unexpected,
  };
}
