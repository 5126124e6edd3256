import { ValidationError } from '@aftersales/kernel';
import type { EventType } from '@aftersales/contracts';
import { nameBasedId } from './name-based-id';

const WAREHOUSE_TASK_NAMESPACE = 'f53ae873-cd6d-4da4-a2cc-2ce8a4608f52';

/** The events that hand the warehouse a task; a ticket asks for each of them at most once. */
export type WarehouseTaskRequest = Extract<
  EventType,
  | 'shipment-interception-requested'
  | 'return-stock-in-requested'
  | 'exchange-stock-out-requested'
  | 'return-to-customer-requested'
>;

/**
 * A warehouse task is named by its ticket and the request that opened it: a ticket intercepts,
 * stocks in, ships an exchange and sends goods back at most once each, so the name is unique, and
 * republishing the request names the same task.
 */
export function warehouseTaskIdFor(ticketId: string, request: WarehouseTaskRequest): string {
  return nameBasedId(WAREHOUSE_TASK_NAMESPACE, `${ticketId}:${request}`);
}

/**
 * @throws ValidationError naming `data.taskId` when an outcome answers a task other than the one the
 * ticket asked for (another ticket's, or one after-sales never opened)
 */
export function assertTaskOf(
  outcome: { ticketId: string; taskId: string },
  request: WarehouseTaskRequest,
): void {
  const expected = warehouseTaskIdFor(outcome.ticketId, request);
  if (outcome.taskId.toLowerCase() !== expected) {
    throw new ValidationError(
      `Task ${outcome.taskId} is not the task ticket ${outcome.ticketId} opened with ${request} (${expected})`,
      'data.taskId',
      { ticketId: outcome.ticketId, taskId: outcome.taskId, expected },
    );
  }
}
