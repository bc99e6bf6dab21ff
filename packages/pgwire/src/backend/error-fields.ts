import type { ErrorFields } from './messages.js';

type StringKey = {
  [K in keyof ErrorFields]-?: NonNullable<ErrorFields[K]> extends string ? K : never;
}[keyof ErrorFields];
type NumberKey = {
  [K in keyof ErrorFields]-?: NonNullable<ErrorFields[K]> extends number ? K : never;
}[keyof ErrorFields];

/** Field code byte for each ErrorFields property, in the order PostgreSQL sends them. */
export const ERROR_FIELD_CODES: readonly (readonly [StringKey | NumberKey, string])[] = [
  ['severity', 'S'],
  ['severityNonLocalized', 'V'],
  ['code', 'C'],
  ['message', 'M'],
  ['detail', 'D'],
  ['hint', 'H'],
  ['position', 'P'],
  ['internalPosition', 'p'],
  ['internalQuery', 'q'],
  ['where', 'W'],
  ['schema', 's'],
  ['table', 't'],
  ['column', 'c'],
  ['dataType', 'd'],
  ['constraint', 'n'],
  ['file', 'F'],
  ['line', 'L'],
  ['routine', 'R'],
];

const NUMERIC_FIELDS = new Set<string>(['position', 'internalPosition', 'line']);

/** The (code, text) pairs to put on the wire, with V defaulting to S as servers >= 9.6 send it. */
export const errorFieldEntries = (fields: ErrorFields): [string, string][] => {
  const out: [string, string][] = [];
  for (const [key, code] of ERROR_FIELD_CODES) {
    let value = fields[key];
    if (key === 'severityNonLocalized' && value === undefined) value = fields.severity;
    if (value === undefined) continue;
    out.push([code, String(value)]);
  }
  return out;
};

/** Rebuilds ErrorFields from wire pairs; unknown codes are ignored, as the protocol requires. */
export const errorFieldsFromEntries = (entries: readonly (readonly [string, string])[]): ErrorFields => {
  const out: Record<string, string | number> = { severity: '', code: '', message: '' };
  for (const [code, text] of entries) {
    const known = ERROR_FIELD_CODES.find(([, c]) => c === code);
    if (known === undefined) continue;
    const key = known[0];
    if (NUMERIC_FIELDS.has(key)) {
      const n = Number(text);
      if (Number.isInteger(n)) out[key] = n;
    } else {
      out[key] = text;
    }
  }
  return out as unknown as ErrorFields;
};

/** Convenience for the common case: an ERROR with SQLSTATE and message. */
export const errorFields = (
  code: string,
  message: string,
  extra: Partial<Omit<ErrorFields, 'code' | 'message'>> = {},
): ErrorFields => ({ severity: 'ERROR', code, message, ...extra });
