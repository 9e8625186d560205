// npm run bench:throughput: the read target of PERFORMANCE.md, measured side by side in one run.
// A Zopay emulator in its own process; three servers in their own processes, each reading one
// intent per request: the bare proxy (the physical limit), the subgraph asking the provider on
// every read (INTENT_FRESHNESS_MS=0), and the subgraph answering from its store. Load comes from
// this process over 16 keep-alive connections, in rounds that rotate the order; medians quoted.
import { createServer } from 'node:net';
import { Pool } from 'undici';
import { spawnSubgraph, type SubgraphProcess } from '../support/subgraph-process.ts';
import { createTestSchema } from '../support/test-database.ts';

const CONNECTIONS = 16;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const READ = JSON.stringify({ query: 'query ($id: ID!) { paymentIntent(id: $id) { id status } }' });

interface Target {
  readonly name: string;
  readonly url: URL;
  readonly body: string;
  readonly throughputs: number[];
  readonly p99s: number[];
}

const processes: SubgraphProcess[] = [];
const schemas: Awaited<ReturnType<typeof createTestSchema>>[] = [];

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function start(args: string[], env: Record<string, string>): SubgraphProcess {
  const started = spawnSubgraph(process.execPath, args, { LOG_LEVEL: 'warn', ...env });
  processes.push(started);
  return started;
}

async function subgraph(zopay: { baseUrl: string; apiKey: string }, freshnessMs: number): Promise<URL> {
  const schema = await createTestSchema();
  schemas.push(schema);
  const started = start(['src/main.ts'], {
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: '0',
    ZOPAY_API_KEY: zopay.apiKey,
    ZOPAY_BASE_URL: zopay.baseUrl,
    DATABASE_URL: schema.databaseUrl,
    INTENT_FRESHNESS_MS: String(freshnessMs),
  });
  const listening = await started.waitForLog((entry) => entry.msg === 'payments subgraph listening', 60_000);
  return new URL(String(listening.graphqlUrl));
}

/** `connections` loops, each sending one request after the other, for `seconds`. */
async function load(target: Target): Promise<void> {
  const pool = new Pool(target.url.origin, { connections: CONNECTIONS });
  const latencies: number[] = [];
  const endAt = performance.now() + SECONDS * 1000;
  const loop = async () => {
    while (performance.now() < endAt) {
      const started = performance.now();
      const response = await pool.request({
        path: target.url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: target.body,
      });
      const text = await response.body.text();
      if (response.statusCode !== 200 || text.includes('"errors"'))
        throw new Error(`${target.name}: ${response.statusCode} ${text.slice(0, 200)}`);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  await pool.close();
  latencies.sort((a, b) => a - b);
  target.throughputs.push(latencies.length / SECONDS);
  target.p99s.push(latencies[Math.floor(latencies.length * 0.99)]!);
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

try {
  const emulators = start(['src/app/emulators-cli.ts'], {
    ZOPAY_EMULATOR_PORT: String(await freePort()),
    ZIINA_EMULATOR_PORT: String(await freePort()),
  });
  const zopay = (await emulators.waitForLog((entry) => entry.emulator === 'zopay')) as unknown as {
    baseUrl: string;
    apiKey: string;
  };
  const created = await fetch(`${zopay.baseUrl}/payment-intents`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${zopay.apiKey}`,
      'content-type': 'application/json',
      'idempotency-key': 'bench-read',
    },
    body: JSON.stringify({ amount: '10.00', currencies: ['USDT'] }),
  });
  const providerId = ((await created.json()) as { id: string }).id;
  const graphqlBody = JSON.stringify({ ...JSON.parse(READ), variables: { id: `zopay:${providerId}` } });

  const bare = start(['test/bench/bare-proxy.ts'], {
    PROVIDER_BASE_URL: zopay.baseUrl,
    PROVIDER_API_KEY: zopay.apiKey,
  });
  const barePort = Number((await bare.waitForLog((entry) => entry.msg === 'bare proxy listening')).port);
  const targets: Target[] = [
    {
      name: 'bare proxy (one provider GET)',
      url: new URL(`http://127.0.0.1:${barePort}/`),
      body: JSON.stringify({ id: providerId }),
      throughputs: [],
      p99s: [],
    },
    {
      name: 'subgraph, provider on every read',
      url: await subgraph(zopay, 0),
      body: graphqlBody,
      throughputs: [],
      p99s: [],
    },
    {
      name: 'subgraph, from the store (5 s window)',
      url: await subgraph(zopay, 5_000),
      body: graphqlBody,
      throughputs: [],
      p99s: [],
    },
  ];
  for (const target of targets) await load({ ...target, throughputs: [], p99s: [] }); // warm-up
  for (let round = 0; round < ROUNDS; round += 1) {
    for (let index = 0; index < targets.length; index += 1) await load(targets[(index + round) % targets.length]!);
  }
  const [baseline] = targets;
  console.log(
    `paymentIntent(id) reads, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s each (after a warm-up), medians`,
  );
  for (const target of targets) {
    const throughput = median(target.throughputs);
    const p99 = median(target.p99s);
    console.log(
      `${target.name.padEnd(40)} ${throughput.toFixed(0).padStart(6)} req/s  ratio ${(throughput / median(baseline!.throughputs)).toFixed(2)}  p99 ${p99.toFixed(1)} ms (${p99 - median(baseline!.p99s) >= 0 ? '+' : ''}${(p99 - median(baseline!.p99s)).toFixed(1)} ms)`,
    );
  }
} finally {
  for (const started of processes) started.kill('SIGKILL');
  await Promise.all(processes.map((started) => started.exited));
  await Promise.all(schemas.map((schema) => schema.drop()));
}
