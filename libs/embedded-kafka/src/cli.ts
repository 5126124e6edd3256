import { parseArgs } from 'node:util';
import { EmbeddedKafka } from './broker';

// Standalone broker: `npm run kafka -- --port 9092 --data-dir .data/kafka`.
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '9092' },
      'data-dir': { type: 'string' },
      partitions: { type: 'string', default: '1' },
    },
  });
  const port = Number(values.port);
  const defaultPartitions = Number(values.partitions);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${values.port}`);
  if (!Number.isInteger(defaultPartitions) || defaultPartitions < 1) {
    throw new Error(`invalid --partitions ${values.partitions}`);
  }
  const broker = await EmbeddedKafka.start({
    port,
    dataDir: values['data-dir'],
    defaultPartitions,
    log: true,
  });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`[kafka] ${signal} received, stopping`);
    broker.stop().then(
      () => process.exit(0),
      (err: Error) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: Error) => {
  console.error(`[kafka] ${err.message}`);
  process.exit(1);
});
