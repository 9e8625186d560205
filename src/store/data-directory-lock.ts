import { hash } from 'node:crypto';
import { mkdir, realpath, rmdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { bindSocket, socketAnswers, type BoundSocket } from './bound-socket.ts';

export class DataDirectoryInUseError extends Error {
  override readonly name = 'DataDirectoryInUseError';
}

/**
 * Where the lock's socket is bound (docs/decisions/store.md):
 * - `abstract` (Linux): a name in the kernel's abstract socket namespace, derived from the folder's
 *   real path. It exists exactly as long as the socket: no file, nothing stale after a crash.
 * - `file` (elsewhere): a socket file in the folder. A killed owner leaves it behind; a refused
 *   connection shows that it is stale, and the next process replaces it.
 */
export type LockNamespace = 'abstract' | 'file';

export const PLATFORM_LOCK_NAMESPACE: LockNamespace = process.platform === 'linux' ? 'abstract' : 'file';

/** The socket file of the `file` namespace, inside the folder. */
export const LOCK_SOCKET_FILE = '.lock.sock';

/**
 * Takes the exclusive lock of the embedded store's folder: PGlite is one process's database, and a
 * second process writing the same files would corrupt it. The lock is a listening Unix socket, so
 * it lives exactly as long as this process and needs nothing from its event loop: a process busy
 * for any length of time keeps it, a killed one loses it at once. Resolves with the release.
 */
export async function lockDataDirectory(
  dataDir: string,
  namespace: LockNamespace = PLATFORM_LOCK_NAMESPACE,
): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  const folder = await realpath(dataDir);
  const socket = namespace === 'abstract' ? await bindSocket(abstractName(folder)) : await bindSocketFile(folder);
  if (socket === null) {
    throw new DataDirectoryInUseError(
      `DATA_DIR ${dataDir} is in use by another process. The embedded store serves one process: ` +
        'give this one its own DATA_DIR, or set DATABASE_URL so that replicas share PostgreSQL.',
    );
  }
  return () => socket.close();
}

/** One name per folder, however it is reached (symbolic links, relative paths). */
function abstractName(folder: string): string {
  return `\0payments-subgraph/data-dir/${hash('sha256', folder, 'hex')}`;
}

/** A live owner listens microseconds after it binds; refusals this far apart mean nobody will. */
const STALE_CONFIRMATION_MS = 50;
/** A takeover lasts milliseconds: a guard this old was left by a process that died during one. */
const ABANDONED_GUARD_MS = 10_000;

/**
 * Binding a free path is atomic; replacing a stale file is not (check, unlink, bind), so that runs
 * under a guard directory (mkdir is atomic): two processes that both found the file stale cannot
 * both unlink it, the second one removing the first one's live socket.
 */
async function bindSocketFile(folder: string): Promise<BoundSocket | null> {
  const path = join(folder, LOCK_SOCKET_FILE);
  const guard = `${path}.takeover`;
  for (;;) {
    const bound = await bindSocket(path);
    if (bound !== null) return bound;
    try {
      await mkdir(guard);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      await removeIfAbandoned(guard);
      await sleep(STALE_CONFIRMATION_MS);
      continue;
    }
    try {
      if (!(await isStale(path))) return null;
      await unlink(path).catch(unlessMissing);
      return await bindSocket(path);
    } finally {
      await rmdir(guard).catch(unlessMissing);
    }
  }
}

async function isStale(path: string): Promise<boolean> {
  if (await socketAnswers(path)) return false;
  await sleep(STALE_CONFIRMATION_MS);
  return !(await socketAnswers(path));
}

async function removeIfAbandoned(guard: string): Promise<void> {
  const since = await stat(guard).then(
    (stats) => Date.now() - stats.mtimeMs,
    () => 0,
  );
  if (since > ABANDONED_GUARD_MS) await rmdir(guard).catch(unlessMissing);
}

function unlessMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
