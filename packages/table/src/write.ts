// table.write(sourceSql, options): append / overwrite / errorIfExists / ignore, replaceWhere,
// create-table-as-select, schema enforcement and evolution. Order matters for atomicity: every
// check that can fail runs before any data file is written, files are written before the commit
// that references them, and a failure after writing deletes those files.
import { type Action, checkWriteSupport, DeltaError, type ReadSet, type StructType } from '@loch/delta';
import { schemaFromDuckColumns, toDuckType } from '@loch/engine-duckdb';
import { autoCompactAfterWrite, optimizedWrite } from './auto-optimize.js';
import { recordsChanges, tagChanges, withRowsOnce, writeChangeDataFiles } from './change-data-files.js';
import { clusteringForNewTable } from './clustering.js';
import { commit, deleteFiles } from './commit.js';
import { withCheckConstraints } from './constraints.js';
import { tableExistsError } from './create.js';
import { writeDataFiles } from './data-files.js';
import { removeFor, totalSize } from './file-actions.js';
import { checkGenerationExpressions, withGeneratedColumns } from './generated-columns.js';
import { type IdentityAssignment, withHighWaterMarks, withIdentityColumns } from './identity-columns.js';
import { checkReplaceWhereData, planReplaceWhere } from './replace-where.js';
import { asSubquery, quoteIdent } from './sql-text.js';
import type { TableHandle } from './table-handle.js';
import type { WriteOptions, WriteResult } from './types.js';
import { planForDeclaredSchema, planForExisting, planForNewSchema, type TablePlan } from './write-plan.js';

const MODE_NAMES = {
  append: 'Append',
  overwrite: 'Overwrite',
  errorIfExists: 'ErrorIfExists',
  ignore: 'Ignore',
} as const;

function checkOptions(opts: WriteOptions): void {
  if (!(opts.mode in MODE_NAMES)) {
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `unknown write mode '${opts.mode}'; use append, overwrite, errorIfExists or ignore`,
      {
        mode: opts.mode,
      },
    );
  }
  if (opts.overwriteSchema && opts.mode !== 'overwrite') {
    throw new DeltaError('INVALID_ARGUMENT', `overwriteSchema needs mode 'overwrite', not '${opts.mode}'`, {
      option: 'overwriteSchema',
    });
  }
  if (opts.replaceWhere !== undefined && opts.mode !== 'overwrite') {
    throw new DeltaError('INVALID_ARGUMENT', `replaceWhere needs mode 'overwrite', not '${opts.mode}'`, {
      option: 'replaceWhere',
    });
  }
  if (opts.replaceWhere !== undefined && opts.overwriteSchema) {
    throw new DeltaError('INVALID_ARGUMENT', 'replaceWhere cannot be combined with overwriteSchema', {
      option: 'overwriteSchema',
    });
  }
}

const skipped = (version: number): WriteResult => ({
  version,
  numFiles: 0,
  numOutputRows: 0,
  numOutputBytes: 0,
  skipped: true,
});

