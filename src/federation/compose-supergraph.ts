import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

export interface SubgraphSource {
  readonly name: string;
  readonly url: string;
  readonly sdl: string;
}

export type Composition =
  | { readonly ok: true; readonly supergraphSdl: string; readonly hints: readonly string[] }
  | { readonly ok: false; readonly errors: readonly string[] };

/**
 * Composes subgraphs with @apollo/composition, the library behind rover's composition plugin
 * and the router's own checks, so what composes here composes there.
 */
export function composeSupergraph(subgraphs: readonly SubgraphSource[]): Composition {
  const result = composeServices(subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })));
  if (result.errors) return { ok: false, errors: result.errors.map((error) => error.message) };
  return { ok: true, supergraphSdl: result.supergraphSdl, hints: result.hints.map((hint) => hint.toString()) };
}
