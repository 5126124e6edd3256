import { readFileSync } from 'node:fs';
import { CE } from '@aftersales/contracts';
import { ValidationError } from '@aftersales/kernel';
import { createKafka, createProducer, parseBrokers } from '../kafka/kafka-client';
import { USAGE, UsageError, eventList, eventMessage, parseEventCommand, sampleData } from './event-message';

// `npm run event -- …`: see USAGE.
async function main(): Promise<void> {
  const command = parseEventCommand(process.argv.slice(2));
  switch (command.kind) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return;
    case 'list':
      process.stdout.write(`${eventList()}\n`);
      return;
    case 'sample':
      process.stdout.write(`${sampleData(command.type)}\n`);
      return;
    case 'publish': {
      const dataText =
        command.data === '-'
          ? readFileSync(0, 'utf8')
          : command.data.startsWith('@')
            ? readFileSync(command.data.slice(1), 'utf8')
            : command.data;
      const message = eventMessage(command, dataText, new Date());
      const brokers = parseBrokers(command.brokers ?? process.env.KAFKA_BROKERS ?? 'localhost:9092');
      const kafka = createKafka('publish-event-cli', brokers, {
        warn: () => undefined,
        error: (_obj, msg) => process.stderr.write(`kafka: ${msg}\n`),
      });
      const producer = createProducer(kafka);
      await producer.connect();
      try {
        const [written] = await producer.send({
          topic: message.topic,
          messages: [{ key: message.key, value: message.value, headers: message.headers }],
        });
        process.stdout.write(
          `published ${command.type} ${message.headers[CE.id]} to ${message.topic} ` +
            `(partition ${written.partition}, offset ${written.baseOffset ?? written.offset}), key ${message.key}\n`,
        );
      } finally {
        await producer.disconnect();
      }
    }
  }
}

main().catch((error: Error) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (error instanceof ValidationError) {
    const issues = (error.details as { issues?: { field: string; message: string }[] } | undefined)?.issues;
    process.stderr.write(
      issues && issues.length > 0
        ? `not published: ${issues.map((i) => `\n  ${i.message}`).join('')}\n`
        : `not published: ${error.message}\n`,
    );
    process.exit(1);
  }
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
