// The load generator, in a process of its own so that its work does not weigh on the server it
// measures: `node bench/load-generator.ts '<LoadPlan as JSON>'` prints one LoadResult as JSON.
// Latencies go into an HDR histogram (node:perf_hooks' RecordableHistogram, HdrHistogram's C
// implementation), in microseconds.
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import type { LoadPlan, LoadResult } from './load-plan.ts';

/** How long an open run waits for the answers still due once its sending time is over. */
const DRAIN_MS = 10_000;
/**
 * An open run first sends at its rate this long unrecorded: this process's own first
 * milliseconds (code not yet optimised, connections opening) are not the server's latency.
 */
const OPEN_WARM_UP_SECONDS = 0.5;

const plan = JSON.parse(process.argv[2]!) as LoadPlan;
const target = new URL(plan.url);
const pool = new Pool(target.origin, { connections: plan.connections, pipelining: 1 });
const histogram = createHistogram({ lowest: 1, highest: 60_000_000, figures: 3 });
const tally = { completed: 0, failed: 0, firstFailure: null as string | null };
let sequence = 0;
const POST_HEADERS = { 'content-type': 'application/json', ...plan.headers };

function nextBody(): string {
  const body = plan.bodies[sequence % plan.bodies.length]!;
  sequence += 1;
  return body.includes('{{seq}}') ? body.replaceAll('{{seq}}', `${plan.runId}-${sequence}`) : body;
}

/** One request, timed from `dueAt` (performance.now()): when it was sent, or when it should have been. */
async function send(dueAt: number, recorded: RecordableHistogram): Promise<void> {
  try {
    const answer = await pool.request(
      plan.method === 'GET'
        ? { path: target.pathname, method: 'GET', headers: plan.headers }
        : { path: target.pathname, method: 'POST', headers: POST_HEADERS, body: nextBody() },
    );
    const text = await answer.body.text();
    if (answer.statusCode !== 200 || text.includes('"errors"')) {
      tally.failed += 1;
      tally.firstFailure ??= `${answer.statusCode} ${text.slice(0, 300)}`;
    } else {
      tally.completed += 1;
    }
  } catch (error) {
    tally.failed += 1;
    tally.firstFailure ??= String(error);
  }
  recorded.record(Math.max(1, Math.round((performance.now() - dueAt) * 1000)));
}

async function closedLoop(): Promise<number> {
  const started = performance.now();
  const endAt = started + plan.seconds * 1000;
  let budget = plan.requests ?? Infinity;
  const loop = async () => {
    while (performance.now() < endAt && budget > 0) {
      budget -= 1;
      await send(performance.now(), histogram);
    }
  };
  await Promise.all(Array.from({ length: plan.connections }, loop));
  return (performance.now() - started) / 1000;
}

/**
 * Sends request n at start + n / rate, checking the clock every millisecond: a late server makes
 * its answers late, never the schedule (no coordinated omission).
 */
async function openLoop(
  seconds: number,
  recorded: RecordableHistogram,
): Promise<{ seconds: number; unanswered: number }> {
  const rate = plan.rate!;
  const total = Math.round(rate * seconds);
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
    for (; sent < due; sent += 1) {
      const request = send(started + (sent * 1000) / rate, recorded);
      inFlight.add(request);
      void request.then(() => inFlight.delete(request));
    }
    await sleep(1);
  }
  const drained = Promise.all(inFlight).then(() => true);
  // Unreferenced: a drained run must not keep the process waiting for the timer.
  const settled = await Promise.race([drained, sleep(DRAIN_MS, false, { ref: false })]);
  return { seconds: (performance.now() - started) / 1000, unanswered: settled ? 0 : inFlight.size };
}

async function warmedOpenLoop(): Promise<{ seconds: number; unanswered: number }> {
  await openLoop(OPEN_WARM_UP_SECONDS, createHistogram());
  tally.completed = 0;
  tally.failed = 0;
  return openLoop(plan.seconds, histogram);
}

const { seconds, unanswered } =
  plan.mode === 'closed' ? { seconds: await closedLoop(), unanswered: 0 } : await warmedOpenLoop();
const ms = (microseconds: number) => microseconds / 1000;
const result: LoadResult = {
  ...tally,
  unanswered,
  seconds,
  throughput: tally.completed / seconds,
  latency: {
    p50: ms(histogram.percentile(50)),
    p99: ms(histogram.percentile(99)),
    p999: ms(histogram.percentile(99.9)),
    max: ms(histogram.max),
  },
};
process.stdout.write(`${JSON.stringify(result)}\n`);
await pool.destroy();
