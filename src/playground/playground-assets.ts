import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A file the IDE page loads from this server, held in memory. */
export interface PlaygroundAsset {
  readonly body: Buffer;
  readonly contentType: string;
  /** A strong validator of the body, so a browser revalidates with a 304 instead of downloading again. */
  readonly etag: string;
}

const JAVASCRIPT = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

const require = createRequire(import.meta.url);

/** A file of an installed package (its package.json is always exported, the UMD builds are not). */
const packageFile = (packageName: string, path: string) =>
  join(dirname(require.resolve(`${packageName}/package.json`)), path);
const browserFile = (name: string) => fileURLToPath(new URL(`browser/${name}`, import.meta.url));

/**
 * The page's files by the name it asks for. GraphiQL 4's self-contained UMD build (its fonts and
 * images inlined as data: URLs) runs on React 18's UMD builds, with no bundler and no request to
 * any other host; GraphiQL 5 ships no such build (docs/decisions/playground.md).
 */
const SOURCES: Readonly<Record<string, { readonly path: string; readonly contentType: string }>> = {
  'react.js': { path: packageFile('react', 'umd/react.production.min.js'), contentType: JAVASCRIPT },
  'react-dom.js': { path: packageFile('react-dom', 'umd/react-dom.production.min.js'), contentType: JAVASCRIPT },
  'graphiql.js': { path: packageFile('graphiql', 'graphiql.min.js'), contentType: JAVASCRIPT },
  'graphiql.css': { path: packageFile('graphiql', 'graphiql.min.css'), contentType: CSS },
  // The graphql-ws client GraphiQL's fetcher takes for subscriptions (its UMD build: the global graphqlWs).
  'graphql-ws.js': { path: packageFile('graphql-ws', 'umd/graphql-ws.min.js'), contentType: JAVASCRIPT },
  'playground.js': { path: browserFile('playground.js'), contentType: JAVASCRIPT },
  'playground.css': { path: browserFile('playground.css'), contentType: CSS },
};

/**
 * A source map comment would make developer tools ask for a map this server does not serve.
 * https://tc39.es/ecma426/#sec-linking-generated-code
 */
const SOURCE_MAP_COMMENT = /\n\/\/# sourceMappingURL=\S+\s*$/;

/** Reads every file once (a missing one fails the start, not a page load later). */
export async function loadPlaygroundAssets(): Promise<ReadonlyMap<string, PlaygroundAsset>> {
  const assets = new Map<string, PlaygroundAsset>();
  for (const [name, { path, contentType }] of Object.entries(SOURCES)) {
    const text = (await readFile(path, 'utf8')).replace(SOURCE_MAP_COMMENT, '\n');
    const body = Buffer.from(text, 'utf8');
    const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
    assets.set(name, { body, contentType, etag });
  }
  return assets;
}