export async function writeTable(
  h: TableHandle,
  sourceSql: string,
  opts: WriteOptions,
): Promise<WriteResult> {
  checkOptions(opts);
  const snapshot = await h.latest();
  if (snapshot !== undefined) {
    checkWriteSupport(snapshot.protocol);
    if (opts.txn !== undefined) {
      const done = snapshot.txns.get(opts.txn.appId);
      if (done !== undefined && done.version >= opts.txn.version) return skipped(snapshot.version);
    }
    if (opts.mode === 'errorIfExists') throw tableExistsError(h, snapshot.version);
    if (opts.mode === 'ignore') return skipped(snapshot.version);
    if (
      snapshot.metadata.configuration['delta.appendOnly']?.toLowerCase() === 'true' &&
      opts.mode === 'overwrite'
    ) {
      throw new DeltaError(
        'UNSUPPORTED_OPERATION',
        `table ${h.location} is append-only (delta.appendOnly=true); overwrite would delete data`,
        { location: h.location },
      );
    }
  }
  let source = asSubquery(sourceSql);
  let sourceSchema = schemaFromDuckColumns(await h.engine.describe(source));
  const replaceSchema =
    snapshot === undefined || (opts.mode === 'overwrite' && opts.overwriteSchema === true);
  if (!replaceSchema && (opts.schema !== undefined || opts.clusterBy !== undefined)) {
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `schema and clusterBy define a new table, but ${h.location} exists: overwrite it with overwriteSchema, or leave them out`,
      { option: opts.schema !== undefined ? 'schema' : 'clusterBy' },
    );
  }
  let identities: IdentityAssignment[] = [];
  // The columns the data must fit: the table's, or those a new table declares (CTAS with a
  // column list); none when the data's own columns make the new table.
  const declared = replaceSchema ? opts.schema : snapshot!.schema;
  if (replaceSchema && declared !== undefined)
    await checkGenerationExpressions(h.engine, declared, toDuckType);
  if (declared !== undefined) {
    // Generated and identity values are computed on the source rows, before schema enforcement
    // (so NOT NULL and CHECK constraints see them).
    const generated = withGeneratedColumns(source, sourceSchema, declared, toDuckType);
    const identity = withIdentityColumns(generated ?? source, sourceSchema, declared, toDuckType);
    if (identity !== undefined) identities = identity.assigned;
    const wrapped = identity?.sql ?? generated;
    if (wrapped !== undefined && wrapped !== source) {
      source = wrapped;
      sourceSchema = schemaFromDuckColumns(await h.engine.describe(source));
    }
  }
  const plan = replaceSchema
    ? declared !== undefined
      ? planForDeclaredSchema(h, opts, declared, sourceSchema, snapshot)
      : planForNewSchema(h, opts, sourceSchema, snapshot)
    : planForExisting(opts, sourceSchema, snapshot!);
  // CLUSTER BY of a new table goes into the same commit (protocol feature + clustering domain).
  const clustering =
    replaceSchema && opts.clusterBy !== undefined && opts.clusterBy.length > 0 && plan.metadata !== undefined
      ? clusteringForNewTable(plan.metadata, plan.protocol ?? snapshot!.protocol, opts.clusterBy, snapshot)
      : undefined;
  const newRows = withCheckConstraints(
    `SELECT ${plan.selectList} FROM (${source}) AS src`,
    plan.target.configuration,
    plan.target.schema,
  );

  // A replaceWhere that rewrites files records its new rows as `insert` change rows (below): with
  // the change feed on they are computed once, so that identity values (row_number()) and
  // expressions such as random() are the same in the data files and in `_change_data`.
  const recordsInserts =
    snapshot !== undefined &&
    opts.mode === 'overwrite' &&
    opts.replaceWhere !== undefined &&
    recordsChanges(plan.target.configuration);
  const finish = async (dataSql: string): Promise<WriteResult> => {
    const now = h.now();
    const removes: Action[] = [];
    let removedBytes = 0;
    let keepSql: string | undefined;
    let deletedSql: string | undefined;
    // What the write read, for the conflict checker (Delta's txn.filterFiles): an append reads
    // nothing; an overwrite reads every file under a TRUE predicate, so under WriteSerializable a
    // concurrent blind append is ordered after it while a concurrent delete of a file it replaces
    // conflicts; replaceWhere reads the files its predicate can match.
    let readSet: ReadSet = { wholeTable: false, files: [] };
    if (snapshot !== undefined && opts.mode === 'overwrite') {
      readSet = { wholeTable: false, files: snapshot.files, partitionPredicate: () => true };
      if (opts.replaceWhere !== undefined) {
        await checkReplaceWhereData(h, dataSql, opts.replaceWhere);
        const rw = await planReplaceWhere(h, snapshot, opts.replaceWhere);
        readSet = rw.read;
        for (const f of rw.remove) removes.push(removeFor(f, now));
        removedBytes = totalSize(rw.remove);
        if (rw.keepSql !== undefined) keepSql = keepSelect(rw.keepSql, snapshot.schema, plan.target.schema);
        if (rw.deletedSql !== undefined)
          deletedSql = keepSelect(rw.deletedSql, snapshot.schema, plan.target.schema);
      } else {
        for (const f of snapshot.files) removes.push(removeFor(f, now));
        removedBytes = totalSize(snapshot.files);
      }
    }

    const written: string[] = [];
    try {
      const ow = optimizedWrite(dataSql, plan.target);
      const data = await writeDataFiles(h, ow.sql, plan.target, ow.options);
      written.push(...data.paths);
      let copiedRows = 0;
      const adds = [...data.adds];
      if (keepSql !== undefined) {
        const kept = await writeDataFiles(h, keepSql, plan.target);
        written.push(...kept.paths);
        copiedRows = kept.numOutputRows;
        adds.push(...kept.adds);
      }
      // Rewritten files keep unchanged rows, so add/remove would report them as changed: with the
      // change feed on, the commit records exactly the deleted and written rows instead.
      const cdcs: Action[] = [];
      if (keepSql !== undefined && deletedSql !== undefined && recordsChanges(plan.target.configuration)) {
        const changes = `${tagChanges(deletedSql, plan.target.schema, 'delete')} UNION ALL ${tagChanges(dataSql, plan.target.schema, 'insert')}`;
        const cdc = await writeChangeDataFiles(h, changes, plan.target);
        written.push(...cdc.paths);
        cdcs.push(...cdc.cdcs);
      }
      const actions: Action[] = [];
      const protocol = clustering?.protocol ?? plan.protocol;
      if (protocol !== undefined) actions.push(protocol);
      const metadata =
        identities.length > 0 && data.numOutputRows > 0
          ? withHighWaterMarks(plan.metadata ?? snapshot!.metadata, identities, data.numOutputRows)
          : plan.metadata;
      if (metadata !== undefined) actions.push(metadata);
      if (clustering?.domain !== undefined) actions.push(clustering.domain);
      if (opts.txn !== undefined) {
        actions.push({ kind: 'txn', appId: opts.txn.appId, version: opts.txn.version, lastUpdated: now });
      }
      for (const t of opts.extraTxns ?? []) {
        actions.push({ kind: 'txn', appId: t.appId, version: t.version, lastUpdated: now });
      }
      actions.push(...removes, ...adds, ...cdcs);
      const operation = opts.operation ?? 'WRITE';
      const metrics: Record<string, number> = {
        numFiles: adds.length,
        numOutputRows: data.numOutputRows + copiedRows,
        numOutputBytes: data.numOutputBytes,
      };
      if (opts.replaceWhere !== undefined) {
        metrics.numRemovedFiles = removes.length;
        metrics.numRemovedBytes = removedBytes;
        metrics.numCopiedRows = copiedRows;
      }
      const result = await commit(h, {
        operation,
        operationParameters: operationParameters(opts, operation, plan),
        operationMetrics: metrics,
        actions,
        readSnapshot: snapshot,
        // Spark's rule: nothing read (an overwrite reads the whole table), nothing removed. Metadata
        // changes do not count.
        isBlindAppend: snapshot === undefined || opts.mode === 'append',
        readSet,
        ...(opts.userMetadata !== undefined ? { userMetadata: opts.userMetadata } : {}),
      });
      // After the commit, so it never fails the write (it never throws).
      await autoCompactAfterWrite(h, plan.target.configuration, adds);
      return {
        version: result.version,
        numFiles: adds.length,
        numOutputRows: data.numOutputRows + copiedRows,
        numOutputBytes: data.numOutputBytes,
      };
    } catch (e) {
      await deleteFiles(h, written);
      throw e;
    }
  };
  return recordsInserts
    ? withRowsOnce(h, newRows, (rows) => finish(`SELECT * FROM ${rows}`))
    : finish(newRows);
}

