// Schema enforcement and evolution for writes: matches the data's columns to the table's BY NAME
// (case-insensitive, as Spark resolves them), decides which differences are implicit upcasts,
// which need `mergeSchema` (new columns, protocol-allowed widenings) and which are errors, and
// produces the SELECT list that turns the data into the table's column order and types.
// Pure: the engine's Delta -> SQL type spelling is passed in.
import {
  type DataType,
  DeltaError,
  dataTypeToJson,
  isTypeWidening,
  type StructField,
  type StructType,
} from '@loch/delta';
import { quoteIdent, quoteLiteral } from './sql-text.js';
import { sqlTypeName } from './type-names.js';

export interface WriteSchemaInput {
  /** The table's current schema. */
  readonly table: StructType;
  /** The data's columns, as the engine describes them (all nullable). */
  readonly source: StructType;
  readonly mergeSchema: boolean;
  /** Delta type -> SQL type text of the engine, used in CASTs. */
  readonly sqlType: (type: DataType) => string;
  /** SQL alias of the source relation in the generated SELECT list. */
  readonly sourceAlias?: string;
}

export interface WriteSchemaPlan {
  /** The table schema after this write (equal to the input table schema unless evolved). */
  readonly schema: StructType;
  /** SELECT list over the source alias producing the table's columns, in table order. */
  readonly selectList: string;
  /** New columns were added or types widened. */
  readonly changed: boolean;
  /** At least one type was widened (the table needs the typeWidening feature). */
  readonly typeWidened: boolean;
}

const NUMERIC_RANK: Readonly<Record<string, number>> = {
  byte: 1,
  short: 2,
  integer: 3,
  long: 4,
  float: 5,
  double: 6,
};
const INTEGER_DIGITS: Readonly<Record<string, number>> = { byte: 3, short: 5, integer: 10, long: 20 };

/** Structural type equality, ignoring field metadata and nullability. */
export function sameType(a: DataType, b: DataType): boolean {
  switch (a.kind) {
    case 'primitive':
      return b.kind === 'primitive' && a.name === b.name;
    case 'decimal':
      return b.kind === 'decimal' && a.precision === b.precision && a.scale === b.scale;
    case 'array':
      return b.kind === 'array' && sameType(a.elementType, b.elementType);
    case 'map':
      return b.kind === 'map' && sameType(a.keyType, b.keyType) && sameType(a.valueType, b.valueType);
    case 'struct':
      return (
        b.kind === 'struct' &&
        a.fields.length === b.fields.length &&
        a.fields.every((f, i) => f.name === b.fields[i]?.name && sameType(f.type, b.fields[i]!.type))
      );
  }
}

/**
 * Implicit conversions a write applies without any option: the safe upcasts of Spark's store
 * assignment (a value never loses information). Narrowing casts fail instead.
 */
export function canUpcast(from: DataType, to: DataType): boolean {
  if (sameType(from, to)) return true;
  if (from.kind === 'primitive') {
    if (from.name === 'void') return true;
    const fromRank = NUMERIC_RANK[from.name];
    if (to.kind === 'primitive') {
      const toRank = NUMERIC_RANK[to.name];
      if (fromRank !== undefined && toRank !== undefined) return fromRank <= toRank;
      if (from.name === 'date') return to.name === 'timestamp' || to.name === 'timestamp_ntz';
      if (from.name === 'timestamp_ntz') return to.name === 'timestamp';
      return false;
    }
    if (to.kind === 'decimal') {
      const digits = INTEGER_DIGITS[from.name];
      return digits !== undefined && to.precision - to.scale >= digits;
    }
    return false;
  }
  if (from.kind === 'decimal') {
    if (to.kind === 'decimal')
      return to.scale >= from.scale && to.precision - to.scale >= from.precision - from.scale;
    return to.kind === 'primitive' && to.name === 'double';
  }
  if (from.kind === 'array' && to.kind === 'array') return canUpcast(from.elementType, to.elementType);
  if (from.kind === 'map' && to.kind === 'map') {
    return sameType(from.keyType, to.keyType) && canUpcast(from.valueType, to.valueType);
  }
  return false;
}

const findByName = (fields: readonly StructField[], name: string): StructField | undefined => {
  const lower = name.toLowerCase();
  return fields.find((f) => f.name === name) ?? fields.find((f) => f.name.toLowerCase() === lower);
};

function checkDuplicates(fields: readonly StructField[], path: string): void {
  const seen = new Set<string>();
  for (const f of fields) {
    const key = f.name.toLowerCase();
    if (seen.has(key)) {
      throw new DeltaError(
        'SCHEMA_MISMATCH',
        `the data has column '${path}${f.name}' more than once (column names are case-insensitive); rename one of them`,
        { column: `${path}${f.name}` },
      );
    }
    seen.add(key);
  }
}

const OVERWRITE_HINT = "or use mode 'overwrite' with overwriteSchema=true to replace the table schema";

interface Resolved {
  readonly field: StructField;
  readonly expr: string;
  readonly changed: boolean;
  readonly widened: boolean;
}

