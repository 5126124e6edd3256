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
export class KafkaInboxTransport<E extends { type: string }>
  extends Server
  implements CustomTransportStrategy
{
  private inbox?: InboxConsumer<E>;

  constructor(private readonly options: KafkaInboxOptions<E>) {
    super();
  }

  private starting?: Promise<void>;
  private closed = false;

  /**
   * Returns at once and connects in the background, retrying: a service must start and serve its
   * HTTP users while Kafka is down; the messages wait in Kafka until the consumer is back.
   */
  listen(callback: (...optionalParams: unknown[]) => unknown): void {
    this.inbox = new InboxConsumer<E>({ ...this.options, handle: (event, ctx) => this.dispatch(event, ctx) });
    this.starting = this.startWithRetry(this.inbox);
    callback();
  }

  /** Resolves once the consumer has joined its group (tests wait for it). */
  async ready(): Promise<void> {
    await this.starting;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.starting?.catch(() => undefined);
    await this.inbox?.stop();
  }

  private async startWithRetry(inbox: InboxConsumer<E>): Promise<void> {
    for (let delay = 500; !this.closed; delay = Math.min(delay * 2, 30_000)) {
      try {
        await inbox.start();
        return;
      } catch (e) {
        this.options.onError?.(e as Error);
        await inbox.stop().catch(() => undefined);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
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
