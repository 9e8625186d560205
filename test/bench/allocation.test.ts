import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  summariseAllocations,
  type HeapProfileNode,
  type SamplingHeapProfile,
} from '../../bench/allocation-summary.ts';
import { HEAP_SAMPLING_NODE_OPTIONS, sampleHeap } from '../../bench/heap-sampling.ts';

function node(functionName: string, url: string, selfSize: number, children: HeapProfileNode[] = []): HeapProfileNode {
  return { callFrame: { functionName, url, lineNumber: 9 }, selfSize, children };
}

describe('the allocation summary', () => {
  const apollo = 'file:///app/node_modules/@apollo/server/dist/esm/requestPipeline.js';
  const profile: SamplingHeapProfile = {
    head: node('(root)', '', 0, [
      node('processGraphQLRequest', apollo, 1_000, [
        // Built-ins allocate for the code that called them, however deep they nest.
        node('all', '', 3_000, [node('then', '', 2_000)]),
        node('LOG', 'file:///app/node_modules/pino/lib/tools.js', 4_000),
      ]),
      node('(V8 API)', '', 500),
    ]),
  };
  const summary = summariseAllocations(profile, 10);

  it('divides every allocated byte by the requests', () => {
    expect(summary.bytesPerRequest).toBe(1_050);
  });

  it("counts a built-in's bytes to the package of the code that called it", () => {
    expect(summary.byPackage).toEqual([
      { name: '@apollo/server', bytesPerRequest: 600 },
      { name: 'pino', bytesPerRequest: 400 },
      { name: '(V8 API)', bytesPerRequest: 50 },
    ]);
    expect(summary.byFunction).toContainEqual({
      name: 'all · (native) ← processGraphQLRequest · @apollo/server (requestPipeline.js:10)',
      bytesPerRequest: 300,
    });
    expect(summary.byFunction).toContainEqual({
      name: 'then · (native) ← processGraphQLRequest · @apollo/server (requestPipeline.js:10)',
      bytesPerRequest: 200,
    });
  });
});

describe('the heap sampling of a server process', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'heap-sampling-'));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('counts what the process allocates between the two signals, collected or not, to the function that asked for it', async () => {
    // 2,000 arrays of 2,500 elements of 8 bytes, each dropped at once: about 40 MB, all garbage.
    const script = join(directory, 'allocating.mjs');
    await writeFile(
      script,
      `let last;
      function allocateKnown() { for (let i = 0; i < 2000; i++) last = new Array(2500).fill(i); }
      process.stdin.setEncoding('utf8').on('data', () => { allocateKnown(); console.log('allocated'); });
      console.log('ready');`,
    );
    const child = spawn(process.execPath, [...HEAP_SAMPLING_NODE_OPTIONS, script], {
      env: { ...process.env, BENCH_HEAP_PROFILE_DIR: directory },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    try {
      expect((await lines.next()).value).toBe('ready');
      const { profile } = await sampleHeap(child.pid!, directory, async () => {
        child.stdin.write('go\n');
        expect((await lines.next()).value).toBe('allocated');
      });

      const summary = summariseAllocations(profile, 1);
      const known = summary.byFunction.filter(({ name }) => name.includes('allocateKnown'));
      const knownBytes = known.reduce((sum, { bytesPerRequest }) => sum + bytesPerRequest, 0);
      // V8 estimates from samples every 4 KiB on average: close to the 40 MB, not exact.
      expect(knownBytes).toBeGreaterThan(0.8 * 40e6);
      expect(knownBytes).toBeLessThan(1.25 * 40e6);
      expect(knownBytes / summary.bytesPerRequest).toBeGreaterThan(0.9);
    } finally {
      child.kill();
      await once(child, 'exit');
    }
  });
});
