import { randomUUID } from 'node:crypto';

/** Ids are injected like time, so tests and replays can name them. */
export interface IdGenerator {
  newId(): string;
}

export const ID_GENERATOR = Symbol('IdGenerator');

export const uuidGenerator: IdGenerator = { newId: () => randomUUID() };
