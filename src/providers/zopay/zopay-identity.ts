import type { ProviderIdentity } from '../provider-errors.ts';

export const ZOPAY: ProviderIdentity = { id: 'ZOPAY', displayName: 'Zopay' };
