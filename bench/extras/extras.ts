import type { BenchStack } from '../bench-stack.ts';
import { markdownTable } from '../results-table.ts';
import type { BenchSettings } from '../settings.ts';
import { measureEmbeddedStoreStart, type EmbeddedStoreStart } from './embedded-store-start.ts';
import { measureEmulatorCreates, type EmulatorCreates } from './emulator-creates.ts';
import { measureEntityCosts, type EntityCosts } from './entity-costs.ts';

export interface Extras {
  readonly entityCosts: readonly EntityCosts[];
  readonly emulatorCreates: EmulatorCreates | null;
  readonly embeddedStoreStart: EmbeddedStoreStart | null;
}

/**
 * The other targets in `npm run bench`: `_entities` costs, creates that stay flat, the
 * embedded store's start (memory over 100,000 operations is `npm run bench:memory`).
 */
export const measureExtras = {
  /** Before any load: the first `_entities` request must meet an empty memory. */
  async beforeLoad(stack: BenchStack, progress: (line: string) => void): Promise<Pick<Extras, 'entityCosts'>> {
    progress('extras: _entities store round trips and provider calls');
    return { entityCosts: await measureEntityCosts(stack) };
  },

  async afterLoad(settings: BenchSettings, progress: (line: string) => void): Promise<Omit<Extras, 'entityCosts'>> {
    let emulatorCreates = null;
    if (settings.emulatorCreates > 0) {
      progress(`extras: ${settings.emulatorCreates} creates at the emulators with state files`);
      emulatorCreates = await measureEmulatorCreates(settings.emulatorCreates);
    }
    let embeddedStoreStart = null;
    if (settings.stores.includes('pglite')) {
      progress('extras: start-up of the embedded store, first open and reopen');
      embeddedStoreStart = await measureEmbeddedStoreStart();
    }
    return { emulatorCreates, embeddedStoreStart };
  },

  describe(extras: Extras): string {
    const sections = [
      '_entities, 100 references (30 distinct), per request:',
      markdownTable(
        [
          'subgraph',
          'store round trips, first',
          'provider calls, first',
          'store round trips, next',
          'provider calls, next',
        ],
        extras.entityCosts.map(({ subgraph, cold, warm }) => [
          subgraph,
          cold.storeRoundTrips.toFixed(1),
          cold.providerCalls.toFixed(1),
          warm.storeRoundTrips.toFixed(1),
          warm.providerCalls.toFixed(1),
        ]),
      ),
    ];
    const creates = extras.emulatorCreates;
    if (creates !== null) {
      sections.push(
        `\nEmulators with state files, ${creates.creates} creates: seconds per thousand ` +
          `${creates.secondsPerThousand.map((seconds) => seconds.toFixed(2)).join(', ')}; ` +
          `last / first ${creates.lastOverFirst.toFixed(2)}; ${creates.intentsAfterRestart} intents after a restart ` +
          `(${(creates.restartMs / 1000).toFixed(1)} s)`,
      );
    }
    const start = extras.embeddedStoreStart;
    if (start !== null) {
      sections.push(
        `\nEmbedded store: first open ${(start.firstOpen.ms / 1000).toFixed(1)} s, RSS ${start.firstOpen.rssMb.toFixed(0)} MB; ` +
          `reopen ${(start.reopen.ms / 1000).toFixed(1)} s, RSS ${start.reopen.rssMb.toFixed(0)} MB`,
      );
    }
    return sections.join('\n');
  },
};
