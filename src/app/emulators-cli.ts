/**
 * `npm run emulators`: the emulator of every registered provider, alone, on fixed ports, for
 * frontend teams who point a local subgraph (<ID>_BASE_URL, <ID>_API_KEY) at them. Prints one
 * JSON line per emulator and stops cleanly on SIGINT/SIGTERM.
 */
import type { StartedEmulator } from '../../emulators/kit/emulator.ts';
import { loadEmulatorsConfig } from '../config/emulators-environment.ts';
import { registeredProviders } from '../providers/registered-providers.ts';

const loaded = loadEmulatorsConfig(process.env, registeredProviders);
if (!loaded.ok) {
  console.error(`Invalid emulator configuration:\n${loaded.problems.map((problem) => `  - ${problem}`).join('\n')}`);
  process.exit(1);
}

const started: StartedEmulator[] = [];
try {
  for (const { id, emulator } of registeredProviders.modules) {
    const settings = loaded.config[id];
    const running = await emulator.start({
      port: settings?.port,
      apiKey: settings?.apiKey,
      stateFile: settings?.stateFile,
    });
    started.push(running);
    console.log(JSON.stringify({ emulator: id.toLowerCase(), baseUrl: running.baseUrl, apiKey: running.apiKey }));
  }
} catch (error) {
  console.error(`Could not start the emulators: ${error instanceof Error ? error.message : String(error)}`);
  await Promise.all(started.map((emulator) => emulator.close()));
  process.exit(1);
}

function onSignal(): void {
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  // Nothing is left running once they are closed: the process ends on its own with exit code 0.
  void Promise.all(started.map((emulator) => emulator.close()));
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
