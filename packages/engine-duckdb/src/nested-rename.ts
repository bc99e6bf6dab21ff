// Column mapping renames nested struct fields too. DuckDB casts structs by field name, so a struct read
// under physical names (or written under them) is rebuilt field by field with struct_pack; lists and
// maps are rebuilt through lambdas. Values without any renamed nested field pass through untouched.
import type { DataType, StructField } from '@loch/delta';
import { type ColumnMappingMode, physicalName } from './column-mapping.js';
import { quoteIdent, quoteString } from './sql-text.js';

export type RenameDirection = 'toLogical' | 'toPhysical';

/** True when some nested struct field is stored under a name different from its logical name. */
export function hasNestedRename(type: DataType, mode: ColumnMappingMode): boolean {
  if (mode === 'none') return false;
  switch (type.kind) {
    case 'struct':
      return type.fields.some((f) => physicalName(f, mode) !== f.name || hasNestedRename(f.type, mode));
    case 'array':
      return hasNestedRename(type.elementType, mode);
    case 'map':
      return hasNestedRename(type.keyType, mode) || hasNestedRename(type.valueType, mode);
    default:
      return false;
  }
}

/** SQL that turns `expr` (of `type`, nested names per `direction`'s source side) into the other side. */
export function renameNested(
  expr: string,
  type: DataType,
  mode: ColumnMappingMode,
  direction: RenameDirection,
  depth = 0,
): string {
  if (!hasNestedRename(type, mode)) return expr;
  const from = (f: StructField) => (direction === 'toLogical' ? physicalName(f, mode) : f.name);
  const to = (f: StructField) => (direction === 'toLogical' ? f.name : physicalName(f, mode));
  switch (type.kind) {
    case 'struct': {
      const fields = type.fields.map(
        (f) =>
          `${quoteIdent(to(f))} := ${renameNested(`struct_extract(${expr}, ${quoteString(from(f))})`, f.type, mode, direction, depth + 1)}`,
      );
      // struct_pack of NULL fields is a struct of NULLs, not NULL: keep NULL structs NULL.
      return `CASE WHEN ${expr} IS NULL THEN NULL ELSE struct_pack(${fields.join(', ')}) END`;
    }
    case 'array': {
      const v = `__loch_x${depth}`;
      return `list_transform(${expr}, lambda ${v}: ${renameNested(v, type.elementType, mode, direction, depth + 1)})`;
    }
    case 'map': {
      const v = `__loch_e${depth}`;
      const key = renameNested(`${v}.key`, type.keyType, mode, direction, depth + 1);
      const value = renameNested(`${v}.value`, type.valueType, mode, direction, depth + 1);
      return `map_from_entries(list_transform(map_entries(${expr}), lambda ${v}: struct_pack("key" := ${key}, "value" := ${value})))`;
    }
    default:
      return expr;
  }
}
