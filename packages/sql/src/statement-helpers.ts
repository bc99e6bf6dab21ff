// Pieces of statement execution that need no session state.
import type { StructType } from '@loch/delta';
import type { AlterOperation } from '@loch/table';
import type { AlterAction, ColumnDefinition } from './ast.js';
import { SqlError } from './errors.js';
import type { SqlTable } from './sql-table.js';
import type { PathRef } from './table-refs.js';
import { toSqlError } from './wrap-error.js';

export async function withTableName<T>(ref: PathRef, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const err = toSqlError(e);
    if (err.code === 'TABLE_NOT_FOUND' && !err.message.startsWith('Table ')) {
      throw new SqlError(
        'TABLE_NOT_FOUND',
        `Table ${tableName(ref)} does not exist: ${err.message}`,
        err.details,
        {
          cause: e,
        },
      );
    }
    throw err;
  }
}

/** How a table is named in messages. */
export function tableName(ref: PathRef): string {
  return `delta.\`${ref.location}\``;
}

export function checkPartitionColumns(
  partitionedBy: readonly string[],
  schema: StructType,
  name: string,
): void {
  for (const p of partitionedBy) {
    if (!schema.fields.some((f) => f.name === p)) {
      throw new SqlError(
        'COLUMN_NOT_FOUND',
        `Partition column '${p}' of ${name} is not among its columns (${schema.fields.map((f) => f.name).join(', ')})`,
        { columnName: p },
      );
    }
  }
}

export async function alterOperation(
  action: AlterAction,
  table: SqlTable,
): Promise<AlterOperation | undefined> {
  switch (action.kind) {
    case 'addColumns':
      for (const c of action.columns) {
        if (c.generatedAs !== undefined || c.identity !== undefined) {
          throw new SqlError(
            'UNSUPPORTED',
            `Cannot add generated or identity column '${c.name}' to an existing table (Delta does not allow it): add a plain column`,
            { columnName: c.name },
          );
        }
      }
      return {
        kind: 'addColumns',
        columns: action.columns.map((c) => ({
          name: c.name,
          type: c.type,
          nullable: c.nullable,
          ...(c.comment === undefined ? {} : { comment: c.comment }),
        })),
      };
    case 'renameColumn':
      return { kind: 'renameColumn', from: action.from, to: action.to };
    case 'dropColumns': {
      let columns = action.columns;
      if (action.ifExists) {
        const { schema } = await table.snapshot();
        columns = columns.filter((c) => schema.fields.some((f) => f.name.toLowerCase() === c.toLowerCase()));
        if (columns.length === 0) return undefined;
      }
      return { kind: 'dropColumns', columns };
    }
    case 'setProperties':
      return { kind: 'setProperties', properties: action.properties };
    case 'unsetProperties':
      return { kind: 'unsetProperties', keys: action.keys, ifExists: action.ifExists };
    case 'addConstraint':
      return { kind: 'addConstraint', name: action.name, expr: action.expr };
    case 'dropConstraint':
      return { kind: 'dropConstraint', name: action.name, ifExists: action.ifExists };
    case 'setColumnNullability':
      return { kind: 'setColumnNullability', column: action.column, nullable: action.nullable };
    case 'clusterBy':
      return { kind: 'clusterBy', columns: action.columns };
  }
}

/** Field metadata of a CREATE TABLE column: comment, generation expression, identity (as Spark writes them). */
export function columnMetadata(c: ColumnDefinition): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  if (c.comment !== undefined) metadata.comment = c.comment;
  if (c.generatedAs !== undefined) metadata['delta.generationExpression'] = c.generatedAs;
  if (c.identity !== undefined) {
    metadata['delta.identity.start'] = c.identity.start;
    metadata['delta.identity.step'] = c.identity.step;
    metadata['delta.identity.allowExplicitInsert'] = !c.identity.always;
  }
  return metadata;
}
