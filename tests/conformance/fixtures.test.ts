// The Delta conformance suite: every table of ../shared/delta-fixtures read through Loch's public
// read API as its MANIFEST says, compared with the expected rows as multisets. One test per
// (table, check), named `<category> › <table> › <check>`; a per-category summary prints at the end.
import {
  commitVersions,
  compareRows,
  type ExpectedEntry,
  expectedRows,
  type FixtureTable,
  fixturesRoot,
  loadManifest,
  tableDir,
} from '@loch/test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Category, categoryOf } from './categories.js';
import { codeMatches, EXPECTED_ERRORS } from './expected-errors.js';
import { FACTS } from './facts.js';
import { adjustExpected, shipsDataFiles, versionState } from './manifest-quirks.js';
import {
  changesSqlOf,
  countRows,
  errorCode,
  openCountingTable,
  openReader,
  openTable,
  type Reader,
  scanSqlOf,
} from './read-path.js';
import { Summary } from './summary.js';

const root = fixturesRoot();
const manifest = loadManifest(root);
const summary = new Summary();
let reader: Reader;

beforeAll(async () => {
  reader = await openReader();
});

afterAll(async () => {
  await reader?.close();
  console.log(`\n${summary.render()}\n`);
});

function check(category: Category, table: FixtureTable, name: string, fn: () => Promise<void>): void {
  const full = `${category} › ${table.name} › ${name}`;
  it(full, async () => {
    try {
      await fn();
      summary.record(category, full, 'pass');
    } catch (e) {
      summary.record(category, full, 'fail');
      throw e;
    }
  });
}

const versionLabel = (v: number | 'latest'): string => (v === 'latest' ? 'latest' : `v${v}`);

function expectationChecks(category: Category, table: FixtureTable, entry: ExpectedEntry, dir: string): void {
  switch (entry.kind) {
    case 'snapshot':
      check(category, table, `read ${versionLabel(entry.version)}`, async () => {
        const sql = await scanSqlOf(reader, dir, { version: entry.version });
        const result = await compareRows(
          reader.engine,
          adjustExpected(table.name, expectedRows(entry, root)),
          sql,
        );
        expect(result.ok, result.message).toBe(true);
      });
      return;
    case 'snapshot-projection':
      check(
        category,
        table,
        `read ${versionLabel(entry.version)} [${entry.columns.join(', ')}]`,
        async () => {
          const sql = await scanSqlOf(reader, dir, { version: entry.version, columns: entry.columns });
          const result = await compareRows(
            reader.engine,
            adjustExpected(table.name, expectedRows(entry, root)),
            sql,
          );
          expect(result.ok, result.message).toBe(true);
        },
      );
      return;
    case 'error': {
      const expected = EXPECTED_ERRORS[table.name];
      const codes = expected === undefined ? 'an error' : String(expected.code);
      check(category, table, `read ${versionLabel(entry.version)} fails with ${codes}`, async () => {
        expect(
          expected,
          `no expected error code encoded for ${table.name} in expected-errors.ts`,
        ).toBeDefined();
        let rows: number | undefined;
        let error: unknown;
        try {
          rows = await countRows(reader, await scanSqlOf(reader, dir, { version: entry.version }));
        } catch (e) {
          error = e;
        }
        expect(rows, `the read returned ${rows} rows instead of failing (${expected!.why})`).toBeUndefined();
        expect(error).toBeInstanceOf(Error);
        const code = errorCode(error);
        expect(
          codeMatches(expected!, code),
          `expected ${codes} (${expected!.why}), got ${code ?? 'no code'}: ${(error as Error).message}`,
        ).toBe(true);
        if (expected!.mentions !== undefined) expect((error as Error).message).toContain(expected!.mentions);
      });
      return;
    }
    case 'cdf':
      check(category, table, `cdf ${entry.start_version}..${entry.end_version}`, async () => {
        const sql = await changesSqlOf(reader, dir, entry.start_version, entry.end_version);
        const result = await compareRows(reader.engine, expectedRows(entry, root), sql);
        expect(result.ok, result.message).toBe(true);
      });
      return;
    case 'facts': {
      const facts = FACTS[table.name];
      if (facts === undefined) {
        check(category, table, 'facts are encoded', async () => {
          expect.fail(`facts for ${table.name} are not encoded in facts.ts: ${entry.facts.join(' / ')}`);
        });
        return;
      }
      for (const fact of facts) {
        check(category, table, `fact: ${fact.name}`, () => fact.run({ reader, table, dir, root }));
      }
      return;
    }
  }
}

