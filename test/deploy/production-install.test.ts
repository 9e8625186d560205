import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startZiinaEmulator } from '../../emulators/ziina/ziina-emulator.ts';
import { startZopayEmulator } from '../../emulators/zopay/zopay-emulator.ts';
import { APP_ROUTES, LISTENING_LOG_MESSAGE } from '../support/app-runtime-facts.ts';
import {
  copyStepOf,
  environmentOf,
  execForm,
  healthcheckCommandOf,
  onlyInstruction,
  readBuildStages,
  workdirOf,
  type BuildStage,
} from '../support/dockerfile-stages.ts';
import { useStarted } from '../support/lifecycle.ts';
import { spawnSubgraph, type SubgraphProcess } from '../support/subgraph-process.ts';
import { createTestSchema } from '../support/test-database.ts';

// The image without a Docker engine: the files the Dockerfile copies, installed the way it
// installs them (npm ci from the registry), started with its CMD and ENV. Anything the app needs
// at run time that is only a devDependency makes this fail.

const execFileAsync = promisify(execFile);
const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
// npm ci downloads from the registry when its cache is cold; the app then migrates a fresh schema.
const INSTALL_TIMEOUT_MS = 300_000;
const RUN_TIMEOUT_MS = 60_000;

const stages = await readBuildStages();
const runtime = stages.at(-1)!;

/** Docker's COPY from the build context: into a folder when the destination ends with '/'. */
async function copyFromContext(sources: readonly string[], destination: string, workdir: string): Promise<void> {
  const target = join(workdir, destination);
  for (const source of sources) {
    const into = destination.endsWith('/') ? join(target, basename(source)) : target;
    await mkdir(join(into, '..'), { recursive: true });
    await cp(join(REPOSITORY, source), into, { recursive: true });
  }
}

/**
 * Replays every stage's COPY and RUN in one folder. That stands for the image because every stage
 * works in the same WORKDIR, so a COPY --from finds the earlier stage's files where it left them.
 */
async function reproduceImage(stagesInOrder: readonly BuildStage[], folder: string): Promise<void> {
  for (const stage of stagesInOrder) {
    expect(workdirOf(stage)).toBe(workdirOf(runtime));
    for (const instruction of stage.instructions) {
      if (instruction.getKeyword() === 'COPY') {
        const { from, sources, destination } = copyStepOf(instruction);
        if (from === null) {
          await copyFromContext(sources, destination, folder);
        } else {
          // Already in place: the earlier stage made it in this same folder.
          for (const source of sources) {
            expect(posix.relative(workdirOf(runtime), source)).toBe(posix.normalize(destination));
          }
        }
      }
      if (instruction.getKeyword() === 'RUN') {
        // Only installs are replayed; another kind of RUN needs this test to learn it first.
        const [command, ...args] = instruction.getArgumentsContent()!.split(/\s+/);
        expect([command, args[0]]).toEqual(['npm', 'ci']);
        await execFileAsync(command!, args, { cwd: folder });
      }
    }
  }
}

let running: SubgraphProcess | undefined;

/** The reproduced image in a folder, and what it talks to: the emulators and a fresh database schema. */
const image = useStarted(
  async () => {
    const folder = await mkdtemp(join(tmpdir(), 'payments-image-'));
    await reproduceImage(stages, folder);
    const [zopay, ziina, schema] = await Promise.all([startZopayEmulator(), startZiinaEmulator(), createTestSchema()]);
    return { folder, zopay, ziina, schema };
  },
  async ({ folder, zopay, ziina, schema }) => {
    running?.kill('SIGKILL');
    await running?.exited;
    await Promise.all([zopay.close(), ziina.close(), schema.drop()]);
    await rm(folder, { recursive: true, force: true });
  },
  INSTALL_TIMEOUT_MS,
);

describe('the image, reproduced from the Dockerfile without Docker', () => {
  it('holds no devDependency but the types a production package takes as a peer', async () => {
    const packageJson = JSON.parse(await readFile(join(image().folder, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    // npm resolves an optional peer of a production package to the tree's copy, and then installs
    // that copy in production too: @types/node, an optional peer of meros (under GraphiQL's
    // toolkit). Type definitions only, never loaded.
    const peersOfProduction = new Set(['@types/node']);
    const installed = await Promise.all(
      Object.keys(packageJson.devDependencies).map(
        async (name) => (await stat(join(image().folder, 'node_modules', name)).catch(() => null)) && name,
      ),
    );
    expect(installed.filter((name) => name !== null && !peersOfProduction.has(name))).toEqual([]);
  });

  it('holds the app and its schema, but no emulator, tests, local data, deployment code or version control', async () => {
    const exists = async (path: string) => (await stat(join(image().folder, path)).catch(() => null)) !== null;
    expect(await exists('src/main.ts')).toBe(true);
    expect(await exists('schema/payments.graphql')).toBe(true);
    for (const excluded of ['emulators', 'test', 'docs', '.data', 'deploy', '.git', '.env'])
      expect(await exists(excluded), excluded).toBe(false);
  });

  it(
    'runs its CMD and ENV: live, ready, metrics, GET webhooks refused, HEALTHCHECK passes, exit 0 on SIGTERM',
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const [command, ...args] = execForm(onlyInstruction(runtime, 'CMD').getArgumentsContent()!)!;
      expect(command).toBe('node');
      running = spawnSubgraph(
        process.execPath,
        args,
        {
          ...environmentOf(runtime),
          HOST: '127.0.0.1',
          PORT: '0',
          DATABASE_URL: image().schema.databaseUrl,
          ZOPAY_API_KEY: image().zopay.apiKey,
          ZOPAY_BASE_URL: image().zopay.baseUrl,
          ZIINA_API_KEY: image().ziina.apiKey,
          ZIINA_BASE_URL: image().ziina.baseUrl,
          ZIINA_WEBHOOK_SECRET: 'a-webhook-secret-of-32-characters',
          ROUTER_SECRET: 'a-router-secret-of-at-least-32-characters',
        },
        image().folder,
      );
      const { graphqlUrl } = (await running.waitForLog(
        (entry) => entry.msg === LISTENING_LOG_MESSAGE,
        RUN_TIMEOUT_MS,
      )) as { graphqlUrl: string };
      const origin = new URL(graphqlUrl).origin;

      expect((await fetch(new URL(APP_ROUTES.liveness, origin))).status).toBe(200);
      expect((await fetch(new URL(APP_ROUTES.readiness, origin))).status).toBe(200);
      expect((await fetch(new URL(APP_ROUTES.metrics, origin))).status).toBe(200);
      // The Ingress routes this path whatever the method; the app takes POST only.
      expect((await fetch(new URL(APP_ROUTES.ziinaWebhook, origin))).status).toBe(405);
      const [, ...healthcheckArgs] = execForm(healthcheckCommandOf(runtime))!;
      await expect(
        execFileAsync(process.execPath, healthcheckArgs, { env: { PORT: new URL(origin).port } }),
      ).resolves.toBeTruthy();

      running.kill('SIGTERM');
      expect(await running.exited).toBe(0);
    },
  );
});
