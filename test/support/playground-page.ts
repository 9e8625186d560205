import type { PlaygroundSettings } from '../../src/playground/playground-page.ts';
import { call, type HttpAnswer } from './http.ts';

// The IDE page as a browser gets it (test/integration/playground*.test.ts): what it carries for its
// script, and the files it loads.

/** What Chromium sends when its address bar opens a page. */
export const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

export interface PlaygroundPage extends HttpAnswer {
  /** The page's JSON data block. */
  readonly settings: PlaygroundSettings;
  /** Every src and href of the page. */
  readonly loads: string[];
}

/** GET of the GraphQL URL as a browser's address bar asks for it. */
export async function openPlayground(
  graphqlUrl: string,
  headers: Record<string, string> = {},
): Promise<PlaygroundPage> {
  const answer = await call(graphqlUrl, { headers: { accept: BROWSER_ACCEPT, ...headers } });
  const data = /<script type="application\/json" id="playground-settings">(.*?)<\/script>/s.exec(answer.text);
  if (data?.[1] === undefined) throw new Error(`no playground settings in HTTP ${answer.status}: ${answer.text}`);
  return {
    ...answer,
    settings: JSON.parse(data[1]) as PlaygroundSettings,
    loads: [...answer.text.matchAll(/(?:src|href)="([^"]*)"/g)].map((match) => match[1]!),
  };
}
