import { describe, expect, it } from 'vitest';
import { prefersHtml } from '../../../src/http/prefers-html.ts';

const request = (method: string, accept?: string) => ({ method, headers: accept === undefined ? {} : { accept } });

/** What Chromium and Firefox send when the address bar opens a page. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

describe('prefersHtml', () => {
  it('is true for a browser opening the address', () => {
    expect(prefersHtml(request('GET', BROWSER_ACCEPT))).toBe(true);
    expect(prefersHtml(request('GET', 'text/html'))).toBe(true);
  });

  it.each([
    ['no Accept header', 'GET', undefined],
    ['*/* (fetch, curl)', 'GET', '*/*'],
    ['JSON', 'GET', 'application/json'],
    ['JSON ranked above HTML', 'GET', 'text/html;q=0.5, application/json'],
    ['the GraphQL response type', 'GET', 'application/graphql-response+json, text/html;q=0.9'],
    ['a POST, whatever it accepts', 'POST', BROWSER_ACCEPT],
  ])('is false for %s', (_case, method, accept) => {
    expect(prefersHtml(request(method, accept))).toBe(false);
  });
});
