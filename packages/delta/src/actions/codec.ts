// JSON codec for log actions. Parsing reuses the object JSON.parse produced (adding `kind`)
// instead of copying it: replay parses hundreds of thousands of actions and the copy would be
// pure churn. Serializing strips `kind` and undefined fields to give the exact wire shape.
import { DeltaError } from '../errors.js';
import type { Action, ActionKind, AddFile, CommitInfo } from './types.js';

type JsonObject = Record<string, unknown>;

/** Wire keys of the actions we understand; anything else on a log line is ignored (PROTOCOL.md). */
export const ACTION_KEYS: readonly ActionKind[] = [
  'add',
  'remove',
  'metaData',
  'protocol',
  'commitInfo',
  'txn',
  'domainMetadata',
  'cdc',
  'checkpointMetadata',
  'sidecar',
];
const KNOWN = new Set<string>(ACTION_KEYS);

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function invalid(kind: string, why: string, where?: string): DeltaError {
  const at = where === undefined ? '' : ` in ${where}`;
  return new DeltaError('INVALID_LOG', `invalid '${kind}' action${at}: ${why}`, { kind, where });
}

/**
 * Turns one decoded log line (`{"add": {...}}`) into an Action, or undefined when the line holds
 * no action we know. The inner object is adopted (mutated to carry `kind`), not copied.
 */
export function actionFromJson(line: unknown, where?: string): Action | undefined {
  if (!isObject(line)) throw invalid('?', 'a log line must be a JSON object', where);
  for (const key in line) {
    if (!KNOWN.has(key)) continue;
    const body = line[key];
    if (body === null || body === undefined) continue;
    if (!isObject(body)) throw invalid(key, 'the action body is not an object', where);
    return adopt(key as ActionKind, body, where);
  }
  return undefined;
}

function adopt(kind: ActionKind, body: JsonObject, where?: string): Action {
  switch (kind) {
    case 'commitInfo':
      return { kind, value: body } satisfies CommitInfo;
    case 'add':
    case 'remove':
    case 'cdc':
    case 'sidecar':
      if (typeof body.path !== 'string') throw invalid(kind, "missing string field 'path'", where);
      break;
    case 'metaData':
      // schemaString is checked when a snapshot is built: a broken checkpoint must still
      // report a missing protocol first, as other readers do.
      body.partitionColumns ??= [];
      body.configuration ??= {};
      body.format ??= { provider: 'parquet', options: {} };
      break;
    case 'protocol':
      if (typeof body.minReaderVersion !== 'number' || typeof body.minWriterVersion !== 'number') {
        throw invalid(kind, "missing 'minReaderVersion'/'minWriterVersion'", where);
      }
      if (body.readerFeatures === null) delete body.readerFeatures;
      if (body.writerFeatures === null) delete body.writerFeatures;
      break;
    case 'txn':
      if (typeof body.appId !== 'string') throw invalid(kind, "missing string field 'appId'", where);
      break;
    case 'domainMetadata':
      if (typeof body.domain !== 'string') throw invalid(kind, "missing string field 'domain'", where);
      body.removed ??= false;
      break;
    case 'checkpointMetadata':
      break;
  }
  if (kind === 'add' || kind === 'cdc') body.partitionValues ??= {};
  (body as { kind?: string }).kind = kind;
  return body as unknown as Action;
}

/** Parses one NDJSON log line. Blank lines give undefined. */
export function parseActionLine(line: string, where?: string): Action | undefined {
  if (line.trim() === '') return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(line);
  } catch (e) {
    throw new DeltaError(
      'INVALID_LOG',
      `log line is not valid JSON${where ? ` in ${where}` : ''}: ${(e as Error).message}`,
      {
        where,
      },
    );
  }
  return actionFromJson(decoded, where);
}

/** Parses a whole commit (or compaction / v2 JSON checkpoint) file's text. */
export function parseCommitText(text: string, where?: string): Action[] {
  const out: Action[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const action = parseActionLine(text.slice(start, end), where);
    if (action !== undefined) out.push(action);
    start = end + 1;
  }
  return out;
}

/**
 * Adopts a row read from a parquet checkpoint or sidecar (`{add: {...}, ...}` with null columns
 * omitted). `stats_parsed` becomes `statsParsed`; `partitionValues_parsed` is dropped because the
 * string map is authoritative (and rebuilt from it when a writer left the map out).
 */
export function actionFromCheckpointRow(row: Record<string, unknown>, where?: string): Action | undefined {
  const add = row.add;
  if (isObject(add)) {
    if (add.stats_parsed !== undefined) {
      if (add.stats_parsed !== null) add.statsParsed = add.stats_parsed;
      delete add.stats_parsed;
    }
    const parsedPv = add.partitionValues_parsed;
    if (parsedPv !== undefined) {
      if ((add.partitionValues === undefined || add.partitionValues === null) && isObject(parsedPv)) {
        add.partitionValues = stringifyPartitionValues(parsedPv);
      }
      delete add.partitionValues_parsed;
    }
  }
  return actionFromJson(row, where);
}

function stringifyPartitionValues(parsed: JsonObject): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(parsed)) out[k] = v === null || v === undefined ? null : String(v);
  return out;
}

/** The wire object of an action: `{"add": {...}}` without our `kind` tag or undefined fields. */
export function actionToJson(action: Action): Record<string, unknown> {
  if (action.kind === 'commitInfo') return { commitInfo: dropUndefined(action.value) };
  const { kind, ...rest } = action;
  if (kind === 'add') {
    // A checkpoint may carry only struct stats; the JSON log only knows the string form.
    const r = rest as { -readonly [K in keyof AddFile]?: AddFile[K] };
    if ((r.stats === undefined || r.stats === null) && r.statsParsed != null)
      r.stats = JSON.stringify(r.statsParsed);
    delete r.statsParsed;
  }
  return { [kind]: dropUndefined(rest) };
}

function dropUndefined(o: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in o) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** One NDJSON line (no trailing newline). */
export function serializeAction(action: Action): string {
  return JSON.stringify(actionToJson(action));
}

/** A commit file's text: one action per line, each line ending in '\n'. */
export function serializeActions(actions: readonly Action[]): string {
  let out = '';
  for (const a of actions) out += `${serializeAction(a)}\n`;
  return out;
}
