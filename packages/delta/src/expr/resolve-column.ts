// Resolving a predicate's column (logical path, case-insensitive as Delta resolves names) to
// what skipping needs: its type, comparison domain, physical stats path and partition keys.
import { physicalName } from '../schema/column-mapping.js';
import type { DataType, StructField, StructType } from '../schema/types.js';
import type { ColumnMappingMode } from '../snapshot/types.js';
import { type Domain, domainOf } from './values.js';

export interface ResolveContext {
  readonly schema: StructType;
  readonly partitionColumns: readonly string[];
  readonly columnMappingMode: ColumnMappingMode;
}

export interface Column {
  /** Slot in the per-file bounds cache, set when the predicate is compiled. */
  readonly index: number;
  readonly type: DataType;
  /** The type stats were written in: float for a double widened from float (typeWidening). */
  readonly statsType: DataType;
  readonly domain: Domain;
  /** partitionValues keys to try (physical name first), when it is a partition column. */
  readonly partitionKeys?: readonly string[];
  readonly statsPath: readonly string[];
}

/**
 * The column for a path compared against a literal of `litType`, undefined when skipping
 * cannot use it (unknown column, nested/binary type, missing physical name). `memo` gives one
 * Column object per column and literal type within a compile, so per-file bounds are cached by it.
 */
export function resolveColumn(
  ctx: ResolveContext,
  memo: Map<string, Column | null>,
  path: readonly string[],
  litType: DataType | undefined,
): Column | undefined {
  // One Column object per column and literal type within a compile, so bounds are cached by it.
  const key = `${path.join('\u0000')}\u0001${JSON.stringify(litType ?? null)}`;
  const hit = memo.get(key);
  if (hit !== undefined) return hit ?? undefined;
  const col = resolveUncached(ctx, path, litType);
  memo.set(key, col ?? null);
  return col;
}

function resolveUncached(
  ctx: ResolveContext,
  path: readonly string[],
  litType: DataType | undefined,
): Column | undefined {
  const fields: StructField[] = [];
  let current: DataType = ctx.schema;
  for (const part of path) {
    if (current.kind !== 'struct') return undefined;
    const lower = part.toLowerCase();
    const f: StructField | undefined =
      current.fields.find((x) => x.name === part) ??
      current.fields.find((x) => x.name.toLowerCase() === lower);
    if (f === undefined) return undefined;
    fields.push(f);
    current = f.type;
  }
  const domain = domainOf(current, litType);
  if (domain === undefined) return undefined;
  let statsPath: string[];
  try {
    statsPath = fields.map((f) => physicalName(f, ctx.columnMappingMode));
  } catch {
    return undefined;
  }
  const top = fields[0]!;
  const isPartition =
    fields.length === 1 &&
    ctx.partitionColumns.some((p) => p === top.name || p.toLowerCase() === top.name.toLowerCase());
  const leaf = fields[fields.length - 1]!;
  const statsType = widenedFromFloat(leaf) ? { kind: 'primitive' as const, name: 'float' as const } : current;
  if (!isPartition) return { index: -1, type: current, statsType, domain, statsPath };
  const keys = [
    ...new Set([
      statsPath[0]!,
      top.name,
      ...ctx.partitionColumns.filter((p) => p.toLowerCase() === top.name.toLowerCase()),
    ]),
  ];
  return { index: -1, type: current, statsType, domain, statsPath, partitionKeys: keys };
}

/**
 * A column widened from float to double has old files whose stats are float text ('0.1' for
 * the float 0.100000001...), so they are read with float widening.
 */
function widenedFromFloat(field: StructField): boolean {
  const changes = field.metadata['delta.typeChanges'];
  return Array.isArray(changes) && changes.some((c) => (c as { fromType?: unknown })?.fromType === 'float');
}
