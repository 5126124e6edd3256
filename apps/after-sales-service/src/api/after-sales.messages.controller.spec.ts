import 'reflect-metadata';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { EVENT_REGISTRY, EVENT_TYPES } from '@aftersales/contracts';
import { AfterSalesMessagesController } from './after-sales.messages.controller';

describe('AfterSalesMessagesController', () => {
  it('handles every event the contract names after-sales a consumer of, and no other', () => {
    const prototype = AfterSalesMessagesController.prototype as unknown as Record<string, unknown>;
    const handled = Object.getOwnPropertyNames(prototype).flatMap(
      (name) =>
        (Reflect.getMetadata(PATTERN_METADATA, prototype[name] as object) as string[] | undefined) ?? [],
    );
    const consumed = EVENT_TYPES.filter((type) =>
      (EVENT_REGISTRY[type].consumers as readonly string[]).includes('after-sales-service'),
    );
    expect([...handled].sort()).toEqual([...consumed].sort());
  });
});
