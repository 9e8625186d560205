import { startPaymentsApp } from './app/payments-app.ts';
import { configSecrets, loadConfig } from './config/environment.ts';
import { createLogger } from './logging/logger.ts';
import { startTracing } from './observability/tracing.ts';
import { registeredProviders } from './providers/registered-providers.ts';

// Entry point of `npm start`. A bad configuration is reported whole and exits before listening.
const loaded = loadConfig(process.env, registeredProviders);
if (!loaded.ok) {
  process.stderr.write(`Invalid configuration:\n${loaded.problems.map((problem) => `  - ${problem}`).join('\n')}\n`);
  process.exit(1);
}
const { config } = loaded;
const logger = createLogger({ level: config.logLevel, secrets: configSecrets(config) });

// Off (nothing loaded) unless the OTEL_* variables configure an exporter: docs/decisions/tracing.md.
const tracing = await startTracing(config.tracing);
const starting = startPaymentsApp(config, logger, {
  providers: registeredProviders,
  ...(tracing.tracer !== null && { tracer: tracing.tracer }),
}).catch((error: unknown) => {
  logger.fatal({ err: error }, 'payments subgraph failed to start');
  process.exit(1);
});

// This process is the one owner of its signals (docs/decisions/overload-and-shutdown.md): the first
// drains and stops in order, even one that arrives while starting (the start completes first: an
// interrupted migration or store opening is worse than a short wait); a second one (an impatient
// operator, or an orchestrator's escalation) exits at once.
let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) {
    logger.warn({ signal }, 'second signal while stopping: exiting now');
    process.exit(1);
  }
  stopping = true;
  logger.info({ signal }, 'shutting down: draining in-flight requests');
  try {
    await (await starting).stop();
    // The last requests' spans leave before the process does.
    await tracing.shutdown();
    logger.info('stopped');
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, 'unclean shutdown');
    process.exit(1);
  }
}
process.on('SIGTERM', (signal) => void shutdown(signal));
process.on('SIGINT', (signal) => void shutdown(signal));
