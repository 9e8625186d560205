import type { ProviderIdentity } from '../provider-errors.ts';

export const ZIINA: ProviderIdentity = { id: 'ZIINA', displayName: 'Ziina' };
