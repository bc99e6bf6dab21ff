// Type changes the typeWidening feature allows (PROTOCOL.md "Type Widening"), as data: each
// record is one legal from -> to change. Decimal widening is a rule, not a fixed pair.
import type { DataType, PrimitiveTypeName } from './types.js';

export interface WideningRule {
  readonly from: PrimitiveTypeName;
  readonly to: PrimitiveTypeName | 'decimal';
  /** Widenings Iceberg cannot follow; writers with icebergCompat enabled must refuse them. */
  readonly icebergCompatible: boolean;
}

export const TYPE_WIDENING_RULES: readonly WideningRule[] = [
  { from: 'byte', to: 'short', icebergCompatible: true },
  { from: 'byte', to: 'integer', icebergCompatible: true },
  { from: 'byte', to: 'long', icebergCompatible: true },
  { from: 'short', to: 'integer', icebergCompatible: true },
  { from: 'short', to: 'long', icebergCompatible: true },
  { from: 'integer', to: 'long', icebergCompatible: true },
  { from: 'float', to: 'double', icebergCompatible: true },
  { from: 'byte', to: 'double', icebergCompatible: false },
  { from: 'short', to: 'double', icebergCompatible: false },
  { from: 'integer', to: 'double', icebergCompatible: false },
  { from: 'byte', to: 'decimal', icebergCompatible: false },
  { from: 'short', to: 'decimal', icebergCompatible: false },
  { from: 'integer', to: 'decimal', icebergCompatible: false },
  { from: 'long', to: 'decimal', icebergCompatible: false },
  { from: 'date', to: 'timestamp_ntz', icebergCompatible: false },
];

/** Integer digits the target decimal must keep (the protocol asks 10 for byte/short/int, 20 for long). */
const INTEGER_DIGITS: Partial<Record<PrimitiveTypeName, number>> = {
  byte: 10,
  short: 10,
  integer: 10,
  long: 20,
};

/** Whether changing a column from `from` to `to` is a widening the protocol allows. */
export function isTypeWidening(from: DataType, to: DataType): boolean {
  if (from.kind === 'decimal' && to.kind === 'decimal') {
    // Precision and scale may grow, but never so that integer digits are lost.
    return (
      to.scale >= from.scale &&
      to.precision >= from.precision &&
      to.precision - to.scale >= from.precision - from.scale &&
      (to.precision > from.precision || to.scale > from.scale)
    );
  }
  if (from.kind !== 'primitive') return false;
  if (to.kind === 'decimal') {
    const digits = INTEGER_DIGITS[from.name];
    if (digits === undefined) return false;
    return (
      to.precision - to.scale >= digits &&
      TYPE_WIDENING_RULES.some((r) => r.from === from.name && r.to === 'decimal')
    );
  }
  if (to.kind !== 'primitive') return false;
  return TYPE_WIDENING_RULES.some((r) => r.from === from.name && r.to === to.name);
}
