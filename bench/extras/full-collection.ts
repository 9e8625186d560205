import type { ServerProcess } from '../server-process.ts';

const INSPECTOR_URL = /Debugger listening on (ws:\/\/\S+)/;
const TIMEOUT_MS = 30_000;

/** Node options that let `collectGarbage` reach the process: its inspector, on a free loopback port. */
export const COLLECTABLE_NODE_OPTIONS = ['--inspect=127.0.0.1:0'];

/**
 * A full garbage collection in the server, through its inspector (the DevTools protocol's
 * HeapProfiler.collectGarbage, https://chromedevtools.github.io/devtools-protocol/v8/HeapProfiler/):
 * the used heap measured right after it is what is live, not what waits for the next collection.
 */
export async function collectGarbage(server: ServerProcess): Promise<void> {
  const url = INSPECTOR_URL.exec(server.stderr.join(''))?.[1];
  if (url === undefined)
    throw new Error(`${server.name} has no inspector: start it with ${COLLECTABLE_NODE_OPTIONS[0]}`);
  const socket = new WebSocket(url);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${server.name}: no full collection within ${TIMEOUT_MS} ms`)),
        TIMEOUT_MS,
      );
      socket.addEventListener('error', () => reject(new Error(`${server.name}: inspector connection failed`)));
      socket.addEventListener('open', () =>
        socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' })),
      );
      socket.addEventListener('message', (event) => {
        if ((JSON.parse(String(event.data)) as { id?: number }).id !== 1) return;
        clearTimeout(timer);
        resolve();
      });
    });
  } finally {
    socket.close();
  }
}
