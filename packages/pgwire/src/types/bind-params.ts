// Decoding all parameters of a Bind message at once, with PostgreSQL's error shapes.

import { decodeUtf8Strict } from '../bytes/text.js';
import type { Bind } from '../frontend/messages.js';
import { decodeBinary } from './binary-codec.js';
import { decodeText, type TextFormatOptions } from './text-codec.js';
import type { PgValue, ValueError } from './values.js';

export type BindParamsResult =
  | { readonly ok: true; readonly values: PgValue[] }
  | { readonly ok: false; readonly error: ValueError & { readonly parameter: number } };

/**
 * Decodes `bind.parameters` against the statement's parameter type OIDs (0 = unspecified, which
 * decodes as text and is left to the SQL layer to cast). `parameter` in errors is 1-based, as in
 * PostgreSQL's "... in parameter $N" context.
 */
export const decodeBindParameters = (
  bind: Pick<Bind, 'parameterFormats' | 'parameters'>,
  parameterTypes: readonly number[],
  options: TextFormatOptions = {},
): BindParamsResult => {
  const n = bind.parameters.length;
  if (parameterTypes.length !== n) {
    return {
      ok: false,
      error: {
        sqlstate: '08P01',
        message: `bind message supplies ${n} parameters, but prepared statement requires ${parameterTypes.length}`,
        parameter: 0,
      },
    };
  }
  const values: PgValue[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const raw = bind.parameters[i]!;
    if (raw === null) {
      values[i] = null;
      continue;
    }
    const format =
      bind.parameterFormats.length === 0
        ? 0
        : (bind.parameterFormats[bind.parameterFormats.length === 1 ? 0 : i] ?? 0);
    const oid = parameterTypes[i]!;
    let r: ReturnType<typeof decodeText>;
    if (format === 1) {
      r = decodeBinary(oid, raw);
    } else {
      const text = decodeUtf8Strict(raw);
      r =
        text === undefined
          ? { ok: false, error: { sqlstate: '22021', message: 'invalid byte sequence for encoding "UTF8"' } }
          : decodeText(oid, text, options);
    }
    if (!r.ok) return { ok: false, error: { ...r.error, parameter: i + 1 } };
    values[i] = r.value;
  }
  return { ok: true, values };
};
