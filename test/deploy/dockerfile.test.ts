import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { APP_DEFAULTS, APP_ROUTES, startCommand } from '../support/app-runtime-facts.ts';
import {
  copiesOf,
  copyStepOf,
  execForm,
  healthcheckCommandOf,
  instructionsOf,
  onlyInstruction,
  readBuildStages,
  type BuildStage,
} from '../support/dockerfile-stages.ts';

// No Docker engine runs here: these checks read the Dockerfile itself, and
// production-install.test.ts runs what it describes.

const stages = await readBuildStages();
const runtime = stages.at(-1)!;
const lockfile = JSON.parse(await readFile(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, { version: string }>;
};

function stageNamed(name: string): BuildStage {
  const stage = stages.find((candidate) => candidate.name === name);
  if (stage === undefined) throw new Error(`no build stage named ${name}`);
  return stage;
}

describe('Dockerfile', () => {
  it('builds in stages, so the install tooling and npm cache stay out of the image', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
  });

  it("starts every stage from the official Node slim image, at exactly the lockfile's Node release", () => {
    const testedNode = lockfile.packages['node_modules/node']!.version;
    for (const { from } of stages) {
      expect(from.getRegistry()).toBeNull();
      expect(from.getImageName()).toBe('node');
      expect(from.getImageTag()).toMatch(new RegExp(`^${testedNode.replaceAll('.', '\\.')}-[a-z]+-slim$`));
    }
  });

  it('ships node_modules from `npm ci --omit=dev`, run after copying only the package files (a cached layer)', () => {
    const modules = copiesOf(runtime).filter((copy) => copy.destination.replace(/\/$/, '').endsWith('node_modules'));
    expect(modules).toHaveLength(1);
    const installer = stageNamed(modules[0]!.from!);
    const runs = instructionsOf(installer, 'RUN');
    expect(runs).toHaveLength(1);
    const install = runs[0]!.getArgumentsContent()!.split(/\s+/);
    expect(install.slice(0, 2)).toEqual(['npm', 'ci']);
    expect(install).toContain('--omit=dev');

    const beforeInstall = installer.instructions.slice(0, installer.instructions.indexOf(runs[0]!));
    const copiedFirst = beforeInstall.filter((instruction) => instruction.getKeyword() === 'COPY').map(copyStepOf);
    expect(copiedFirst.flatMap((copy) => copy.sources)).toEqual(['package.json', 'package-lock.json']);
  });

  it('copies named paths only, never the whole build context', () => {
    for (const stage of stages) {
      for (const copy of copiesOf(stage)) expect(copy.sources).not.toContainEqual(expect.stringMatching(/^\.\/?$/));
    }
  });

  it('runs as a numeric non-root user, so Kubernetes can enforce runAsNonRoot', () => {
    const user = onlyInstruction(runtime, 'USER').getArgumentsContent()!;
    expect(user).toMatch(/^\d+:\d+$/);
    expect(user.split(':').map(Number)).not.toContain(0);
  });

  it("exposes the app's default port", () => {
    expect(onlyInstruction(runtime, 'EXPOSE').getArgumentsContent()).toBe(String(APP_DEFAULTS.port));
  });

  it('checks health with node (no curl in slim images) on the liveness route, failing on an error status', async () => {
    const [command, ...args] = execForm(healthcheckCommandOf(runtime))!;
    expect(command).toBe('node');
    const probe = async (status: number) => {
      const requested: string[] = [];
      const server = createServer((request, response) => {
        requested.push(request.url!);
        response.writeHead(status).end();
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const { port } = server.address() as AddressInfo;
      const child = spawn(process.execPath, args, { env: { PORT: String(port) }, stdio: 'ignore' });
      const [exitCode] = (await once(child, 'exit')) as [number];
      server.close();
      return { exitCode, requested };
    };

    expect(await probe(200)).toEqual({ exitCode: 0, requested: [APP_ROUTES.liveness] });
    expect(await probe(503)).toEqual({ exitCode: 1, requested: [APP_ROUTES.liveness] });
  });

  it('stops with SIGTERM, the signal the app drains on', () => {
    expect(onlyInstruction(runtime, 'STOPSIGNAL').getArgumentsContent()).toBe('SIGTERM');
  });

  it("runs `npm start`'s command in exec form, so node itself receives SIGTERM", async () => {
    const cmd = execForm(onlyInstruction(runtime, 'CMD').getArgumentsContent()!);
    expect(cmd).toEqual(await startCommand());
    expect(instructionsOf(runtime, 'ENTRYPOINT')).toEqual([]);
  });
});

describe('.dockerignore', () => {
  it('keeps tests, local data, version control and installed modules out of the build context', async () => {
    const patterns = (await readFile(new URL('../../.dockerignore', import.meta.url), 'utf8'))
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(patterns).toEqual(expect.arrayContaining(['test', '.data', '.git', 'node_modules', '.env', 'coverage']));
    // A later `!pattern` would let an excluded path back in.
    expect(patterns.filter((pattern) => pattern.startsWith('!'))).toEqual([]);
  });
});
