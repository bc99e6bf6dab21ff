// Session-level switches that take precedence over table properties, as Databricks' SparkSession
// confs `spark.databricks.delta.optimizeWrite.enabled` and `spark.databricks.delta.autoCompact.enabled`
// do. Tables are shared by every SQL session of a process (one cached snapshot per location), so the
// switches cannot live on the table or its context: they travel with the async call chain of the
// statement that set them, like Spark's active session, and reach no other session's statements.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface SessionOverrides {
  /** Optimized writes on (true) or off (false) for every table; unset: the table property decides. */
  readonly optimizeWrite?: boolean;
  /** Auto compaction on or off for every table; unset: the table property decides. */
  readonly autoCompact?: boolean;
  /** `spark.databricks.delta.autoCompact.minNumFiles` / `.maxFileSize` of the session, raw. */
  readonly autoCompactMinNumFiles?: string;
  readonly autoCompactMaxFileSize?: string;
}

const active = new AsyncLocalStorage<SessionOverrides>();

/** Runs `work` (and everything it awaits) with `overrides` in force. */
export function withSessionOverrides<T>(overrides: SessionOverrides, work: () => Promise<T>): Promise<T> {
  return active.run(overrides, work);
}

/** The overrides of the statement running now; empty outside `withSessionOverrides`. */
export function sessionOverrides(): SessionOverrides {
  return active.getStore() ?? {};
}
