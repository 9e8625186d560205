import { z } from 'zod';
import type { ProviderId } from '../payments/payment-intent.ts';
import type { ProviderRegistry } from '../providers/provider-registry.ts';
import { describeProblems, integer, unsetIfBlank } from './environment-values.ts';

// The environment of `npm run emulators` (src/app/emulators-cli.ts): every registered provider's
// emulator alone, on fixed ports, for frontend teams who point a local subgraph at them. Named after
// the provider's id: <ID>_EMULATOR_PORT, <ID>_EMULATOR_API_KEY, <ID>_EMULATOR_STATE_FILE.

export interface EmulatorSettings {
  readonly port: number;
  /** A fixed key, so a local subgraph's configuration survives a restart of the emulators. */
  readonly apiKey: string | undefined;
  /** A JSON file keeping the emulator's intents (and key) across restarts; default in memory. */
  readonly stateFile: string | undefined;
}

export type EmulatorsConfigResult =
  | { readonly ok: true; readonly config: Readonly<Record<ProviderId, EmulatorSettings>> }
  | { readonly ok: false; readonly problems: string[] };

/** One provider's emulator variables, without their `<ID>_EMULATOR_` prefix. */
const EmulatorEnv = z.object({
  PORT: integer(1, 65_535).optional(),
  API_KEY: z.string().min(1).optional(),
  STATE_FILE: z.string().min(1).optional(),
});

export function loadEmulatorsConfig(env: NodeJS.ProcessEnv, providers: ProviderRegistry): EmulatorsConfigResult {
  const values = unsetIfBlank(env);
  const config: Record<ProviderId, EmulatorSettings> = {};
  const problems: string[] = [];
  for (const { id, emulator } of providers.modules) {
    const prefix = `${id}_EMULATOR_`;
    const parsed = EmulatorEnv.safeParse({
      PORT: values[`${prefix}PORT`],
      API_KEY: values[`${prefix}API_KEY`],
      STATE_FILE: values[`${prefix}STATE_FILE`],
    });
    if (!parsed.success) {
      problems.push(...describeProblems(parsed.error).map((problem) => `${prefix}${problem}`));
      continue;
    }
    config[id] = {
      port: parsed.data.PORT ?? emulator.defaultPort,
      apiKey: parsed.data.API_KEY,
      stateFile: parsed.data.STATE_FILE,
    };
  }
  return problems.length === 0 ? { ok: true, config } : { ok: false, problems };
}
