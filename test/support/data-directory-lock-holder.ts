import { lockDataDirectory, type LockNamespace } from '../../src/store/data-directory-lock.ts';

// A process that takes DATA_DIR's lock and holds it until killed, and nothing else:
// `node test/support/data-directory-lock-holder.ts <folder> <abstract|file>`. It says how it went
// in one JSON line on stdout ("locked", or "refused" with the error's message and exit code 1).

const [dataDir, namespace] = process.argv.slice(2) as [string, LockNamespace];
try {
  await lockDataDirectory(dataDir, namespace);
  process.stdout.write(`${JSON.stringify({ msg: 'locked', pid: process.pid })}\n`);
  // The lock itself does not keep a process alive.
  setInterval(() => undefined, 60_000);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ msg: 'refused', error: (error as Error).message })}\n`);
  process.exit(1);
}
