import { startPaymentsApp } from './app/payments-app.ts';
import { configSecrets, loadConfig } from './config/environment.ts';
import { createLogger } from './logging/logger.ts';

// Entry point of `npm start`. A bad configuration is reported whole and exits before listening.
const loaded = loadConfig(process.env);
if (!loaded.ok) {
  process.stderr.write(`Invalid configuration:\n${loaded.problems.map((problem) => `  - ${problem}`).join('\n')}\n`);
  process.exit(1);
}
const { config } = loaded;
const logger = createLogger({
  level: config.logLevel,
  secrets: configSecrets(config),
});

const app = await startPaymentsApp(config, logger).catch((error: unknown) => {
  logger.fatal({ err: error }, 'payments subgraph failed to start');
  process.exit(1);
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: draining in-flight requests');
  try {
    await app.stop();
    logger.info('stopped');
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, 'unclean shutdown');
    process.exit(1);
  }
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
