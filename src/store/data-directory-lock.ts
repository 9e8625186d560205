import { mkdir } from 'node:fs/promises';
import lockfile from 'proper-lockfile';

const STALE_AFTER_MS = 4_000;
const RETRY_EVERY_MS = 500;

export class DataDirectoryInUseError extends Error {
  override readonly name = 'DataDirectoryInUseError';
}

/**
 * Takes the exclusive lock of the embedded store's folder (docs/decisions/store.md):
 * PGlite is one process's database, and a second process writing the same files would corrupt
 * it. The lock is a directory created atomically beside the folder and refreshed every second
 * while held: the lock of a process that was killed goes stale after a few seconds, and a
 * restart waits that long for it rather than failing.
 */
export async function lockDataDirectory(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  try {
    return await lockfile.lock(dataDir, {
      stale: STALE_AFTER_MS,
      update: STALE_AFTER_MS / 4,
      realpath: true,
      retries: {
        retries: Math.ceil((STALE_AFTER_MS * 1.5) / RETRY_EVERY_MS),
        minTimeout: RETRY_EVERY_MS,
        maxTimeout: RETRY_EVERY_MS,
      },
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ELOCKED') {
      throw new DataDirectoryInUseError(
        `DATA_DIR ${dataDir} is in use by another process. The embedded store serves one process: ` +
          'give this one its own DATA_DIR, or set DATABASE_URL so that replicas share PostgreSQL.',
        { cause: error },
      );
    }
    throw error;
  }
}
