// The Apollo Router release that router.yaml is checked against. Router 2.x refuses
// configuration keys it does not know, so the check uses that release's own generated schema.

/** Run this Router release, or move the pin (and refresh the schema) when upgrading. */
export const APOLLO_ROUTER_VERSION = '2.13.1';

/** Where the schema comes from: the insta snapshot of the router's schema-generation test. */
export const ROUTER_CONFIG_SCHEMA_SOURCE = {
  repository: 'https://github.com/apollographql/router',
  tag: `v${APOLLO_ROUTER_VERSION}`,
  path: 'apollo-router/src/configuration/snapshots/apollo_router__configuration__tests__schema_generation.snap',
} as const;

/** The local copy's place (kept out of git, see deploy/router/README.md). */
export const ROUTER_CONFIG_SCHEMA_FILE = new URL('./router-config.schema.json', import.meta.url);

/** sha256 of the schema at that tag, insta header stripped: ties a local copy to the pinned release. */
export const ROUTER_CONFIG_SCHEMA_SHA256 = '3be1acd3e4a8e30759484c156813bf28a6e710df09c3124fc3e6b1ad0ab972b2';
