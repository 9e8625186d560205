import { ProviderRegistry } from './provider-registry.ts';
import { ziinaModule } from './ziina/ziina-module.ts';
import { zopayModule } from './zopay/zopay-module.ts';

/**
 * The providers this subgraph serves. The only list of them in the code: everything else iterates
 * over it. Each needs its types in schema/payments.graphql too (docs/architecture.md, "Adding a provider").
 */
export const registeredProviders = new ProviderRegistry([zopayModule, ziinaModule]);
