// The IDE's start-up, in the browser, once the UMD builds of react, react-dom and graphiql (files of
// this server) have run: GraphiQL on this server's GraphQL endpoint, opening the page's tabs.

/** @typedef {{ readonly query: string, readonly variables: string }} PlaygroundTab */
/**
 * @typedef {{ readonly endpoint: string, readonly tabs: readonly PlaygroundTab[], readonly styleNonce: string }}
 *   PlaygroundSettings
 */

const settingsElement = document.getElementById('playground-settings');
const container = document.getElementById('graphiql');
if (settingsElement?.textContent == null || container === null) {
  throw new Error('The playground page has no settings or no #graphiql element');
}
/** @type {unknown} */
const settingsJson = JSON.parse(settingsElement.textContent);
// Written by the server for this page (src/playground/playground-page.ts): its shape is known.
const settings = /** @type {PlaygroundSettings} */ (settingsJson);

// GraphiQL's dialogs add a <style> element (react-remove-scroll, through react-style-singleton),
// which takes its nonce from webpack's global: https://github.com/theKashey/get-nonce
globalThis.__webpack_nonce__ = settings.styleNonce;

/**
 * A Storage that forgets everything when the page goes: GraphiQL would otherwise restore the tabs of
 * an earlier visit from localStorage, with their used clientMutationIds, instead of the page's.
 * https://github.com/graphql/graphiql/tree/main/packages/graphiql#props (`storage`)
 * @returns {Storage}
 */
function pageLifetimeStorage() {
  /** @type {Map<string, string>} */
  const items = new Map();
  return {
    get length() {
      return items.size;
    },
    key: (index) => [...items.keys()][index] ?? null,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      items.set(key, value);
    },
    removeItem: (key) => {
      items.delete(key);
    },
    clear: () => {
      items.clear();
    },
  };
}

/** The GraphQL endpoint of this page's own origin as ws: (or wss:), where subscriptions go. */
function webSocketEndpoint() {
  const url = new URL(settings.endpoint, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

ReactDOM.createRoot(container).render(
  React.createElement(GraphiQL, {
    // Queries and mutations over HTTP; subscriptions over graphql-ws on the same path, connected lazily
    // (at the first subscription run). https://github.com/graphql/graphiql/tree/main/packages/graphiql-toolkit
    fetcher: GraphiQL.createFetcher({
      url: settings.endpoint,
      wsClient: graphqlWs.createClient({ url: webSocketEndpoint(), lazy: true }),
    }),
    defaultTabs: settings.tabs,
    // GraphiQL 4 fills the variables editor of the first tab from this prop alone, not from defaultTabs.
    variables: settings.tabs[0]?.variables,
    storage: pageLifetimeStorage(),
    defaultEditorToolsVisibility: 'variables',
    shouldPersistHeaders: false,
  }),
);
