import { createHash } from 'node:crypto';
import { Client, Pool } from 'pg';

/**
 * The event store speaks to PostgreSQL through this one method so that a pg Pool, a pg PoolClient
 * inside the caller's transaction, or a TypeORM QueryRunner (through `queryRunnerExecutor`) all fit.
 */
export interface SqlExecutor {
  query<R extends object = Record<string, unknown>>(
    text: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}

/**
 * A statement the store runs often. On a pg Pool or Client it runs as a named prepared statement:
 * parsed and planned once per connection, which matters most for the append, whose plan costs more
 * than its execution. Other executors (and `preparedStatements: false`, for poolers such as
 * PgBouncer in transaction mode) send the text each time.
 */
export interface Statement {
  name: string;
  text: string;
}

export function statement(text: string): Statement {
  return { name: `es_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`, text };
}

export async function run<R extends object>(
  executor: SqlExecutor,
  { name, text }: Statement,
  values: unknown[],
  prepare = true,
): Promise<{ rows: R[]; rowCount: number | null }> {
  if (prepare && (executor instanceof Pool || executor instanceof Client)) {
    const result = await executor.query({ name, text, values });
    return { rows: result.rows as R[], rowCount: result.rowCount };
  }
  return executor.query<R>(text, values);
}

/** A checked-out connection; `release(error)` tells pg not to reuse a connection that failed. */
export interface SqlClient extends SqlExecutor {
  release(error?: Error | boolean): void;
}

/** What the store needs to open transactions of its own: a pg Pool satisfies it. */
export interface SqlPool extends SqlExecutor {
  connect(): Promise<SqlClient>;
}

/**
 * Runs `work` in a transaction on one pooled connection: COMMIT on success, ROLLBACK on throw. The
 * work gets the pool's own client type (a pg PoolClient from a pg Pool, for COPY and the like).
 */
export async function withTransaction<T, C extends SqlClient = SqlClient>(
  pool: { connect(): Promise<C> },
  work: (tx: C) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    throw error;
  } finally {
    client.release(broken);
  }
}

/** The part of TypeORM's QueryRunner used here, described structurally so this library needs no TypeORM. */
export interface StructuredQueryRunner {
  query(
    text: string,
    params: unknown[] | undefined,
    useStructuredResult: true,
  ): Promise<{ records: unknown[]; affected?: number | null }>;
}

/**
 * Lets a service append inside the transaction of its TypeORM QueryRunner, next to its own
 * TypeORM writes (outbox rows, read models).
 */
export function queryRunnerExecutor(runner: StructuredQueryRunner): SqlExecutor {
  return {
    async query<R extends object>(text: string, params?: unknown[]) {
      const result = await runner.query(text, params, true);
      return { rows: result.records as R[], rowCount: result.affected ?? result.records.length };
    },
  };
}

const identifier = /^[a-z_][a-z0-9_]{0,62}$/;

/** Schema names end up inside SQL text, so only plain lower-case identifiers are accepted. */
export function quoteSchema(schema: string): string {
  if (!identifier.test(schema)) {
    throw new RangeError(`schema name "${schema}" must match ${identifier}`);
  }
  return `"${schema}"`;
}

/** pg errors, and TypeORM's QueryFailedError which copies the driver error's fields. */
export function sqlStateOf(error: unknown): { code?: string; constraint?: string } {
  if (typeof error !== 'object' || error === null) return {};
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  return {
    code: typeof code === 'string' ? code : undefined,
    constraint: typeof constraint === 'string' ? constraint : undefined,
  };
}

/** A parameter binder for SQL assembled from parts: pushes `value` and returns `$n::type`. */
export function parameterBinder(values: unknown[]): (value: unknown, type: string) => string {
  return (value, type) => {
    values.push(value);
    return `$${values.length}::${type}`;
  };
}
