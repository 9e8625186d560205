import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeJson } from '../lib/http/json-response.ts';
import type { PlaygroundAsset } from './playground-assets.ts';
import { ASSET_HEADERS, pageHeaders } from './playground-headers.ts';
import { renderPlaygroundPage } from './playground-page.ts';
import { newPageContext, playgroundTabs, type PayableEmulator } from './playground-tabs.ts';

/** The GraphQL IDE this server serves itself (docs/decisions/playground.md). */
export interface Playground {
  /** The IDE page, its tabs with fresh clientMutationIds. */
  writePage(response: ServerResponse): void;
  /** One of the page's files, by the name under the assets path; 404 for any other name. */
  writeAsset(request: IncomingMessage, response: ServerResponse, name: string): void;
}

export interface PlaygroundOptions {
  /** Where the IDE sends operations, e.g. /graphql */
  readonly graphqlPath: string;
  /** Where its files are served, ending with a slash, e.g. /playground/ */
  readonly assetsPath: string;
  /** The built-in emulators this server uses, whose admin routes the read tab shows. */
  readonly emulators: readonly PayableEmulator[];
}

export function createPlayground(
  assets: ReadonlyMap<string, PlaygroundAsset>,
  { graphqlPath, assetsPath, emulators }: PlaygroundOptions,
): Playground {
  return {
    writePage(response) {
      const tabs = playgroundTabs(newPageContext(emulators));
      // A nonce is unguessable and used once: https://www.w3.org/TR/CSP3/#security-nonces
      const styleNonce = randomBytes(16).toString('base64');
      const html = renderPlaygroundPage({ endpoint: graphqlPath, tabs, styleNonce }, (name) => `${assetsPath}${name}`);
      response.writeHead(200, { ...pageHeaders(styleNonce), 'content-length': Buffer.byteLength(html) });
      response.end(html);
    },
    writeAsset(request, response, name) {
      const asset = assets.get(name);
      if (asset === undefined) {
        writeJson(response, 404, { error: 'not found' });
        return;
      }
      const headers = { ...ASSET_HEADERS, etag: asset.etag };
      if (request.headers['if-none-match'] === asset.etag) {
        response.writeHead(304, headers);
        response.end();
        return;
      }
      response.writeHead(200, { ...headers, 'content-type': asset.contentType, 'content-length': asset.body.length });
      response.end(asset.body);
    },
  };
}
