import type { Config, ProviderCredentials } from '../config/environment.ts';
import type { StartedEmulator } from '../emulators/emulator.ts';
import type { Logger } from '../logging/logger.ts';
import { startZiinaEmulator } from '../providers/ziina/emulator/ziina-emulator.ts';
import { startZopayEmulator } from '../providers/zopay/emulator/zopay-emulator.ts';

export interface ResolvedProviders {
  readonly zopay: ProviderCredentials;
  readonly ziina: ProviderCredentials;
  /** Closes the emulators this started (none when both keys are configured). */
  close(): Promise<void>;
}

/**
 * The real provider when its key is configured; otherwise its built-in emulator, started here
 * on 127.0.0.1 and announced in the log (ARCHITECTURE.md, "embedded default").
 */
export async function resolveProviders(config: Config, logger: Logger): Promise<ResolvedProviders> {
  const started: StartedEmulator[] = [];
  const resolve = async (name: string, configured: ProviderCredentials | null, start: () => Promise<StartedEmulator>) => {
    if (configured) return configured;
    const emulator = await start();
    started.push(emulator);
    logger.info({ provider: name, baseUrl: emulator.baseUrl }, `${name} API key is not set: using the built-in ${name} emulator`);
    return { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl };
  };
  try {
    const zopay = await resolve('Zopay', config.zopay, () => startZopayEmulator());
    const ziina = await resolve('Ziina', config.ziina, () => startZiinaEmulator());
    return { zopay, ziina, close: async () => void (await Promise.all(started.map((emulator) => emulator.close()))) };
  } catch (error) {
    await Promise.all(started.map((emulator) => emulator.close()));
    throw error;
  }
}
