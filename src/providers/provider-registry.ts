import type { ProviderId } from '../payments/payment-intent.ts';
import type { ProviderModule } from './provider-module.ts';

/**
 * The providers this subgraph serves, looked up by what identifies them in each place: id (the
 * PaymentProvider enum value and id prefix), GraphQL input branch, GraphQL details type. Refuses two
 * modules that claim the same id, branch, type or webhook route.
 */
export class ProviderRegistry {
  readonly modules: readonly ProviderModule[];
  readonly ids: readonly ProviderId[];
  readonly #byId: ReadonlyMap<ProviderId, ProviderModule>;

  constructor(modules: readonly ProviderModule[]) {
    for (const [what, names] of [
      ['id', modules.map((module) => module.id)],
      ['GraphQL input field', modules.map((module) => module.graphql.inputField)],
      ['GraphQL details type', modules.map((module) => module.graphql.detailsType)],
      ['webhook path', modules.flatMap((module) => (module.webhook === null ? [] : [module.webhook.path]))],
    ] as const) {
      const duplicate = names.find((name, index) => names.indexOf(name) !== index);
      if (duplicate !== undefined) throw new Error(`two providers share the ${what} ${duplicate}`);
    }
    this.modules = modules;
    this.ids = modules.map((module) => module.id);
    this.#byId = new Map(modules.map((module) => [module.id, module]));
  }

  /** Throws for an id that is not registered: callers only pass ids that came from the registry. */
  byId(id: ProviderId): ProviderModule {
    const module = this.#byId.get(id);
    if (module === undefined) throw new Error(`no provider is registered as ${id}`);
    return module;
  }
}
