import { join } from 'node:path';
import { CLUSTERING_DOMAIN, PHYSICAL_NAME_KEY } from '@loch/delta';
import { DeltaTable } from '@loch/table';
import { describe, expect, it } from 'vitest';
import { parseScript } from './parser.js';
import { useSqlSession } from './test-session.test-util.js';

const fx = useSqlSession({ prefix: 'loch-sql-cluster-' });
const { rows } = fx;

const structValue = (v: unknown): Record<string, unknown> =>
  JSON.parse(
    JSON.stringify(v, (_k, x) =>
      typeof x === 'bigint'
        ? Number(x)
        : x !== null && typeof x === 'object' && 'entries' in x
          ? x.entries
          : x,
    ),
  ) as Record<string, unknown>;

/** DuckDB LIST values as plain arrays. */
const list = (v: unknown): unknown[] => (v as { items: unknown[] }).items;

/** DuckDB MAP values ({key, value} entries) as a plain object. */
const mapValue = (v: unknown): Record<string, unknown> =>
  Object.fromEntries(
    (structValue({ m: v }).m as { key: string; value: unknown }[]).map((e) => [e.key, e.value]),
  );

const insertRandom = (table: string, from: number, n: number): string =>
  `INSERT INTO delta.\`${table}\` SELECT range AS id, (hash(range * 7919) % 10000)::BIGINT AS x, ` +
  `(hash(range * 104729 + 1) % 10000)::BIGINT AS y FROM range(${from}, ${from + n})`;

describe('parsing', () => {
  it('parses CLUSTER BY in CREATE and ALTER', () => {
    expect(parseScript('CREATE TABLE delta.`/t` (a INT) CLUSTER BY (a)')[0]).toMatchObject({
      clusterBy: ['a'],
    });
    expect(parseScript('ALTER TABLE delta.`/t` CLUSTER BY (a, b)')[0]).toMatchObject({
      action: { kind: 'clusterBy', columns: ['a', 'b'] },
    });
    expect(parseScript('ALTER TABLE delta.`/t` CLUSTER BY NONE')[0]).toMatchObject({
      action: { kind: 'clusterBy', columns: [] },
    });
  });
});

describe('liquid clustering', () => {
  it('records the domain, clusters incrementally on OPTIMIZE, and follows ALTER', async () => {
    await fx.session.execute(`CREATE TABLE delta.\`c\` (id BIGINT, x BIGINT, y BIGINT) CLUSTER BY (x, y)
      TBLPROPERTIES ('delta.columnMapping.mode' = 'name', 'delta.targetFileSize' = '4kb')`);
    const t = DeltaTable.forPath(fx.ctx, join(fx.dir, 'c'));
    let s = await t.snapshot();
    const physical = (name: string) =>
      s.schema.fields.find((f) => f.name === name)!.metadata[PHYSICAL_NAME_KEY] as string;
    expect(JSON.parse(s.domainMetadata.get(CLUSTERING_DOMAIN)!.configuration)).toEqual({
      clusteringColumns: [[physical('x')], [physical('y')]],
    });
    expect(s.protocol.writerFeatures).toEqual(expect.arrayContaining(['clustering', 'domainMetadata']));
    expect(s.partitionColumns).toEqual([]);
    expect(list((await rows('DESCRIBE DETAIL delta.`c`'))[0]!.clusteringColumns)).toEqual(['x', 'y']);

    for (let i = 0; i < 4; i++) await fx.session.execute(insertRandom('c', i * 300, 300));
    const before = await rows('SELECT sum(x) AS sx, count(*) AS n FROM delta.`c`');
    const first = structValue((await rows('OPTIMIZE delta.`c`'))[0]!.metrics);
    expect(first).toMatchObject({ numFilesRemoved: 4 });
    expect(JSON.parse(String(first.zOrderStats))).toMatchObject({ strategyName: 'liquid' });
    s = await t.snapshot();
    expect(s.files.length).toBeGreaterThan(1);
    expect(s.files.every((f) => f.clusteringProvider === 'liquid')).toBe(true);
    const clustered = s.files.map((f) => f.path).sort();

    // Only the new, unclustered file is rewritten.
    await fx.session.execute(insertRandom('c', 5000, 300));
    const second = structValue((await rows('OPTIMIZE delta.`c`'))[0]!.metrics);
    expect(second).toMatchObject({ numFilesRemoved: 1, totalFilesSkipped: clustered.length });
    s = await t.snapshot();
    expect(s.files.map((f) => f.path).filter((p) => clustered.includes(p))).toHaveLength(clustered.length);
    expect(await rows('SELECT sum(x) AS sx, count(*) AS n FROM delta.`c` WHERE id < 5000')).toEqual(before);
    // Nothing left to cluster: no commit.
    const version = s.version;
    await fx.session.execute('OPTIMIZE delta.`c`');
    expect((await t.snapshot()).version).toBe(version);

    await expect(fx.session.execute('OPTIMIZE delta.`c` ZORDER BY (x)')).rejects.toThrow(/clustered table/);
    await expect(fx.session.execute('ALTER TABLE delta.`c` DROP COLUMN x')).rejects.toThrow(
      /clustering column/,
    );

    await fx.session.execute('ALTER TABLE delta.`c` CLUSTER BY (y)');
    expect(list((await rows('DESCRIBE DETAIL delta.`c`'))[0]!.clusteringColumns)).toEqual(['y']);
    await fx.session.execute('ALTER TABLE delta.`c` CLUSTER BY NONE');
    expect(list((await rows('DESCRIBE DETAIL delta.`c`'))[0]!.clusteringColumns)).toEqual([]);
    expect(JSON.parse((await t.snapshot()).domainMetadata.get(CLUSTERING_DOMAIN)!.configuration)).toEqual({
      clusteringColumns: [],
    });
  });

  it('refuses clustering a partitioned table and unknown columns', async () => {
    await expect(
      fx.session.execute('CREATE TABLE delta.`bad` (a INT, p INT) PARTITIONED BY (p) CLUSTER BY (a)'),
    ).rejects.toThrow(/both partitioned/);
    await expect(fx.session.execute('CREATE TABLE delta.`bad2` (a INT) CLUSTER BY (nope)')).rejects.toThrow(
      /nope/,
    );
  });

  it('CTAS with CLUSTER BY records the clustering', async () => {
    await fx.session.execute('CREATE TABLE delta.`ctas` CLUSTER BY (a) AS SELECT range AS a FROM range(3)');
    expect(list((await rows('DESCRIBE DETAIL delta.`ctas`'))[0]!.clusteringColumns)).toEqual(['a']);
  });
});

describe('OPTIMIZE ZORDER BY through SQL', () => {
  it('z-orders, returns zOrderStats and records zOrderBy', async () => {
    await fx.session.execute(
      "CREATE TABLE delta.`z` (id BIGINT, x BIGINT, y BIGINT) TBLPROPERTIES ('delta.targetFileSize' = '4kb')",
    );
    for (let i = 0; i < 4; i++) await fx.session.execute(insertRandom('z', i * 300, 300));
    const m = structValue((await rows('OPTIMIZE delta.`z` ZORDER BY (x, y)'))[0]!.metrics);
    expect(m).toMatchObject({ numFilesRemoved: 4 });
    expect(JSON.parse(String(m.zOrderStats))).toMatchObject({ strategyName: 'all', mergedFiles: { num: 4 } });
    const [h] = await rows('DESCRIBE HISTORY delta.`z` LIMIT 1');
    expect(mapValue(h!.operationParameters)).toMatchObject({ zOrderBy: '["x","y"]' });
  });
});
