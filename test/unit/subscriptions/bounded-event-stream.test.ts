import { describe, expect, it } from 'vitest';
import {
  BoundedEventStream,
  SlowConsumerError,
  type StreamEnd,
} from '../../../src/subscriptions/bounded-event-stream.ts';

function stream(capacity = 2) {
  const ends: StreamEnd[] = [];
  return { stream: new BoundedEventStream<number>(capacity, (reason) => ends.push(reason)), ends };
}

describe('BoundedEventStream', () => {
  it('hands events to a waiting read, buffers the rest in order, and ends after what was buffered', async () => {
    const { stream: events, ends } = stream();
    const waiting = events.next();
    events.push(1);
    events.push(2);
    events.finish();
    expect(await waiting).toEqual({ value: 1, done: false });
    expect(await events.next()).toEqual({ value: 2, done: false });
    expect(await events.next()).toEqual({ value: undefined, done: true });
    expect(ends).toEqual(['finished']);
  });

  it('drops a consumer that falls more than its capacity behind, and tells it why', async () => {
    const { stream: events, ends } = stream(2);
    events.push(1);
    events.push(2);
    expect(events.ended).toBe(false);
    events.push(3);
    expect(events.ended).toBe(true);
    expect(ends).toEqual(['dropped']);
    await expect(events.next()).rejects.toBeInstanceOf(SlowConsumerError);
    expect(await events.next()).toEqual({ value: undefined, done: true });
    events.push(4);
    expect(ends).toEqual(['dropped']);
  });

  it('ends at once on return(), even while a read waits', async () => {
    const { stream: events, ends } = stream();
    const waiting = events.next();
    await events.return();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(ends).toEqual(['cancelled']);
  });

  it('rejects the waiting read with the error it fails with', async () => {
    const { stream: events, ends } = stream();
    const waiting = events.next();
    events.fail(new Error('store down'));
    await expect(waiting).rejects.toThrow('store down');
    expect(ends).toEqual(['failed']);
  });
});
