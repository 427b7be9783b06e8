'use strict';
// One fresh Lambda-like process: time the module load, the first request (JWKS fetch included) and,
// with `warm`, the per-request latency afterwards. Prints one JSON object.
// Usage: node authorizer-child.cjs <bundle> <cold|warm> <tokens-json>
const { performance } = require('node:perf_hooks');
// Lambda's Node.js runtime interface client loads node:http (its Runtime API client) before the handler.
// On Node 24 that alone makes a process's first https request start ~3 ms slower, so it is loaded here too.
require('node:http');

const [file, mode, tokensJson] = process.argv.slice(2);
const tokens = JSON.parse(tokensJson);
const event = (token) => ({
  version: '2.0',
  type: 'REQUEST',
  routeKey: 'ANY /live-reading',
  headers: { authorization: `Bearer ${token}` },
  requestContext: { requestId: 'bench' },
});

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function main() {
  const t0 = performance.now();
  const authorizer = require(file);
  const t1 = performance.now();
  const first = await authorizer.handler(event(tokens.RS256));
  const t2 = performance.now();
  if (!first.isAuthorized) throw new Error(`${file}: first request denied`);
  const result = { importMs: t1 - t0, firstCallMs: t2 - t1 };

  if (mode === 'warm') {
    // Rounds, and the median of their percentiles: one burst of load from elsewhere on the machine
    // then moves one round, not the result.
    const iterations = Number(process.env.BENCH_ITERATIONS || 20000);
    const rounds = 5;
    for (const alg of ['RS256', 'ES256']) {
      const request = event(tokens[alg]);
      for (let i = 0; i < 2000; i++) await authorizer.handler(request);
      const p50 = [];
      const p99 = [];
      for (let round = 0; round < rounds; round++) {
        const samples = new Float64Array(Math.ceil(iterations / rounds));
        for (let i = 0; i < samples.length; i++) {
          const start = performance.now();
          const answer = await authorizer.handler(request);
          samples[i] = performance.now() - start;
          if (!answer.isAuthorized) throw new Error(`${file}: ${alg} request denied`);
        }
        samples.sort();
        p50.push(percentile(samples, 0.5) * 1000);
        p99.push(percentile(samples, 0.99) * 1000);
      }
      const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
      result[alg] = { p50Us: median(p50), p99Us: median(p99) };
    }
  }
  // Exit at once: open keep-alive sockets must not hold the process.
  process.stdout.write(JSON.stringify(result), () => process.exit(0));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
