import { z } from 'zod';
import { describeProblems, integer, unsetIfBlank } from './environment-values.ts';

// The environment of `npm run emulators` (src/emulators/main.ts): both emulators alone, on fixed
// ports, for frontend teams who point a local subgraph at them.
const EmulatorsEnv = z.object({
  ZOPAY_EMULATOR_PORT: integer(1, 65_535).default(4010),
  ZIINA_EMULATOR_PORT: integer(1, 65_535).default(4020),
  // Optional fixed keys, so a local subgraph's configuration survives a restart of the emulators.
  ZOPAY_EMULATOR_API_KEY: z.string().min(1).optional(),
  ZIINA_EMULATOR_API_KEY: z.string().min(1).optional(),
  // Optional JSON files keeping each emulator's intents (and key) across restarts; default in memory.
  ZOPAY_EMULATOR_STATE_FILE: z.string().min(1).optional(),
  ZIINA_EMULATOR_STATE_FILE: z.string().min(1).optional(),
});

export type EmulatorsConfig = z.infer<typeof EmulatorsEnv>;

export type EmulatorsConfigResult = { readonly ok: true; readonly config: EmulatorsConfig } | { readonly ok: false; readonly problems: string[] };

export function loadEmulatorsConfig(env: NodeJS.ProcessEnv): EmulatorsConfigResult {
  const parsed = EmulatorsEnv.safeParse(unsetIfBlank(env));
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, problems: describeProblems(parsed.error) };
}