/** Rows kept from rewritten files, projected onto the (possibly evolved) table schema. */
function keepSelect(keepSql: string, before: StructType, after: StructType): string {
  const cols = after.fields.map((f) => {
    const old = before.fields.find((o) => o.name === f.name);
    const expr = old === undefined ? 'NULL' : quoteIdent(f.name);
    return `CAST(${expr} AS ${toDuckType(f.type)}) AS ${quoteIdent(f.name)}`;
  });
  return `SELECT ${cols.join(', ')} FROM (${keepSql}) AS __keep`;
}

function operationParameters(
  opts: WriteOptions,
  operation: string,
  plan: TablePlan,
): Record<string, unknown> {
  const partitionBy = JSON.stringify(opts.partitionBy ?? plan.metadata?.partitionColumns ?? []);
  if (operation !== 'WRITE') {
    return {
      isManaged: 'false',
      description: opts.description ?? null,
      partitionBy,
      ...(opts.clusterBy !== undefined && opts.clusterBy.length > 0
        ? { clusterBy: JSON.stringify(opts.clusterBy) }
        : {}),
      properties: JSON.stringify(opts.properties ?? {}),
    };
  }
  const params: Record<string, unknown> = {
    mode: MODE_NAMES[opts.mode],
    partitionBy: JSON.stringify(opts.partitionBy ?? []),
  };
  if (opts.replaceWhere !== undefined) params.predicate = JSON.stringify([opts.replaceWhere]);
  return params;
}
