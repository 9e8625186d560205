// The browser globals of the UMD builds the page loads before playground.js (react, react-dom,
// graphiql, graphql-ws), reduced to what playground.js uses.

declare namespace React {
  interface ReactElement {
    readonly type: unknown;
  }
  function createElement(type: unknown, props: Record<string, unknown>): ReactElement;
}

declare namespace ReactDOM {
  interface Root {
    render(element: React.ReactElement): void;
  }
  function createRoot(container: Element): Root;
}

/** GraphiQL's component, with the toolkit's fetcher factory attached by its UMD build. */
declare const GraphiQL: {
  createFetcher(options: { url: string; wsClient: unknown }): unknown;
};

/** The graphql-ws client's UMD build. */
declare const graphqlWs: {
  createClient(options: { url: string; lazy: boolean }): unknown;
};

/** The nonce GraphiQL's added <style> elements carry (read by get-nonce, as webpack defines it). */
// eslint-disable-next-line no-var -- a global property is declared with var
declare var __webpack_nonce__: string | undefined;