/**
 * Live files and stats-derived row counts at every version the manifest lists. Row counts are
 * read only where the fixture ships its data files.
 */
function stateCheck(category: Category, table: FixtureTable, dir: string): void {
  const states = Object.entries(table.per_version_state ?? {});
  if (states.length === 0) return;
  const readRows = shipsDataFiles(dir);
  const label = `per-version state (${states.length} versions${readRows ? '' : ', log only: no data files shipped'})`;
  check(category, table, label, async () => {
    const delta = await openTable(reader, dir);
    const problems: string[] = [];
    for (const [v, raw] of states) {
      const version = Number(v);
      const state = versionState(table.name, version, raw);
      try {
        const snapshot = await delta.snapshot({ version });
        if (snapshot.version !== version) problems.push(`v${v}: snapshot has version ${snapshot.version}`);
        if (state.live_files !== null && snapshot.files.length !== state.live_files) {
          problems.push(`v${v}: ${snapshot.files.length} live files, expected ${state.live_files}`);
        }
        if (readRows && state.rows_from_stats !== null) {
          const n = await countRows(reader, await delta.scanSql({ at: { version } }));
          if (n !== state.rows_from_stats)
            problems.push(`v${v}: read ${n} rows, stats say ${state.rows_from_stats}`);
        }
      } catch (e) {
        problems.push(`v${v}: ${errorCode(e) ?? 'error'}: ${(e as Error).message}`);
      }
    }
    expect(problems, problems.slice(0, 8).join('\n')).toEqual([]);
  });
}

/** The latest snapshot's version, protocol and partition columns, as the manifest read them from the log. */
function latestSnapshotCheck(category: Category, table: FixtureTable, dir: string): void {
  if (table.latest_version == null || table.protocol === undefined) return;
  const latest = table.latest_version;
  const protocol = table.protocol;
  check(category, table, `latest snapshot is v${latest} with the logged protocol`, async () => {
    const snapshot = await (await openTable(reader, dir)).snapshot();
    const sorted = (xs: readonly string[] | undefined): string[] | undefined =>
      xs ? [...xs].sort() : undefined;
    expect({
      version: snapshot.version,
      minReaderVersion: snapshot.protocol.minReaderVersion,
      minWriterVersion: snapshot.protocol.minWriterVersion,
      readerFeatures: sorted(snapshot.protocol.readerFeatures),
      writerFeatures: sorted(snapshot.protocol.writerFeatures),
      partitionColumns: [...snapshot.partitionColumns],
    }).toEqual({
      version: latest,
      minReaderVersion: protocol.minReaderVersion,
      minWriterVersion: protocol.minWriterVersion,
      readerFeatures: sorted(protocol.readerFeatures),
      writerFeatures: sorted(protocol.writerFeatures),
      partitionColumns: [...(table.partition_columns ?? [])],
    });
  });
}

/**
 * A cold load of the latest snapshot reads each commit it needs once and none that a checkpoint
 * already covers (a load after checkpoint N reads N's checkpoint plus commits N+1.., no more).
 */
function logReadCheck(category: Category, table: FixtureTable, dir: string): void {
  if (table.latest_version == null) return;
  check(category, table, 'cold load reads only commits after the checkpoint, once each', async () => {
    const { table: delta, stores } = openCountingTable(reader, dir);
    const snapshot = await delta.snapshot();
    const read = commitVersions(stores.flatMap((s) => s.gets()));
    const after = snapshot.logSegment.checkpoint?.version ?? -1;
    const covered = read.filter((v) => v <= after);
    const repeated = read.filter((v, i) => read.indexOf(v) !== i);
    const distinct = [...new Set(read)].sort((a, b) => a - b);
    const segment = snapshot.logSegment.commits.map((c) => c.version).sort((a, b) => a - b);
    expect({ coveredByCheckpoint: covered, readTwice: repeated, read: distinct }).toEqual({
      coveredByCheckpoint: [],
      readTwice: [],
      read: segment,
    });
  });
}

for (const table of manifest.tables) {
  const category = categoryOf(table);
  const dir = tableDir(table, root);
  for (const entry of table.expected) expectationChecks(category, table, entry, dir);
  const negative = table.expected.some((e) => e.kind === 'error');
  if (!negative) {
    latestSnapshotCheck(category, table, dir);
    logReadCheck(category, table, dir);
    stateCheck(category, table, dir);
  }
}
