// Change data feed, pure part (PROTOCOL.md "Change Data Files" and "Reader Requirements for Change
// Data Feed"): the actions of one commit -> where that commit's changed rows are. A commit with
// `cdc` actions is described by those files alone; otherwise its changes derive from the add and
// remove actions that change data. No IO here: the driver reads the log and the files.
import { type Action, type AddCdcFile, type DeletionVectorDescriptor, statsNumRecords } from '@loch/delta';

export type DerivedChangeType = 'insert' | 'delete';

/** A data file whose rows (minus the deletion vector it carries) are all changes of one type. */
export interface ChangeFile {
  readonly path: string;
  readonly partitionValues: Readonly<Record<string, string | null>>;
  readonly size?: number;
  /** Physical rows of the file (stats numRecords), for the scan's cardinality hint; unknown without stats. */
  readonly numRecords?: number;
  readonly deletionVector?: DeletionVectorDescriptor | null;
}

export type ChangeSource =
  /** `_change_data` files: each row carries its own `_change_type`. */
  | { readonly kind: 'cdc'; readonly files: readonly AddCdcFile[] }
  | { readonly kind: 'files'; readonly changeType: DerivedChangeType; readonly files: readonly ChangeFile[] }
  /**
   * The same file removed and re-added with another deletion vector (a DELETE with deletion
   * vectors, or a restore of rows): rows only in `after` are deleted, rows only in `before` are back.
   */
  | {
      readonly kind: 'dv-diff';
      readonly file: ChangeFile;
      readonly before: DeletionVectorDescriptor | null;
      readonly after: DeletionVectorDescriptor | null;
    };

export interface CommitChanges {
  readonly version: number;
  readonly sources: readonly ChangeSource[];
}

const sameDv = (a: DeletionVectorDescriptor | null, b: DeletionVectorDescriptor | null): boolean =>
  a === b ||
  (a !== null &&
    b !== null &&
    a.storageType === b.storageType &&
    a.pathOrInlineDv === b.pathOrInlineDv &&
    (a.offset ?? null) === (b.offset ?? null));

/** Where the changed rows of one commit are. Files with dataChange=false (OPTIMIZE, ...) change nothing. */
export function planCommitChanges(version: number, actions: readonly Action[]): CommitChanges {
  const cdc = actions.filter((a): a is AddCdcFile => a.kind === 'cdc');
  if (cdc.length > 0) return { version, sources: [{ kind: 'cdc', files: cdc }] };

  const added = new Map<string, ChangeFile>();
  const removed = new Map<string, ChangeFile>();
  for (const a of actions) {
    if (a.kind === 'add' && a.dataChange) {
      const numRecords = statsNumRecords(a);
      added.set(a.path, {
        path: a.path,
        partitionValues: a.partitionValues,
        size: a.size,
        ...(numRecords !== undefined ? { numRecords } : {}),
        deletionVector: a.deletionVector ?? null,
      });
    } else if (a.kind === 'remove' && a.dataChange) {
      const numRecords = statsNumRecords(a);
      removed.set(a.path, {
        path: a.path,
        partitionValues: a.partitionValues ?? {},
        ...(a.size != null ? { size: a.size } : {}),
        ...(numRecords !== undefined ? { numRecords } : {}),
        deletionVector: a.deletionVector ?? null,
      });
    }
  }
  const inserts: ChangeFile[] = [];
  const deletes: ChangeFile[] = [];
  const sources: ChangeSource[] = [];
  for (const [path, add] of added) {
    const rem = removed.get(path);
    if (rem === undefined) {
      inserts.push(add);
      continue;
    }
    removed.delete(path);
    const before = rem.deletionVector ?? null;
    const after = add.deletionVector ?? null;
    if (!sameDv(before, after)) sources.push({ kind: 'dv-diff', file: add, before, after });
  }
  deletes.push(...removed.values());
  if (inserts.length > 0) sources.unshift({ kind: 'files', changeType: 'insert', files: inserts });
  if (deletes.length > 0) sources.unshift({ kind: 'files', changeType: 'delete', files: deletes });
  return { version, sources };
}

/** Rows in `a` that are not in `b` (both ascending row-index lists). */
export function rowsMinus(a: readonly number[], b: readonly number[]): number[] {
  const drop = new Set(b);
  return a.filter((r) => !drop.has(r));
}

export const CDF_ENABLED_KEY = 'delta.enableChangeDataFeed';

export const isCdfEnabled = (configuration: Readonly<Record<string, string>>): boolean =>
  configuration[CDF_ENABLED_KEY]?.toLowerCase() === 'true';
