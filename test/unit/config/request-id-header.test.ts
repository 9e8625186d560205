import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/environment.ts';
import { registeredProviders } from '../../../src/providers/registered-providers.ts';

describe('REQUEST_ID_HEADER', () => {
  it('defaults to x-request-id, the header ingresses set and the router propagates (router.yaml)', () => {
    const loaded = loadConfig({}, registeredProviders);
    expect(loaded.ok && loaded.config.requestIdHeader).toBe('x-request-id');
  });

  it('is matched case-insensitively, as HTTP header names are', () => {
    const loaded = loadConfig({ REQUEST_ID_HEADER: 'X-Correlation-ID' }, registeredProviders);
    expect(loaded.ok && loaded.config.requestIdHeader).toBe('x-correlation-id');
  });

  it.each(['X-Router-Secret', 'authorization', 'Cookie'])(
    'refuses %s: its value, a credential, would be echoed in answers and logs',
    (header) => {
      const loaded = loadConfig({ REQUEST_ID_HEADER: header }, registeredProviders);
      expect(loaded.ok ? [] : loaded.problems).toEqual([
        'REQUEST_ID_HEADER must not be a header that carries a credential',
      ]);
    },
  );

  it('refuses what is not a header name', () => {
    const loaded = loadConfig({ REQUEST_ID_HEADER: 'x request id' }, registeredProviders);
    expect(loaded.ok ? [] : loaded.problems).toEqual([
      'REQUEST_ID_HEADER must be an HTTP header name (letters, digits, hyphens)',
    ]);
  });
});
