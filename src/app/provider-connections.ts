import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { StartedEmulator } from '../../emulators/kit/emulator.ts';
import type { Config } from '../config/environment.ts';
import type { ProviderCredentials } from '../config/provider-environment.ts';
import type { Logger } from '../logging/logger.ts';
import type { PayableEmulator } from '../playground/playground-tabs.ts';
import type { ProviderModule } from '../providers/provider-module.ts';
import type { ProviderRegistry } from '../providers/provider-registry.ts';

/** A registered provider as this process reaches it. */
export interface ProviderConnection {
  readonly module: ProviderModule;
  readonly credentials: ProviderCredentials;
  /** True when its built-in emulator stands in for it (its API key is not configured). */
  readonly emulated: boolean;
  /** The secret its webhooks are signed with; null when it sends none or none is configured (endpoint off). */
  readonly webhookSecret: string | null;
}

export interface ProviderConnections {
  readonly connections: readonly ProviderConnection[];
  /** Closes the emulators this started. */
  close(): Promise<void>;
}

/**
 * The real provider when its key is configured; otherwise its built-in emulator, started here on
 * 127.0.0.1 and announced in the log. With a state folder (the embedded store's), the emulators
 * keep their intents and keys across restarts, as the store keeps its copies of them. An emulated
 * provider that sends webhooks gets a secret generated here, to register the subgraph with it.
 */
export async function connectProviders(
  config: Config,
  providers: ProviderRegistry,
  logger: Logger,
  emulatorStateDir: string | null,
): Promise<ProviderConnections> {
  const started: StartedEmulator[] = [];
  const close = async () => {
    await Promise.all(started.map((emulator) => emulator.close()));
  };
  try {
    const connections: ProviderConnection[] = [];
    for (const module of providers.modules) {
      const settings = config.providers[module.id];
      let credentials = settings?.credentials ?? null;
      const emulated = credentials === null;
      if (credentials === null) {
        const stateFile =
          emulatorStateDir === null ? undefined : join(emulatorStateDir, `${module.id.toLowerCase()}.json`);
        const emulator = await module.emulator.start({ stateFile });
        started.push(emulator);
        logger.info(
          { provider: module.id, baseUrl: emulator.baseUrl },
          `${module.environment.apiKeyVariable} is not set: using the built-in ${module.displayName} emulator`,
        );
        credentials = { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl };
      }
      connections.push({
        module,
        credentials,
        emulated,
        webhookSecret: webhookSecretOf(module, settings?.webhookSecret ?? null, emulated, logger),
      });
    }
    return { connections, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function webhookSecretOf(
  module: ProviderModule,
  configured: string | null,
  emulated: boolean,
  logger: Logger,
): string | null {
  if (module.webhook === null || configured !== null) return configured;
  if (emulated) return randomBytes(32).toString('hex');
  logger.warn(
    { provider: module.id },
    `${module.environment.webhookSecretVariable} is not set: POST ${module.webhook.path} is off, ` +
      `${module.displayName} status changes arrive only on reads`,
  );
  return null;
}

/**
 * The emulated providers, as the playground shows how to pay at them: the origin of their admin
 * routes (README, "The emulators") and their raw status that means paid.
 */
export function payableEmulators(connections: readonly ProviderConnection[]): PayableEmulator[] {
  return connections.flatMap(({ module, credentials, emulated }) => {
    const paidStatus = Object.keys(module.statuses).find((raw) => module.statuses[raw] === 'COMPLETED');
    if (!emulated || paidStatus === undefined) return [];
    return [{ displayName: module.displayName, origin: new URL(credentials.baseUrl).origin, paidStatus }];
  });
}
