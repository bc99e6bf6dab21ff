// The manifest's `facts` entries are plain-language assertions from the source tests; each one is
// encoded here by hand. A table with facts but no entry here fails its facts test, so new facts in
// the catalogue cannot pass silently.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  compareRows,
  duckTypeToSql,
  type ExpectedRows,
  type FixtureTable,
  jsonColumnMode,
  loadExpectedJson,
  parseDuckType,
} from '@loch/test-utils';
import { expect } from 'vitest';
import { countRows, errorCode, type Reader, scanSqlOf, snapshotOf } from './read-path.js';

export interface FactEnv {
  readonly reader: Reader;
  readonly table: FixtureTable;
  /** Absolute table root. */
  readonly dir: string;
  /** Absolute fixtures root. */
  readonly root: string;
}

export interface FactCheck {
  readonly name: string;
  run(env: FactEnv): Promise<void>;
}

const json = (columns: [string, string][], rows: unknown[][]): ExpectedRows => ({
  kind: 'json',
  columns: columns.map(([name, type]) => ({ name, type })),
  rows,
});

async function expectRows(env: FactEnv, expected: ExpectedRows, sql: string): Promise<void> {
  const result = await compareRows(env.reader.engine, expected, sql);
  expect(result.ok, result.message).toBe(true);
}

const latestVersionIs = (v: number): FactCheck => ({
  name: `latest version is ${v}`,
  run: async (env) => expect((await snapshotOf(env.reader, env.dir)).version).toBe(v),
});

const filtered = async (env: FactEnv, where: string): Promise<string> =>
  `SELECT * FROM (${await scanSqlOf(env.reader, env.dir)}) AS __t WHERE ${where}`;

const countWhere = (where: string, n: number): FactCheck => ({
  name: `filter ${where} returns ${n} rows`,
  run: async (env) => expect(await countRows(env.reader, await filtered(env, where))).toBe(n),
});

const canonicalPaths: readonly FactCheck[] = [
  latestVersionIs(1),
  {
    name: 'a remove naming the same file in another form (file:/x vs /x) removes the add: 0 live files',
    run: async (env) => expect((await snapshotOf(env.reader, env.dir)).files.map((f) => f.path)).toEqual([]),
  },
];

/** Column types of a scan, as canonical DuckDB type text. */
async function scanTypes(env: FactEnv): Promise<Map<string, string>> {
  const sql = await scanSqlOf(env.reader, env.dir);
  const probe = await env.reader.engine.query(`SELECT * FROM (${sql}) AS __t LIMIT 0`);
  return new Map(probe.columns.map((c) => [c.name, duckTypeToSql(parseDuckType(c.type))]));
}

