import { join } from 'node:path';
import type { Config, ProviderCredentials } from '../config/environment.ts';
import type { StartedEmulator } from '../emulators/emulator.ts';
import type { Logger } from '../logging/logger.ts';
import { startZiinaEmulator } from '../providers/ziina/emulator/ziina-emulator.ts';
import { startZopayEmulator } from '../providers/zopay/emulator/zopay-emulator.ts';

export interface ResolvedProviders {
  readonly zopay: ProviderCredentials;
  readonly ziina: ProviderCredentials;
  /** True when Ziina is the built-in emulator, which this process may register its webhook with. */
  readonly ziinaIsEmulated: boolean;
  /** Closes the emulators this started (none when both keys are configured). */
  close(): Promise<void>;
}

/**
 * The real provider when its key is configured; otherwise its built-in emulator, started here
 * on 127.0.0.1 and announced in the log (ARCHITECTURE.md, "embedded default"). With a state
 * folder (the embedded store's), the emulators keep their intents and keys across restarts,
 * as the store keeps its copies of them.
 */
export async function resolveProviders(config: Config, logger: Logger, emulatorStateDir: string | null): Promise<ResolvedProviders> {
  const stateFile = (name: string) => (emulatorStateDir === null ? undefined : join(emulatorStateDir, `${name}.json`));
  const started: StartedEmulator[] = [];
  const resolve = async (name: string, configured: ProviderCredentials | null, start: () => Promise<StartedEmulator>) => {
    if (configured) return configured;
    const emulator = await start();
    started.push(emulator);
    logger.info({ provider: name, baseUrl: emulator.baseUrl }, `${name} API key is not set: using the built-in ${name} emulator`);
    return { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl };
  };
  try {
    const zopay = await resolve('Zopay', config.zopay, () => startZopayEmulator({ stateFile: stateFile('zopay') }));
    const ziina = await resolve('Ziina', config.ziina, () => startZiinaEmulator({ stateFile: stateFile('ziina') }));
    return { zopay, ziina, ziinaIsEmulated: config.ziina === null, close: async () => void (await Promise.all(started.map((emulator) => emulator.close()))) };
  } catch (error) {
    await Promise.all(started.map((emulator) => emulator.close()));
    throw error;
  }
}
