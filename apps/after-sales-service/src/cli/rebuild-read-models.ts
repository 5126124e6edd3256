import 'reflect-metadata';
import { Pool } from 'pg';
import { EventStore } from '@aftersales/event-store';
import { validateConfig } from '@aftersales/service-kit';
import { AfterSalesServiceConfig } from '../after-sales-service.config';
import { rebuildReadModels } from '../application/rebuild-read-models';
import { ticketUpcasters } from '../infrastructure/ticket-upcasters';

// `npm run rebuild-read-models -w @aftersales/after-sales-service`: drops the ticket read models
// and projects them again from the log (same DATABASE_URL / DATABASE_SCHEMA as the service).
async function main(): Promise<void> {
  const config = validateConfig(AfterSalesServiceConfig, {
    AUTH_JWT_SECRET: 'not-used-by-this-command',
    ...process.env,
  });
  const pool = new Pool({
    connectionString: config.DATABASE_URL,
    options: `-c search_path=${config.DATABASE_SCHEMA}`,
  });
  try {
    const report = await rebuildReadModels(
      pool,
      new EventStore(pool, { schema: config.DATABASE_SCHEMA, upcasters: ticketUpcasters() }),
    );
    process.stdout.write(
      `rebuilt ${report.tickets} tickets from ${report.events} events in ${report.seconds.toFixed(2)} s (${report.eventsPerSecond} events/s)\n`,
    );
  } finally {
    await pool.end();
  }
}

main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
