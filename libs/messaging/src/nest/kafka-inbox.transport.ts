import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { InboxConsumer, type InboxConsumerOptions, type InboxHandlerContext } from '../inbox/inbox-consumer';

export type KafkaInboxOptions<E extends { type: string }> = Omit<InboxConsumerOptions<E>, 'handle'>;

/**
 * A @nestjs/microservices transport over the idempotent inbox: controllers handle events with
 * `@EventPattern('<event type>')` and receive the typed event as payload and the inbox context
 * (its transaction, the raw message) as `@Ctx()`. Nest's own Kafka transport is not used because it
 * commits offsets on its own terms and cannot put the inbox row and the effects in one PostgreSQL
 * transaction, nor dead-letter (see docs/decisions/0004-messaging.md).
 */
export class KafkaInboxTransport<E extends { type: string }> extends Server implements CustomTransportStrategy {
  private inbox?: InboxConsumer<E>;

  constructor(private readonly options: KafkaInboxOptions<E>) {
    super();
  }

  async listen(callback: (...optionalParams: unknown[]) => unknown): Promise<void> {
    this.inbox = new InboxConsumer<E>({ ...this.options, handle: (event, ctx) => this.dispatch(event, ctx) });
    await this.inbox.start();
    callback();
  }

  async close(): Promise<void> {
    await this.inbox?.stop();
  }

  on(): void {
    // The inbox reports through metrics and onError; there are no transport events to subscribe to.
  }

  unwrap<T>(): T {
    if (!this.inbox) throw new Error('the Kafka inbox transport is not listening');
    return this.inbox as T;
  }

  /** Events of a type no controller handles are recorded in the inbox and otherwise ignored. */
  private async dispatch(event: E, ctx: InboxHandlerContext): Promise<void> {
    const handler = this.getHandlerByPattern(event.type);
    if (!handler) return;
    await lastValueFrom(this.transformToObservable(await handler(event, ctx)), { defaultValue: undefined });
  }
}
