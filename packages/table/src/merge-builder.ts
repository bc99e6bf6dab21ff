// The TypeScript MERGE API, shaped like PySpark's DeltaMergeBuilder: every call returns a new
// builder (immutable), clauses keep the order they were added in, execute() runs the merge.
//   table.merge(sourceSql, 't.id = s.id', { targetAlias: 't', sourceAlias: 's' })
//     .whenMatchedUpdate({ set: { v: 's.v' } }).whenNotMatchedInsertAll().execute()
import { mergeInto } from './merge.js';
import type {
  MatchedClause,
  MergeOptions,
  MergeResult,
  MergeSpec,
  NotMatchedBySourceClause,
  NotMatchedClause,
} from './merge-types.js';
import type { TableHandle } from './table-handle.js';

export interface ConditionOption {
  /** DuckDB SQL over the target and source aliases; the clause applies only where it is true. */
  readonly condition?: string;
}

const cond = (o: ConditionOption | undefined): { condition?: string } =>
  o?.condition === undefined ? {} : { condition: o.condition };

export class MergeBuilder {
  readonly #handle: () => Promise<TableHandle>;
  readonly #spec: MergeSpec;

  /** @internal use DeltaTable.merge */
  constructor(handle: () => Promise<TableHandle>, spec: MergeSpec) {
    this.#handle = handle;
    this.#spec = spec;
  }

  /** The merge as data (clauses in order). */
  get spec(): MergeSpec {
    return this.#spec;
  }

  #with(change: Partial<MergeSpec>): MergeBuilder {
    return new MergeBuilder(this.#handle, { ...this.#spec, ...change });
  }

  #matched(c: MatchedClause): MergeBuilder {
    return this.#with({ matched: [...this.#spec.matched, c] });
  }

  #notMatched(c: NotMatchedClause): MergeBuilder {
    return this.#with({ notMatched: [...this.#spec.notMatched, c] });
  }

  #bySource(c: NotMatchedBySourceClause): MergeBuilder {
    return this.#with({ notMatchedBySource: [...this.#spec.notMatchedBySource, c] });
  }

  /** WHEN MATCHED [AND condition] THEN UPDATE SET column = expr, ... */
  whenMatchedUpdate(o: ConditionOption & { readonly set: Readonly<Record<string, string>> }): MergeBuilder {
    return this.#matched({ kind: 'update', set: { ...o.set }, ...cond(o) });
  }

  /** WHEN MATCHED [AND condition] THEN UPDATE SET * */
  whenMatchedUpdateAll(o?: ConditionOption): MergeBuilder {
    return this.#matched({ kind: 'updateAll', ...cond(o) });
  }

  /** WHEN MATCHED [AND condition] THEN DELETE */
  whenMatchedDelete(o?: ConditionOption): MergeBuilder {
    return this.#matched({ kind: 'delete', ...cond(o) });
  }

  /** WHEN NOT MATCHED [AND condition] THEN INSERT (columns) VALUES (exprs) */
  whenNotMatchedInsert(
    o: ConditionOption & { readonly values: Readonly<Record<string, string>> },
  ): MergeBuilder {
    return this.#notMatched({ kind: 'insert', values: { ...o.values }, ...cond(o) });
  }

  /** WHEN NOT MATCHED [AND condition] THEN INSERT * */
  whenNotMatchedInsertAll(o?: ConditionOption): MergeBuilder {
    return this.#notMatched({ kind: 'insertAll', ...cond(o) });
  }

  /** WHEN NOT MATCHED BY SOURCE [AND condition] THEN UPDATE SET column = expr, ... */
  whenNotMatchedBySourceUpdate(
    o: ConditionOption & { readonly set: Readonly<Record<string, string>> },
  ): MergeBuilder {
    return this.#bySource({ kind: 'update', set: { ...o.set }, ...cond(o) });
  }

  /** WHEN NOT MATCHED BY SOURCE [AND condition] THEN DELETE */
  whenNotMatchedBySourceDelete(o?: ConditionOption): MergeBuilder {
    return this.#bySource({ kind: 'delete', ...cond(o) });
  }

  /** Schema evolution for this merge (like `MERGE WITH SCHEMA EVOLUTION`). */
  withSchemaEvolution(): MergeBuilder {
    return this.#with({ options: { ...this.#spec.options, mergeSchema: true } });
  }

  /** Other options (aliases, userMetadata, retries); merged into the current ones. */
  withOptions(options: MergeOptions): MergeBuilder {
    return this.#with({ options: { ...this.#spec.options, ...options } });
  }

  async execute(): Promise<MergeResult> {
    return mergeInto(await this.#handle(), this.#spec);
  }
}
