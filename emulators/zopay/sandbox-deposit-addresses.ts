import { deterministicText } from './deterministic-text.ts';

/**
 * Zopay's asset/network catalogue is not public (docs/providers/zopay.md). Each currency "expands to all active
 * networks server-side" (docs/providers/zopay.md); this invented sandbox catalogue gives the common assets their usual
 * networks and any other code a single "sandbox" network, so no currency is rejected for lack of facts.
 */
const NETWORKS_BY_CURRENCY: Readonly<Record<string, readonly string[]>> = {
  BTC: ['bitcoin'],
  LTC: ['litecoin'],
  ETH: ['ethereum'],
  SOL: ['solana'],
  TRX: ['tron'],
  USDT: ['ethereum', 'tron', 'polygon'],
  USDC: ['ethereum', 'polygon', 'solana'],
};

const HEX = '0123456789abcdef';
const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Testnet-looking address formats, so nobody mistakes a sandbox address for a real one to pay. */
const ADDRESS_FORMATS: Readonly<Record<string, (seed: string) => string>> = {
  bitcoin: (seed) => `tb1q${deterministicText(seed, BECH32, 38)}`,
  litecoin: (seed) => `tltc1q${deterministicText(seed, BECH32, 38)}`,
  ethereum: (seed) => `0x${deterministicText(seed, HEX, 40)}`,
  polygon: (seed) => `0x${deterministicText(seed, HEX, 40)}`,
  tron: (seed) => `T${deterministicText(seed, BASE58, 33)}`,
  solana: (seed) => deterministicText(seed, BASE58, 44),
};

export interface DepositAddress {
  readonly currency: string;
  readonly network: string;
  readonly address: string;
}

/** @param seed unique per intent, e.g. the emulator key and the intent id. */
export function sandboxDepositAddresses(currencies: readonly string[], seed: string): DepositAddress[] {
  return currencies.flatMap((currency) =>
    (NETWORKS_BY_CURRENCY[currency.toUpperCase()] ?? ['sandbox']).map((network) => {
      const addressSeed = `${seed}:${currency}:${network}`;
      const format = ADDRESS_FORMATS[network] ?? ((s: string) => `sandbox_${deterministicText(s, HEX, 40)}`);
      return { currency, network, address: format(addressSeed) };
    }),
  );
}
