// Builds large Delta logs directly on disk: commit JSON files through @loch/delta's serializer
// (own JSON when it is not built yet) and, when Loch cannot write a checkpoint yet, a classic
// checkpoint written by DuckDB SQL. Data files are tiny placeholder names: snapshot loading never
// opens them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const BASE_TS = Date.UTC(2026, 0, 1);

const pad = (v) => String(v).padStart(20, '0');
export const commitFile = (tableDir, v) => join(tableDir, '_delta_log', `${pad(v)}.json`);
export const checkpointFile = (tableDir, v) => join(tableDir, '_delta_log', `${pad(v)}.checkpoint.parquet`);

export const SCHEMA = {
  type: 'struct',
  fields: [
    { name: 'id', type: 'long', nullable: true, metadata: {} },
    { name: 'label', type: 'string', nullable: true, metadata: {} },
  ],
};

const dataPath = (v) => `part-${String(v).padStart(8, '0')}-bench.snappy.parquet`;
const statsOf = (v) =>
  `{"numRecords":1,"minValues":{"id":${v},"label":"l${v}"},"maxValues":{"id":${v},"label":"l${v}"},"nullCount":{"id":0,"label":0}}`;

export function protocolAction() {
  return { kind: 'protocol', minReaderVersion: 1, minWriterVersion: 2 };
}

export function metadataAction(configuration) {
  return {
    kind: 'metaData',
    id: '6f3b1a52-0000-4000-8000-00000000bench',
    format: { provider: 'parquet', options: {} },
    schemaString: JSON.stringify(SCHEMA),
    partitionColumns: [],
    createdTime: BASE_TS,
    configuration,
  };
}

export function addAction(v) {
  return {
    kind: 'add',
    path: dataPath(v),
    partitionValues: {},
    size: 1000 + (v % 500),
    modificationTime: BASE_TS + v * 1000,
    dataChange: true,
    stats: statsOf(v),
  };
}

export function commitActions(v, configuration) {
  const info = {
    kind: 'commitInfo',
    value: {
      timestamp: BASE_TS + v * 1000,
      operation: v === 0 ? 'CREATE TABLE' : 'WRITE',
      operationParameters: { mode: 'Append' },
      readVersion: v === 0 ? undefined : v - 1,
      isBlindAppend: true,
      engineInfo: 'loch-bench',
    },
  };
  const actions = [info];
  if (v === 0) actions.push(protocolAction(), metadataAction(configuration));
  actions.push(addAction(v));
  return actions;
}

/** Own serializer for when @loch/delta's is not built: the same wire shape. */
function fallbackSerialize(actions) {
  let out = '';
  for (const a of actions) {
    const { kind, ...rest } = a;
    out += `${JSON.stringify(kind === 'commitInfo' ? { commitInfo: a.value } : { [kind]: rest })}\n`;
  }
  return out;
}

/**
 * Writes commits [from, to] (inclusive), one added file each. Returns the writer used.
 * Synchronous fs writes: for 100k small files they beat any amount of async concurrency here.
 */
export function writeCommits(tableDir, from, to, { configuration, delta }) {
  mkdirSync(join(tableDir, '_delta_log'), { recursive: true });
  const serialize =
    typeof delta?.serializeActions === 'function' ? delta.serializeActions : fallbackSerialize;
  for (let v = from; v <= to; v++) {
    writeFileSync(commitFile(tableDir, v), serialize(commitActions(v, configuration)), { flag: 'wx' });
  }
  return serialize === fallbackSerialize ? 'bench-json' : '@loch/delta serializeActions';
}

/**
 * A classic checkpoint at `version` (files 0..version live) written with DuckDB SQL, plus
 * _last_checkpoint. Used only when Loch's own checkpoint writer is not available.
 */
export async function writeSqlCheckpoint(duck, tableDir, version, configuration) {
  const file = checkpointFile(tableDir, version);
  const addType =
    'STRUCT(path VARCHAR, partitionValues MAP(VARCHAR, VARCHAR), size BIGINT, modificationTime BIGINT, dataChange BOOLEAN, stats VARCHAR, tags MAP(VARCHAR, VARCHAR))';
  const metaType =
    'STRUCT(id VARCHAR, "name" VARCHAR, description VARCHAR, format STRUCT(provider VARCHAR, options MAP(VARCHAR, VARCHAR)), schemaString VARCHAR, partitionColumns VARCHAR[], configuration MAP(VARCHAR, VARCHAR), createdTime BIGINT)';
  const protoType = 'STRUCT(minReaderVersion INTEGER, minWriterVersion INTEGER)';
  const removeType = 'STRUCT(path VARCHAR, deletionTimestamp BIGINT, dataChange BOOLEAN)';
  const txnType = 'STRUCT(appId VARCHAR, version BIGINT, lastUpdated BIGINT)';
  const q = (s) => `'${s.replaceAll("'", "''")}'`;
  const md = metadataAction(configuration);
  const confKeys = Object.keys(configuration);
  const confMap = `MAP {${confKeys.map((k) => `${q(k)}: ${q(configuration[k])}`).join(', ')}}::MAP(VARCHAR, VARCHAR)`;
  const sql = `COPY (
    SELECT NULL::${txnType} AS txn, NULL::${addType} AS add, NULL::${removeType} AS remove, NULL::${metaType} AS metaData,
           {'minReaderVersion': 1, 'minWriterVersion': 2}::${protoType} AS protocol
    UNION ALL
    SELECT NULL, NULL, NULL,
           {'id': ${q(md.id)}, 'name': NULL, 'description': NULL, 'format': {'provider': 'parquet', 'options': MAP {}::MAP(VARCHAR, VARCHAR)},
            'schemaString': ${q(md.schemaString)}, 'partitionColumns': []::VARCHAR[], 'configuration': ${confMap}, 'createdTime': ${BASE_TS}}::${metaType},
           NULL
    UNION ALL
    SELECT NULL, {'path': 'part-' || lpad(v::VARCHAR, 8, '0') || '-bench.snappy.parquet', 'partitionValues': MAP {}::MAP(VARCHAR, VARCHAR),
            'size': 1000 + v % 500, 'modificationTime': ${BASE_TS} + v * 1000, 'dataChange': false,
            'stats': '{"numRecords":1,"minValues":{"id":' || v || ',"label":"l' || v || '"},"maxValues":{"id":' || v || ',"label":"l' || v || '"},"nullCount":{"id":0,"label":0}}',
            'tags': NULL}::${addType},
           NULL, NULL, NULL
    FROM range(0, ${version + 1}) t(v)
  ) TO '${file}' (FORMAT parquet)`;
  await duck.run(sql);
  const rows = version + 3;
  writeFileSync(
    join(tableDir, '_delta_log', '_last_checkpoint'),
    JSON.stringify({ version, size: rows, sizeInBytes: 0, numOfAddFiles: version + 1 }),
  );
  return file;
}
