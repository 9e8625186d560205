import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ROUTER_SECRET_HEADER } from '../../src/http/router-authentication.ts';
import { providerIdOf } from '../support/emulator-admin.ts';
import { call, postGraphQL, postJson } from '../support/http.ts';
import { BROWSER_ACCEPT, openPlayground } from '../support/playground-page.ts';
import { spawnSubgraph, type SubgraphProcess } from '../support/subgraph-process.ts';
import { createTestSchema } from '../support/test-database.ts';
import { subscriptionClient } from '../support/subscription-client.ts';
import { useTestStack } from '../support/test-stack.ts';

const versionOf = async (packageJson: URL) =>
  (JSON.parse(await readFile(packageJson, 'utf8')) as { version: string }).version;

/** A Content-Security-Policy header as directive name → its sources. */
function directivesOf(policy: string | null): Record<string, string[]> {
  return Object.fromEntries(
    (policy ?? '').split(';').map((directive) => {
      const [name = '', ...sources] = directive.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('GET /graphql from a browser, with the playground on (the default outside production)', () => {
  const stack = useTestStack();
  const origin = () => new URL(stack().app.graphqlUrl).origin;

  it('answers the IDE page, under a policy of its own that allows this server alone', async () => {
    const page = await openPlayground(stack().app.graphqlUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(directivesOf(page.headers.get('content-security-policy'))).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", `'nonce-${page.settings.styleNonce}'`],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'", 'data:'],
      'connect-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
    });
    expect(Object.fromEntries(page.headers)).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cache-control': 'no-store',
    });
    expect(page.loads.every((path) => path.startsWith('/playground/') || path.startsWith('data:'))).toBe(true);
    expect(page.settings.endpoint).toBe('/graphql');
  });

  it("names neither this server's version nor Apollo Server's", async () => {
    const page = await openPlayground(stack().app.graphqlUrl);
    expect(page.text).not.toContain(await versionOf(new URL('../../package.json', import.meta.url)));
    expect(page.text).not.toContain(
      await versionOf(new URL('../../node_modules/@apollo/server/package.json', import.meta.url)),
    );
    expect(page.text).not.toMatch(/apollo/i);
  });

  it('serves every file the page loads with its type, and a 304 while it is unchanged', async () => {
    const page = await openPlayground(stack().app.graphqlUrl);
    const files = page.loads.filter((path) => path.startsWith('/playground/'));
    expect(files).toHaveLength(7);
    for (const path of files) {
      const file = await call(new URL(path, origin()));
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toMatch(path.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      expect(file.headers.get('x-content-type-options')).toBe('nosniff');
      expect(file.text).not.toMatch(/sourceMappingURL/);
      const again = await call(new URL(path, origin()), { headers: { 'if-none-match': file.headers.get('etag')! } });
      expect([again.status, again.text]).toEqual([304, '']);
    }
    expect((await call(new URL('/playground/graphiql.min.js.map', origin()))).status).toBe(404);
  });

  it('opens fresh clientMutationIds on each load', async () => {
    const keysOf = async () =>
      (await openPlayground(stack().app.graphqlUrl)).settings.tabs.map(
        (tab) => (JSON.parse(tab.variables) as { input?: { clientMutationId: string } }).input?.clientMutationId,
      );
    const [first, second] = [await keysOf(), await keysOf()];
    expect(first[0]).toEqual(expect.any(String));
    expect(second[0]).not.toBe(first[0]);
  });

  it('opens tabs that do what their notes say when run in order', async () => {
    const { tabs: allTabs } = (await openPlayground(stack().app.graphqlUrl)).settings;
    // The last tab is a subscription: over WebSocket, below.
    const tabs = allTabs.slice(0, -1);
    const answers = [];
    for (const tab of tabs) answers.push(await stack().graphql(tab.query, JSON.parse(tab.variables)));
    expect(answers.map((answer) => answer.errors)).toEqual(tabs.map(() => undefined));
    const [zopay, ziina, read, listing, retry, conflict] = answers.map((answer) => answer.data!);

    const created = zopay!.createPaymentIntent;
    expect(created).toMatchObject({
      replayed: false,
      userErrors: [],
      paymentIntent: { id: expect.stringMatching(/^zopay:/) },
    });
    expect(ziina!.createPaymentIntent).toMatchObject({
      userErrors: [],
      paymentIntent: { id: expect.stringMatching(/^ziina:/) },
    });
    expect(read!.paymentIntent).toBeNull();
    expect(listing!.paymentIntents.edges.map((edge: any) => edge.node.id)).toEqual([
      ziina!.createPaymentIntent.paymentIntent.id,
      created.paymentIntent.id,
    ]);
    expect(retry!.createPaymentIntent).toEqual({ ...created, replayed: true });
    expect(conflict!.createPaymentIntent).toMatchObject({
      paymentIntent: null,
      userErrors: [{ code: 'IDEMPOTENCY_CONFLICT' }],
    });

    const watchTab = allTabs.at(-1)!;
    const client = subscriptionClient(stack().app.graphqlUrl);
    try {
      const placeholder = client.watch(JSON.parse(watchTab.variables).id, watchTab.query);
      await placeholder.done;
      expect(placeholder.events).toEqual([null]);
      const watched = client.watch(created.paymentIntent.id, watchTab.query);
      await watched.eventCount(1);
      expect(watched.events).toEqual([expect.objectContaining({ id: created.paymentIntent.id })]);
    } finally {
      await client.dispose();
    }
  });

  it('leaves GET operations to GraphQL for any other client', async () => {
    const answer = await call(`${stack().app.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: '*/*', 'apollo-require-preflight': 'true' },
    });
    expect([answer.status, answer.json]).toEqual([200, { data: { __typename: 'Query' } }]);
  });
});

describe('with GRAPHQL_PLAYGROUND=false', () => {
  const stack = useTestStack({ env: { GRAPHQL_PLAYGROUND: 'false' } });

  it('serves neither the page nor its files, and no landing page of Apollo', async () => {
    const page = await call(stack().app.graphqlUrl, { headers: { accept: BROWSER_ACCEPT } });
    expect(page.headers.get('content-type')).toMatch(/^application\/json/);
    expect(page.text).not.toMatch(/<html/i);
    expect((await call(new URL('/playground/graphiql.js', stack().app.graphqlUrl))).status).toBe(404);
  });
});

describe('with ROUTER_SECRET set', () => {
  const secret = 'r'.repeat(32);
  const stack = useTestStack({ env: { ROUTER_SECRET: secret } });

  it('serves the page and its files only to requests that carry the secret, as /graphql itself', async () => {
    const file = () => new URL('/playground/graphiql.js', stack().app.graphqlUrl);
    expect((await call(stack().app.graphqlUrl, { headers: { accept: BROWSER_ACCEPT } })).status).toBe(401);
    expect((await call(file())).status).toBe(401);
    expect((await openPlayground(stack().app.graphqlUrl, { [ROUTER_SECRET_HEADER]: secret })).status).toBe(200);
    expect((await call(file(), { headers: { [ROUTER_SECRET_HEADER]: secret } })).status).toBe(200);
  });
});

describe('on the built-in emulators (no provider key)', () => {
  // A process of its own: the test stack gives the subgraph keys for emulators it starts itself.
  const PROCESS_TIMEOUT_MS = 60_000;

  it(
    "shows in the read tab how to pay at each emulator, at the emulator's origin, and that command pays",
    { timeout: PROCESS_TIMEOUT_MS },
    async () => {
      const schema = await createTestSchema();
      let running: SubgraphProcess | undefined;
      try {
        running = spawnSubgraph(process.execPath, ['src/main.ts'], {
          PORT: '0',
          HOST: '127.0.0.1',
          DATABASE_URL: schema.databaseUrl,
          // Zopay sends no webhooks: its paid status is seen by the next read that asks it.
          INTENT_FRESHNESS_MS: '0',
        });
        const { graphqlUrl } = (await running.waitForLog(
          (entry) => entry.msg === 'payments subgraph listening',
          PROCESS_TIMEOUT_MS,
        )) as { graphqlUrl: string };
        const [zopayCreate, , read] = (await openPlayground(graphqlUrl)).settings.tabs;

        const commands = read!.query.split('\n').filter((line) => line.includes('curl'));
        const emulatorOrigins = running.logs
          .filter((entry) => String(entry.msg).includes('built-in'))
          .map((entry) => new URL(String(entry.baseUrl)).origin);
        expect(emulatorOrigins).toHaveLength(2);
        expect(commands.map((line) => /POST (\S+)\/__emulator\//.exec(line)?.[1])).toEqual(emulatorOrigins);

        const created = await postGraphQL(graphqlUrl, zopayCreate!.query, JSON.parse(zopayCreate!.variables));
        const { id } = created.json.data.createPaymentIntent.paymentIntent as { id: string };
        const [, url, body] = /curl -s -X POST (\S+) -H 'content-type: application\/json' -d '(.+)'$/.exec(
          commands[0]!,
        )!;
        const paid = await postJson(url!.replace('PROVIDER_ID', providerIdOf(id)), body);
        expect(paid.status).toBe(200);
        const readAgain = await postGraphQL(graphqlUrl, read!.query, { id });
        expect(readAgain.json.data.paymentIntent).toMatchObject({ id, status: 'COMPLETED' });
      } finally {
        running?.kill('SIGTERM');
        if (running !== undefined) await running.exited;
        await schema.drop();
      }
    },
  );
});
