import { DataType } from '@loch/delta';
import { toDuckType } from '@loch/engine-duckdb';
import { describe, expect, it } from 'vitest';
import { insertSourceSql } from './insert-source.js';

const fields = [
  DataType.field('id', DataType.primitive('long')),
  DataType.field('amount', DataType.decimal(18, 2)),
  DataType.field('tags', DataType.array(DataType.primitive('string'))),
  DataType.field('at', DataType.primitive('timestamp')),
];
const base = {
  tableFields: fields,
  byName: false,
  tableName: 'delta.`/t`',
  duckType: (t: DataType) => toDuckType(t),
};

describe('insertSourceSql', () => {
  it('aliases by position and casts only where store assignment applies', () => {
    expect(
      insertSourceSql({
        ...base,
        query: 'SELECT * FROM src',
        queryTypes: ['BIGINT', 'DOUBLE', 'VARCHAR[]', 'VARCHAR'],
      }),
    ).toBe(
      'SELECT _src."id" AS "id", CAST(_src."amount" AS DECIMAL(18,2)) AS "amount", _src."tags" AS "tags", ' +
        'CAST(_src."at" AS TIMESTAMP WITH TIME ZONE) AS "at" FROM (SELECT * FROM src) AS _src("id", "amount", "tags", "at")',
    );
  });

  it('leaves mismatches the table must reject uncast (a string into a number)', () => {
    const sql = insertSourceSql({
      ...base,
      query: 'q',
      queryTypes: ['VARCHAR', 'INTEGER', 'INTEGER[]', 'DATE'],
    });
    expect(sql).toContain('_src."id" AS "id"');
    expect(sql).toContain('_src."tags" AS "tags"');
  });

  it('fills unlisted columns with typed NULLs and matches listed names case-insensitively', () => {
    expect(insertSourceSql({ ...base, query: 'q', queryTypes: ['BIGINT'], columns: ['ID'] })).toBe(
      'SELECT _src."id" AS "id", CAST(NULL AS DECIMAL(18,2)) AS "amount", CAST(NULL AS VARCHAR[]) AS "tags", ' +
        'CAST(NULL AS TIMESTAMP WITH TIME ZONE) AS "at" FROM (q) AS _src("id")',
    );
  });

  it('names unknown and repeated columns', () => {
    expect(() => insertSourceSql({ ...base, query: 'q', queryTypes: ['BIGINT'], columns: ['nope'] })).toThrow(
      "Column 'nope' does not exist in delta.`/t`; its columns are: id, amount, tags, at",
    );
    expect(() =>
      insertSourceSql({ ...base, query: 'q', queryTypes: ['BIGINT', 'BIGINT'], columns: ['id', 'ID'] }),
    ).toThrow(/is given twice in the INSERT/);
  });

  it('reports too many data columns', () => {
    expect(() => insertSourceSql({ ...base, query: 'q', queryTypes: ['A', 'B', 'C', 'D', 'E'] })).toThrow(
      /too many data columns; the table expects 4 \(id, amount, tags, at\) but the query produces 5/,
    );
  });

  it('returns BY NAME queries unchanged', () => {
    expect(insertSourceSql({ ...base, query: 'SELECT 1 AS id', queryTypes: ['INTEGER'], byName: true })).toBe(
      'SELECT 1 AS id',
    );
  });
});
