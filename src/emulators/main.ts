/**
 * `npm run emulators`: both provider emulators on fixed ports, alone, for frontend teams who point a
 * local subgraph (ZOPAY_BASE_URL / ZIINA_BASE_URL and the keys) at them. Prints one JSON line per
 * emulator and stops cleanly on SIGINT/SIGTERM.
 */
import { loadEmulatorsConfig } from '../config/emulators-environment.ts';
import { startZiinaEmulator } from '../providers/ziina/emulator/ziina-emulator.ts';
import { startZopayEmulator } from '../providers/zopay/emulator/zopay-emulator.ts';
import type { StartedEmulator } from './emulator.ts';

const loaded = loadEmulatorsConfig(process.env);
if (!loaded.ok) {
  console.error(`Invalid emulator configuration:\n${loaded.problems.map((problem) => `  - ${problem}`).join('\n')}`);
  process.exit(1);
}
const settings = loaded.config;

const started: StartedEmulator[] = [];
try {
  const zopay = await startZopayEmulator({
    port: settings.ZOPAY_EMULATOR_PORT,
    apiKey: settings.ZOPAY_EMULATOR_API_KEY,
    stateFile: settings.ZOPAY_EMULATOR_STATE_FILE,
  });
  started.push(zopay);
  const ziina = await startZiinaEmulator({
    port: settings.ZIINA_EMULATOR_PORT,
    apiKey: settings.ZIINA_EMULATOR_API_KEY,
    stateFile: settings.ZIINA_EMULATOR_STATE_FILE,
  });
  started.push(ziina);
  console.log(JSON.stringify({ emulator: 'zopay', baseUrl: zopay.baseUrl, apiKey: zopay.apiKey }));
  console.log(JSON.stringify({ emulator: 'ziina', baseUrl: ziina.baseUrl, apiKey: ziina.apiKey }));
} catch (error) {
  console.error(`Could not start the emulators: ${error instanceof Error ? error.message : String(error)}`);
  await Promise.all(started.map((emulator) => emulator.close()));
  process.exit(1);
}

const stop = async () => {
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  await Promise.all(started.map((emulator) => emulator.close()));
  // Nothing is left running: the process ends on its own with exit code 0.
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
