import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Deadline } from '../../../../src/providers/http/deadline.ts';

describe('Deadline', () => {
  it('aborts its signal with a TimeoutError once its time is up, as AbortSignal.timeout does', async () => {
    const deadline = new Deadline(20);
    expect(deadline.signal.aborted).toBe(false);
    await sleep(60);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.signal.reason).toMatchObject({ name: 'TimeoutError' });
  });

  it('never aborts once cleared', async () => {
    const deadline = new Deadline(20);
    deadline.clear();
    await sleep(60);
    expect(deadline.signal.aborted).toBe(false);
  });
});
