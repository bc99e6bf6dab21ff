// Partition and clustering columns name top-level primitive columns of the schema, once each;
// names match case-insensitively and come back in the schema's spelling.
import { DeltaError } from '../errors.js';
import { findField } from './column-mapping.js';
import type { StructField, StructType } from './types.js';

/** `role`: 'partition' or 'clustering', for the messages ("partition by a primitive column"). */
export function resolveLayoutColumns(
  schema: StructType,
  columns: readonly string[],
  role: 'partition' | 'clustering',
): StructField[] {
  const verb = role === 'partition' ? 'partition by' : 'cluster by';
  const out: StructField[] = [];
  for (const c of columns) {
    const field = findField(schema, [c]);
    if (field === undefined) {
      throw new DeltaError(
        'INVALID_SCHEMA',
        `${role} column '${c}' is not a column of the table; columns are ${schema.fields.map((f) => f.name).join(', ')}`,
        { column: c },
      );
    }
    if (field.type.kind !== 'primitive' && field.type.kind !== 'decimal') {
      throw new DeltaError(
        'INVALID_SCHEMA',
        `${role} column '${c}' has a nested type; ${verb} a primitive column`,
        {
          column: c,
        },
      );
    }
    if (out.some((f) => f.name === field.name)) {
      throw new DeltaError('INVALID_SCHEMA', `${role} column '${c}' is listed twice`, { column: c });
    }
    out.push(field);
  }
  return out;
}
