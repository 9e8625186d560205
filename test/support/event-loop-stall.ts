// Preloaded into a process under test (`node --import ./test/support/event-loop-stall.ts …`): on
// SIGUSR2 its main thread stops for TEST_EVENT_LOOP_STALL_MS (default 10 s), as a long synchronous
// computation would stop it: no timer, no I/O callback, nothing of the event loop runs meanwhile.
// With TEST_EVENT_LOOP_BUSY_FOR_MS, stalls follow one another for that long, each let go for one
// turn of the event loop: the process of a saturated CPU, which serves but always late.
// Atomics.wait blocks the thread exactly as a busy loop does, without taking a core from the tests
// running beside it. Both ends are announced as JSON lines on stdout, like the subgraph's log.

const stallMs = Number(process.env.TEST_EVENT_LOOP_STALL_MS ?? 10_000);
const busyForMs = Number(process.env.TEST_EVENT_LOOP_BUSY_FOR_MS ?? 0);

function announce(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function stall(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

process.on('SIGUSR2', () => {
  announce({ msg: 'event loop stall started', stallMs, busyForMs });
  const started = performance.now();
  const stallUntilDone = () => {
    stall(stallMs);
    if (performance.now() - started < busyForMs) setImmediate(stallUntilDone);
    else announce({ msg: 'event loop stall ended', stalledMs: Math.round(performance.now() - started) });
  };
  stallUntilDone();
});
