// Log-only operations on memory:// tables: create, replace, alter, history, detail, time travel.
import { fieldId, PHYSICAL_NAME_KEY, type StructType, DataType as T } from '@loch/delta';
import type { DuckEngine } from '@loch/engine-duckdb';
import { MemoryStore } from '@loch/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeltaTable } from './delta-table.js';
import { contextFor, expectDeltaError, openEngine } from './test-helpers.test-util.js';
import type { TableContext } from './types.js';

const schema: StructType = T.struct([
  T.field('id', T.primitive('long'), false),
  T.field('name', T.primitive('string')),
  T.field('day', T.primitive('date')),
]);

let engine: DuckEngine;
let ctx: TableContext;
let n = 0;
const fresh = (): DeltaTable => {
  const url = `memory://create-alter-${process.pid}-${n++}`;
  MemoryStore.drop(url);
  return DeltaTable.forPath(ctx, url);
};

beforeAll(async () => {
  engine = await openEngine();
  ctx = contextFor(engine);
});
afterAll(async () => {
  await engine.close();
});

describe('create', () => {
  it('creates version 0 with metadata, protocol and a CREATE TABLE commitInfo', async () => {
    const t = fresh();
    expect(await t.exists()).toBe(false);
    expect(
      await t.create({ schema, partitionColumns: ['day'], properties: { 'delta.appendOnly': 'false' } }),
    ).toEqual({
      version: 0,
    });
    expect(await t.exists()).toBe(true);
    const s = await t.snapshot();
    expect(s.version).toBe(0);
    expect(s.schema).toEqual(schema);
    expect(s.partitionColumns).toEqual(['day']);
    expect(s.protocol).toMatchObject({ minReaderVersion: 1, minWriterVersion: 2 });
    const [h] = await t.history();
    expect(h).toMatchObject({
      version: 0,
      operation: 'CREATE TABLE',
      operationParameters: {
        partitionBy: '["day"]',
        properties: '{"delta.appendOnly":"false"}',
        isManaged: 'false',
      },
      isolationLevel: 'Serializable',
      engineInfo: 'Loch/0.1.0',
    });
    const d = await t.detail();
    expect(d).toMatchObject({ format: 'delta', numFiles: 0, sizeInBytes: 0, partitionColumns: ['day'] });
    expect(d.tableFeatures).toEqual(['appendOnly', 'invariants']);
  });

  it('fails when the table exists, unless IF NOT EXISTS or OR REPLACE', async () => {
    const t = fresh();
    await t.create({ schema });
    const e = await expectDeltaError(t.create({ schema }), 'TABLE_ALREADY_EXISTS');
    expect(e.message).toContain('already exists');
    expect(await t.create({ schema, ifNotExists: true })).toEqual({ version: 0 });
    const before = await t.snapshot();
    const other = T.struct([T.field('x', T.primitive('integer'))]);
    expect(await t.create({ schema: other, orReplace: true })).toEqual({ version: 1 });
    const after = await t.snapshot();
    expect(after.schema).toEqual(other);
    expect(after.metadata.id).toBe(before.metadata.id);
    expect((await t.history(1))[0]?.operation).toBe('CREATE OR REPLACE TABLE');
  });

  it('rejects unknown partition columns', async () => {
    const e = await expectDeltaError(
      fresh().create({ schema, partitionColumns: ['nope'] }),
      'INVALID_SCHEMA',
    );
    expect(e.message).toContain("'nope'");
  });

  it('assigns column mapping ids and physical names in name mode', async () => {
    const t = fresh();
    await t.create({ schema, properties: { 'delta.columnMapping.mode': 'name' } });
    const s = await t.snapshot();
    expect(s.columnMappingMode).toBe('name');
    expect(s.schema.fields.map((f) => fieldId(f))).toEqual([1, 2, 3]);
    for (const f of s.schema.fields) expect(f.metadata[PHYSICAL_NAME_KEY]).toMatch(/^col-/);
    expect(s.metadata.configuration['delta.columnMapping.maxColumnId']).toBe('3');
    expect(s.protocol).toMatchObject({ minReaderVersion: 2, minWriterVersion: 5 });
  });
});

