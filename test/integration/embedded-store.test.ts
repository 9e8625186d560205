import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ziinaCreateInput, zopayCreateInput } from '../support/builders.ts';
import { postGraphQL } from '../support/http.ts';
import { useStarted, useStoppedAfterEach } from '../support/lifecycle.ts';
import { CREATE_PAYMENT_INTENT, GET_PAYMENT_INTENT, type CreatePayload } from '../support/operations.ts';
import { killSubgraph, spawnSubgraph, type SubgraphProcess } from '../support/subgraph-process.ts';

// `npm start` with no setup: PGlite in DATA_DIR and the built-in emulators, whose state lives
// in the same folder. Intents and idempotency records must survive a restart.

/** One DATA_DIR for the whole file: what one test's processes stored, the next one's find. */
const dataDir = useStarted(
  () => mkdtemp(join(tmpdir(), 'payments-embedded-')),
  (created) => rm(created, { recursive: true, force: true }),
);
const killAfterTest = useStoppedAfterEach(killSubgraph);

// Processes start PGlite (seconds on a busy machine).
const PROCESS_TEST_TIMEOUT_MS = 90_000;

const listening = (entry: Record<string, unknown>) => entry.msg === 'payments subgraph listening';

async function npmStart(): Promise<{
  process: SubgraphProcess;
  graphql: (query: string, variables?: Record<string, unknown>) => Promise<any>;
}> {
  const process = await killAfterTest(
    spawnSubgraph('npm', ['start', '--silent'], { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir() }),
  );
  const { graphqlUrl } = (await process.waitForLog(listening, 60_000)) as { graphqlUrl: string };
  return {
    process,
    graphql: async (query, variables) => {
      const answer = await postGraphQL(graphqlUrl, query, variables);
      if (answer.status !== 200 || answer.json.errors !== undefined)
        throw new Error(`${answer.status}: ${answer.text}`);
      return answer.json.data;
    },
  };
}

const LIST = /* GraphQL */ `
  query List($externalRef: String) {
    paymentIntents(filter: { externalRef: $externalRef }) {
      edges {
        node {
          id
          status
          externalRef
        }
      }
    }
  }
`;

const INPUTS = [
  zopayCreateInput({ amount: '7.25', currencies: ['USDC'], externalRef: 'restart' }, 'restart-zopay'),
  ziinaCreateInput({ amountMinor: 725, currencyCode: 'AED', externalRef: 'restart' }, 'restart-ziina'),
];

describe('npm start on the embedded store', () => {
  it(
    'keeps intents, listings and idempotency records across a restart',
    { timeout: PROCESS_TEST_TIMEOUT_MS },
    async () => {
      const first = await npmStart();
      const created: CreatePayload[] = [];
      for (const input of INPUTS)
        created.push((await first.graphql(CREATE_PAYMENT_INTENT, { input })).createPaymentIntent);
      for (const payload of created) expect(payload.userErrors).toEqual([]);
      // The whole process group, npm included, gets the signal: the subgraph's own log says it stopped cleanly.
      first.process.kill('SIGTERM');
      await first.process.waitForLog((entry) => entry.msg === 'stopped');
      await first.process.exited;

      const second = await npmStart();
      for (const payload of created) {
        const read = await second.graphql(GET_PAYMENT_INTENT, { id: payload.paymentIntent!.id });
        expect(read.paymentIntent).toEqual(payload.paymentIntent);
      }
      const listed = await second.graphql(LIST, { externalRef: 'restart' });
      expect(listed.paymentIntents.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(
        created.map((payload) => payload.paymentIntent!.id).reverse(),
      );
      // The same requests again: replayed from the records the first process stored.
      for (const [index, input] of INPUTS.entries()) {
        const replay = (await second.graphql(CREATE_PAYMENT_INTENT, { input })).createPaymentIntent;
        expect(replay).toEqual({ ...created[index], replayed: true });
      }
    },
  );

  it(
    'refuses a second process on the same DATA_DIR with a clear message, and starts again after a crash',
    { timeout: PROCESS_TEST_TIMEOUT_MS },
    async () => {
      const owner = await npmStart();
      const intruder = await killAfterTest(
        spawnSubgraph(process.execPath, ['src/main.ts'], { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir() }),
      );
      expect(await intruder.exited).toBe(1);
      const fatal = intruder.logs.find((entry) => entry.level === 60) as { err?: { message?: string } } | undefined;
      expect(fatal?.err?.message).toMatch(/DATA_DIR .* is in use by another process/);
      expect(intruder.logs.some(listening)).toBe(false);

      owner.process.kill('SIGKILL');
      await owner.process.exited;
      const restartedAt = performance.now();
      const restarted = await npmStart();
      console.log(
        `[figures] npm start after a SIGKILL on the same DATA_DIR: listening in ${Math.round(performance.now() - restartedAt)} ms`,
      );
      const read = await restarted.graphql(LIST, { externalRef: 'restart' });
      expect(read.paymentIntents.edges).toHaveLength(2);
    },
  );

  it(
    'keeps DATA_DIR through a 10 s event-loop stall: a second process is refused, the owner serves on',
    { timeout: PROCESS_TEST_TIMEOUT_MS },
    async () => {
      const owner = await killAfterTest(
        spawnSubgraph(process.execPath, ['--import', './test/support/event-loop-stall.ts', 'src/main.ts'], {
          PORT: '0',
          HOST: '127.0.0.1',
          DATA_DIR: dataDir(),
          TEST_EVENT_LOOP_STALL_MS: '10000',
        }),
      );
      const { graphqlUrl } = (await owner.waitForLog(listening, 60_000)) as { graphqlUrl: string };
      const created = await postGraphQL(graphqlUrl, CREATE_PAYMENT_INTENT, {
        input: zopayCreateInput({}, 'before-the-stall'),
      });
      const intent = (created.json.data.createPaymentIntent as CreatePayload).paymentIntent!;
      owner.kill('SIGUSR2');
      await owner.waitForLog((entry) => entry.msg === 'event loop stall started');

      // A lock that a timer must refresh would go stale during the stall, and this process would take it.
      const intruder = await killAfterTest(
        spawnSubgraph(process.execPath, ['src/main.ts'], { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir() }),
      );
      expect(await intruder.exited).toBe(1);
      const fatal = intruder.logs.find((entry) => entry.level === 60) as { err?: { message?: string } } | undefined;
      expect(fatal?.err?.message).toMatch(/DATA_DIR .* is in use by another process/);
      const stallEnded = (entry: Record<string, unknown>) => entry.msg === 'event loop stall ended';
      expect(owner.logs.some(stallEnded)).toBe(false);

      await owner.waitForLog(stallEnded, 30_000);
      // A loop that was 10 s late may shed for one more half-second window: retried as a client would.
      const read = () => postGraphQL(graphqlUrl, GET_PAYMENT_INTENT, { id: intent.id });
      await expect.poll(async () => (await read()).status, { interval: 100, timeout: 5_000 }).toBe(200);
      expect((await read()).json.data.paymentIntent).toEqual(intent);
      expect(owner.child.exitCode).toBeNull();
      expect(owner.logs.filter((entry) => Number(entry.level) >= 50)).toEqual([]);
    },
  );
});