export const FACTS: Readonly<Record<string, readonly FactCheck[]>> = {
  checkpoint: [
    latestVersionIs(14),
    {
      name: 'replays checkpoint 10 plus commits 11..14',
      run: async (env) => {
        const s = await snapshotOf(env.reader, env.dir);
        expect(s.logSegment.checkpoint?.version).toBe(10);
        expect(s.logSegment.commits.map((c) => c.version)).toEqual([11, 12, 13, 14]);
      },
    },
    {
      name: 'exactly one live file, path "15"',
      run: async (env) =>
        expect((await snapshotOf(env.reader, env.dir)).files.map((f) => f.path)).toEqual(['15']),
    },
  ],
  'delete-re-add-same-file-different-transactions': [
    {
      name: 'two live files, foo and bar',
      run: async (env) =>
        expect((await snapshotOf(env.reader, env.dir)).files.map((f) => f.path).sort()).toEqual([
          'bar',
          'foo',
        ]),
    },
    {
      name: 'the re-added foo is the later add (modificationTime 1700000000000)',
      run: async (env) => {
        const foo = (await snapshotOf(env.reader, env.dir)).files.filter((f) => f.path === 'foo');
        expect(foo.map((f) => f.modificationTime)).toEqual([1700000000000]);
      },
    },
  ],
  'canonicalized-paths-normal-a': canonicalPaths,
  'canonicalized-paths-special-a': canonicalPaths,
  'snapshot-vacuumed': [
    {
      name: 'latest version 5 reads',
      run: async (env) => {
        expect((await snapshotOf(env.reader, env.dir)).version).toBe(5);
        expect(await countRows(env.reader, await scanSqlOf(env.reader, env.dir))).toBeGreaterThan(0);
      },
    },
    {
      name: 'reading versions 0..4 fails (their files were vacuumed)',
      run: async (env) => {
        const wrong: string[] = [];
        for (const version of [0, 1, 2, 3, 4]) {
          try {
            const n = await countRows(env.reader, await scanSqlOf(env.reader, env.dir, { version }));
            wrong.push(`v${version} returned ${n} rows`);
          } catch (e) {
            // Expected: a data file of that version is gone. It must be one of our coded errors
            // naming the file, not a crash.
            const message = e instanceof Error ? e.message : String(e);
            if (errorCode(e) === undefined || !message.includes('.parquet')) {
              wrong.push(`v${version} failed without a code or file name: ${message}`);
            }
          }
        }
        expect(wrong, 'time travel to a vacuumed version must fail naming the missing file').toEqual([]);
      },
    },
  ],
  'type-widening': [
    {
      name: 'files written before widening read as the widened types',
      run: async (env) => {
        const types = await scanTypes(env);
        const widened: [string, string][] = [];
        for (const e of env.table.expected) {
          if (e.kind !== 'snapshot-projection' || e.format !== 'json') continue;
          for (const c of loadExpectedJson(e.path, env.root).columns) {
            const mode = jsonColumnMode(c.type);
            if (mode.kind === 'typed') widened.push([c.name, duckTypeToSql(mode.type)]);
          }
        }
        expect(widened.length).toBeGreaterThan(10);
        const actual = widened.map(([name]) => [name, types.get(name) ?? '(missing)']);
        expect(actual).toEqual(widened);
      },
    },
  ],
  'v1-multi-part-partitioned-struct-stats-only': [
    {
      name: 'filter part = 0 returns (3, value_3, 0)',
      run: async (env) =>
        expectRows(
          env,
          json(
            [
              ['id', 'long'],
              ['value', 'string'],
              ['part', 'integer'],
            ],
            [[3, 'value_3', 0]],
          ),
          await filtered(env, 'part = 0'),
        ),
    },
  ],
  'v2-json-sidecars-struct-stats-only': [
    {
      name: 'filter id > 3 returns (4, value_4) and (5, value_5)',
      run: async (env) =>
        expectRows(
          env,
          json(
            [
              ['id', 'long'],
              ['value', 'string'],
            ],
            [
              [4, 'value_4'],
              [5, 'value_5'],
            ],
          ),
          await filtered(env, 'id > 3'),
        ),
    },
  ],
  with_checkpoint_no_last_checkpoint: [
    latestVersionIs(3),
    {
      name: 'finds checkpoint 2 by listing (there is no _last_checkpoint)',
      run: async (env) => {
        expect(existsSync(join(env.dir, '_delta_log', '_last_checkpoint'))).toBe(false);
        const s = await snapshotOf(env.reader, env.dir);
        expect(s.logSegment.checkpoint?.version).toBe(2);
        expect(s.logSegment.commits.map((c) => c.version)).toEqual([3]);
      },
    },
  ],
  partitioned_with_materialize_feature: [
    {
      name: 'reads the rows of basic_partitioned',
      run: async (env) => {
        const rows = loadExpectedJson('tables/basic_partitioned/expected/latest.json', env.root);
        await expectRows(
          env,
          { kind: 'json', columns: rows.columns, rows: rows.rows },
          await scanSqlOf(env.reader, env.dir, { columns: rows.columns.map((c) => c.name) }),
        );
      },
    },
  ],
  'partition-type-primitives': [
    countWhere(`year = '2020'`, 8),
    countWhere(`year = '2021.0'`, 8),
    countWhere(`is_active = 'true'`, 8),
    countWhere(`event_date = '2023-01-01'`, 8),
    countWhere(`category = 'A'`, 8),
    countWhere(`is_active IN ('true', 'false')`, 16),
    {
      name: '16 rows in total',
      run: async (env) => expect(await countRows(env.reader, await scanSqlOf(env.reader, env.dir))).toBe(16),
    },
  ],
  'python-0.25.5-checkpoint': [latestVersionIs(1)],
};