describe('alter', () => {
  it('refuses rename/drop without column mapping, naming the property to set', async () => {
    const t = fresh();
    await t.create({ schema });
    const e = await expectDeltaError(
      t.alter({ kind: 'renameColumn', from: 'name', to: 'label' }),
      'UNSUPPORTED_OPERATION',
    );
    expect(e.message).toContain("'delta.columnMapping.mode' = 'name'");
    await expectDeltaError(t.alter({ kind: 'dropColumns', columns: ['name'] }), 'UNSUPPORTED_OPERATION');
  });

  it('enables column mapping on an existing table with physical names = current names, then renames and drops', async () => {
    const t = fresh();
    await t.create({ schema, partitionColumns: ['day'] });
    await t.alter({ kind: 'setProperties', properties: { 'delta.columnMapping.mode': 'name' } });
    let s = await t.snapshot();
    expect(s.protocol).toMatchObject({ minReaderVersion: 2, minWriterVersion: 5 });
    expect(s.schema.fields.map((f) => f.metadata[PHYSICAL_NAME_KEY])).toEqual(['id', 'name', 'day']);
    expect((await t.history(1))[0]).toMatchObject({
      operation: 'SET TBLPROPERTIES',
      operationParameters: { properties: '{"delta.columnMapping.mode":"name"}' },
    });

    expect(await t.alter({ kind: 'renameColumn', from: 'NAME', to: 'label' })).toEqual({ version: 2 });
    s = await t.snapshot();
    expect(s.schema.fields.map((f) => f.name)).toEqual(['id', 'label', 'day']);
    expect(s.schema.fields[1]?.metadata[PHYSICAL_NAME_KEY]).toBe('name');
    expect((await t.history(1))[0]).toMatchObject({
      operation: 'RENAME COLUMN',
      operationParameters: { oldColumnPath: 'NAME', newColumnPath: 'label' },
    });

    await t.alter({ kind: 'renameColumn', from: 'day', to: 'd' });
    expect((await t.snapshot()).partitionColumns).toEqual(['d']);
    await expectDeltaError(t.alter({ kind: 'dropColumns', columns: ['d'] }), 'UNSUPPORTED_OPERATION');
    await expectDeltaError(t.alter({ kind: 'dropColumns', columns: ['missing'] }), 'SCHEMA_MISMATCH');
    await t.alter({ kind: 'dropColumns', columns: ['label'] });
    s = await t.snapshot();
    expect(s.schema.fields.map((f) => f.name)).toEqual(['id', 'd']);
    expect((await t.history(1))[0]).toMatchObject({
      operation: 'DROP COLUMNS',
      operationParameters: { columns: '["label"]' },
    });
  });

  it('adds columns, with fresh column mapping ids when mapped', async () => {
    const t = fresh();
    await t.create({ schema, properties: { 'delta.columnMapping.mode': 'name' } });
    await t.alter({ kind: 'addColumns', columns: [{ name: 'score', type: T.primitive('double') }] });
    const s = await t.snapshot();
    const score = s.schema.fields[3]!;
    expect(score.name).toBe('score');
    expect(fieldId(score)).toBe(4);
    expect(s.metadata.configuration['delta.columnMapping.maxColumnId']).toBe('4');
    await expectDeltaError(
      t.alter({ kind: 'addColumns', columns: [{ name: 'Score', type: T.primitive('double') }] }),
      'SCHEMA_MISMATCH',
    );
    const [h] = await t.history(1);
    expect(h?.operation).toBe('ADD COLUMNS');
    expect(JSON.parse(h?.operationParameters.columns ?? '[]')[0].column.name).toBe('score');
  });

  it('sets and unsets properties', async () => {
    const t = fresh();
    await t.create({ schema });
    await t.alter({ kind: 'setProperties', properties: { 'my.key': 'v', 'delta.checkpointInterval': '5' } });
    expect((await t.detail()).properties).toEqual({ 'my.key': 'v', 'delta.checkpointInterval': '5' });
    await expectDeltaError(t.alter({ kind: 'unsetProperties', keys: ['nope'] }), 'INVALID_ARGUMENT');
    await t.alter({ kind: 'unsetProperties', keys: ['my.key', 'nope'], ifExists: true });
    expect((await t.detail()).properties).toEqual({ 'delta.checkpointInterval': '5' });
    const history = await t.history();
    expect(history.map((h) => h.version)).toEqual([2, 1, 0]);
    expect(history[0]?.operation).toBe('UNSET TBLPROPERTIES');
  });

  it('time travels by version on the log', async () => {
    const t = fresh();
    await t.create({ schema });
    await t.alter({ kind: 'addColumns', columns: [{ name: 'x', type: T.primitive('integer') }] });
    expect((await t.snapshot({ version: 0 })).schema.fields).toHaveLength(3);
    expect((await t.snapshot()).schema.fields).toHaveLength(4);
    await expectDeltaError(t.snapshot({ version: 7 }), 'VERSION_NOT_FOUND');
  });
});
