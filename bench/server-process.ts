import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const REPOSITORY = new URL('..', import.meta.url);

/** A server the benchmark started in a process of its own (Node, from this repository). */
export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  /** From spawning the process to the log line that says it serves. */
  readonly startupMs: number;
  /** The JSON log lines read until then: where it listens, keys... */
  readonly announced: readonly Record<string, unknown>[];
  /** The first chunks it wrote to stderr (Node's own messages, e.g. where its inspector listens). */
  readonly stderr: readonly string[];
  /** SIGTERM (a clean stop: a CPU profile is written then), SIGKILL if it is not gone in 15 s. */
  stop(): Promise<void>;
}

export interface ServerCommand {
  readonly name: string;
  /** Script and arguments, after Node's own options. */
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Options of Node itself, e.g. --cpu-prof. */
  readonly nodeOptions?: readonly string[];
  /** True once the log lines read so far say that it serves. */
  readonly ready: (announced: readonly Record<string, unknown>[]) => boolean;
}

const START_TIMEOUT_MS = 120_000;

/**
 * Starts a server and reads its JSON log only until it serves: after that its output is dropped
 * unread, so that the benchmark's own process spends nothing on the log lines of the load.
 */
export async function startServer(command: ServerCommand): Promise<ServerProcess> {
  const started = performance.now();
  const child = spawn(process.execPath, [...(command.nodeOptions ?? []), ...command.args], {
    cwd: REPOSITORY,
    env: { ...process.env, ...command.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  const stderr: string[] = [];
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    if (stderr.length < 50) stderr.push(text);
  });
  const announced: Record<string, unknown>[] = [];
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const fail = (reason: string) => {
      lines.close();
      reject(new Error(`${command.name} ${reason}; stderr: ${stderr.join('')}`));
    };
    const timer = setTimeout(() => fail(`did not start within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    void exited.then(() => fail('exited while starting'));
    lines.on('line', (line) => {
      try {
        announced.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        return;
      }
      if (!command.ready(announced)) return;
      clearTimeout(timer);
      lines.close();
      child.stdout.resume();
      resolve();
    });
  });
  return {
    name: command.name,
    pid: child.pid!,
    startupMs: performance.now() - started,
    announced,
    stderr,
    stop: () => stopProcess(child, exited),
  };
}

async function stopProcess(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
