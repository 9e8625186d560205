import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS and ESM builds; the Apollo packages load the CJS one. Vite would pick
    // the ESM one for our imports, and graphql refuses types from "another realm". Node itself
    // resolves `graphql` to the CJS build, so this makes tests load what production loads.
    alias: { graphql: 'graphql/index.js' },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real HTTP servers; give slow shared machines room.
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