/** Builds the plan, or throws a SCHEMA_MISMATCH DeltaError naming the column, both types and the option. */
export function planWriteSchema(input: WriteSchemaInput): WriteSchemaPlan {
  const alias = input.sourceAlias ?? 'src';
  const ctx = { ...input, alias };
  const resolved = resolveStruct(
    ctx,
    input.table.fields,
    input.source.fields,
    (f) => `${alias}.${quoteIdent(f)}`,
    '',
  );
  const schema: StructType = { kind: 'struct', fields: resolved.fields.map((r) => r.field) };
  return {
    schema,
    selectList: resolved.fields
      .map((r) => `${notNullGuard(r.expr, r.field)} AS ${quoteIdent(r.field.name)}`)
      .join(', '),
    changed: resolved.changed,
    typeWidened: resolved.widened,
  };
}

/** Message marker the engine error carries when a NOT NULL column receives a null. */
export const NOT_NULL_MARKER = 'NOT NULL constraint violated for column';

function notNullGuard(expr: string, field: StructField): string {
  if (field.nullable) return expr;
  const message = quoteLiteral(`${NOT_NULL_MARKER}: ${field.name}.`);
  return `CASE WHEN ${expr} IS NULL THEN error(${message}) ELSE ${expr} END`;
}

type Ctx = WriteSchemaInput & { readonly alias: string };

function resolveStruct(
  ctx: Ctx,
  target: readonly StructField[],
  source: readonly StructField[],
  ref: (sourceName: string) => string,
  path: string,
): { fields: Resolved[]; changed: boolean; widened: boolean } {
  checkDuplicates(source, path);
  const out: Resolved[] = [];
  let changed = false;
  let widened = false;
  for (const t of target) {
    const s = findByName(source, t.name);
    if (s === undefined) {
      if (!t.nullable) {
        throw new DeltaError(
          'SCHEMA_MISMATCH',
          `column '${path}${t.name}' is NOT NULL in the table but missing from the data; add it to the data`,
          { column: `${path}${t.name}` },
        );
      }
      out.push({ field: t, expr: `CAST(NULL AS ${ctx.sqlType(t.type)})`, changed: false, widened: false });
      continue;
    }
    const r = resolveField(ctx, t, s, ref(s.name), `${path}${t.name}`);
    changed ||= r.changed;
    widened ||= r.widened;
    out.push(r);
  }
  for (const s of source) {
    if (findByName(target, s.name) !== undefined) continue;
    const column = `${path}${s.name}`;
    if (!ctx.mergeSchema) {
      throw new DeltaError(
        'SCHEMA_MISMATCH',
        `column '${column}' (${sqlTypeName(s.type)}) is in the data but not in the table schema; ` +
          `set mergeSchema=true to add it, ${OVERWRITE_HINT}`,
        { column, dataType: sqlTypeName(s.type), option: 'mergeSchema' },
      );
    }
    const field: StructField = { name: s.name, type: s.type, nullable: true, metadata: {} };
    out.push({ field, expr: ref(s.name), changed: true, widened: false });
    changed = true;
  }
  return { fields: out, changed, widened };
}

function resolveField(ctx: Ctx, t: StructField, s: StructField, expr: string, column: string): Resolved {
  if (sameType(s.type, t.type)) return { field: t, expr, changed: false, widened: false };
  if (t.type.kind === 'struct' && s.type.kind === 'struct') {
    const inner = resolveStruct(
      ctx,
      t.type.fields,
      s.type.fields,
      (n) => `${expr}.${quoteIdent(n)}`,
      `${column}.`,
    );
    const fields = inner.fields.map((r) => r.field);
    const packed = `struct_pack(${inner.fields.map((r) => `${quoteIdent(r.field.name)} := ${r.expr}`).join(', ')})`;
    return {
      field: { ...t, type: { kind: 'struct', fields } },
      expr: `(CASE WHEN ${expr} IS NULL THEN NULL ELSE ${packed} END)`,
      changed: inner.changed,
      widened: inner.widened,
    };
  }
  if (canUpcast(s.type, t.type)) {
    return { field: t, expr: `CAST(${expr} AS ${ctx.sqlType(t.type)})`, changed: false, widened: false };
  }
  const widening = isTypeWidening(t.type, s.type);
  if (widening && ctx.mergeSchema) {
    const previous = Array.isArray(t.metadata['delta.typeChanges'])
      ? (t.metadata['delta.typeChanges'] as unknown[])
      : [];
    const change = { toType: dataTypeToJson(s.type), fromType: dataTypeToJson(t.type) };
    return {
      field: { ...t, type: s.type, metadata: { ...t.metadata, 'delta.typeChanges': [...previous, change] } },
      expr,
      changed: true,
      widened: true,
    };
  }
  const option = widening ? 'mergeSchema' : 'overwriteSchema';
  const hint = widening
    ? `set mergeSchema=true to widen the column (type widening), ${OVERWRITE_HINT}`
    : `cast the data to ${sqlTypeName(t.type)}, ${OVERWRITE_HINT}`;
  throw new DeltaError(
    'SCHEMA_MISMATCH',
    `column '${column}' has type ${sqlTypeName(s.type)} in the data, the table expects ${sqlTypeName(t.type)}; ${hint}`,
    { column, dataType: sqlTypeName(s.type), tableType: sqlTypeName(t.type), option },
  );
}
