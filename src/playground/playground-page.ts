import type { PlaygroundTab } from './playground-tabs.ts';

/** What the page's script reads from its data block (src/playground/browser/playground.js). */
export interface PlaygroundSettings {
  /** Where GraphiQL sends operations: this server's GraphQL path. */
  readonly endpoint: string;
  readonly tabs: readonly PlaygroundTab[];
  /** The nonce this response's Content-Security-Policy allows for the <style> element GraphiQL adds. */
  readonly styleNonce: string;
}

/**
 * The IDE's HTML. Every script and style sheet is a file of this server (`assetPath`); the settings
 * travel in a JSON data block, which a browser never executes, so the page needs no inline script
 * and its Content-Security-Policy can refuse them all. It names no version of anything.
 */
export function renderPlaygroundPage(settings: PlaygroundSettings, assetPath: (name: string) => string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="referrer" content="no-referrer">
    <title>Payments subgraph: GraphiQL</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="${assetPath('graphiql.css')}">
    <link rel="stylesheet" href="${assetPath('playground.css')}">
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script type="application/json" id="playground-settings">${jsonForScriptElement(settings)}</script>
    <script src="${assetPath('react.js')}"></script>
    <script src="${assetPath('react-dom.js')}"></script>
    <script src="${assetPath('graphiql.js')}"></script>
    <script src="${assetPath('graphql-ws.js')}"></script>
    <script type="module" src="${assetPath('playground.js')}"></script>
  </body>
</html>
`;
}

/**
 * JSON that cannot end its <script> element early: every `<` (as in `</script>` or `<!--`) becomes
 * the JSON escape \u003c, which JSON.parse reads back unchanged.
 * https://html.spec.whatwg.org/multipage/scripting.html#restrictions-for-contents-of-script-elements
 */
function jsonForScriptElement(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c');
}
