import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeletionVectorDescriptor } from '../actions/types.js';
import type { ObjectMeta, ObjectStore } from '../contracts.js';
import { isDeltaError } from '../errors.js';
import {
  decodeDeletionVectorFrame,
  decodeInlineDeletionVector,
  deletionVectorByteRange,
  deletionVectorLocation,
  deletionVectorRelativePath,
  encodeDeletionVectorFile,
  inlineDeletionVectorDescriptor,
  newDeletionVectorDescriptor,
  uniqueId,
} from './deletion-vector.js';
import { loadDeletionVector } from './load-deletion-vector.js';

const FIXTURES = '/work/shared/delta-fixtures/tables';
const DV_TABLES = [
  'dv-partitioned-with-checkpoint',
  'log-replay-dv-key-cases',
  'with-short-dv',
  'table-with-dv-small',
  'cdf-table-with-dv',
  'dv-with-columnmapping',
];

/** Read-only store over a local directory or in-memory map: enough for the DV driver. */
function bytesStore(
  url: string,
  read: (path: string) => Uint8Array | undefined,
): ObjectStore & { reads: number } {
  const store = {
    url,
    reads: 0,
    async list(): Promise<ObjectMeta[]> {
      return [];
    },
    async head() {
      return undefined;
    },
    async get(path: string, range?: { offset: number; length: number }) {
      store.reads++;
      const all = read(path);
      if (all === undefined) throw Object.assign(new Error(`no ${path}`), { code: 'NOT_FOUND' });
      return range === undefined ? all : all.subarray(range.offset, range.offset + range.length);
    },
    async put() {},
    async putIfAbsent() {
      return { kind: 'written' as const };
    },
    async delete() {},
    resolve: (path: string) => `${url}/${path}`,
  };
  return store;
}

const dirStore = (root: string) =>
  bytesStore(`file://${root}`, (path) => {
    const full = join(root, path);
    return existsSync(full) ? new Uint8Array(readFileSync(full)) : undefined;
  });

function descriptorsOf(table: string): DeletionVectorDescriptor[] {
  const log = join(FIXTURES, table, 'delta', '_delta_log');
  const out: DeletionVectorDescriptor[] = [];
  for (const file of readdirSync(log).filter((f) => f.endsWith('.json'))) {
    for (const line of readFileSync(join(log, file), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const action = JSON.parse(line) as Record<string, { deletionVector?: DeletionVectorDescriptor | null }>;
      for (const kind of ['add', 'remove']) {
        const dv = action[kind]?.deletionVector;
        if (dv) out.push({ ...dv, offset: dv.offset ?? undefined });
      }
    }
  }
  return out;
}

describe('deletion vectors in the fixture tables', () => {
  it.each(DV_TABLES)('%s: every descriptor decodes to exactly cardinality rows', async (table) => {
    const descriptors = descriptorsOf(table);
    expect(descriptors.length).toBeGreaterThan(0);
    const store = dirStore(join(FIXTURES, table, 'delta'));
    for (const d of descriptors) {
      const rows = await loadDeletionVector(store, d);
      expect(rows, uniqueId(d)).toHaveLength(d.cardinality);
      expect(rows).toEqual([...rows].sort((a, b) => a - b));
    }
  });

  it('decodes known rows: table-with-dv-small deletes rows 0 and 9', async () => {
    const [d] = descriptorsOf('table-with-dv-small');
    expect(deletionVectorRelativePath(d!)).toBe('deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin');
    expect(await loadDeletionVector(dirStore(join(FIXTURES, 'table-with-dv-small', 'delta')), d!)).toEqual([
      0, 9,
    ]);
  });

  it('decodes the inline DV of cdf-table-with-dv without any IO', async () => {
    const inline = descriptorsOf('cdf-table-with-dv').find((d) => d.storageType === 'i')!;
    const store = dirStore('/nonexistent');
    const rows = await loadDeletionVector(store, inline);
    expect(rows).toHaveLength(4);
    expect(store.reads).toBe(0);
    expect(decodeInlineDeletionVector(inline)).toEqual(rows);
  });
});

describe('descriptors', () => {
  const base = { sizeInBytes: 34, cardinality: 1 };

  it('derives the relative path, with and without a random prefix', () => {
    const plain: DeletionVectorDescriptor = {
      storageType: 'u',
      pathOrInlineDv: 'vBn[lx{q8@P<9BNH/isA',
      offset: 1,
      ...base,
    };
    const prefixed = { ...plain, pathOrInlineDv: 'ab^vBn[lx{q8@P<9BNH/isA' };
    expect(deletionVectorLocation(prefixed)).toEqual({
      kind: 'relative',
      path: 'ab^/deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin',
      offset: 1,
    });
    expect(deletionVectorRelativePath(plain)).toBe(
      'deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin',
    );
    expect(() => deletionVectorRelativePath({ ...plain, pathOrInlineDv: 'short' })).toThrow(/shorter than/);
  });

  it('keys DVs the way log replay does', () => {
    expect(uniqueId({ storageType: 'u', pathOrInlineDv: 'abc', offset: 1, ...base })).toBe('uabc@1');
    expect(uniqueId({ storageType: 'i', pathOrInlineDv: 'xyz', ...base })).toBe('ixyz');
  });

  it('absolute DVs are read through the store when under its root, else need readAbsolute', async () => {
    const file = encodeDeletionVectorFile([3, 4, 5]);
    const d: DeletionVectorDescriptor = {
      storageType: 'p',
      pathOrInlineDv: 'file:/data/my%20table/dv/x.bin',
      offset: file.offset,
      sizeInBytes: file.sizeInBytes,
      cardinality: file.cardinality,
    };
    const store = bytesStore('file:///data/my%20table', (p) => (p === 'dv/x.bin' ? file.bytes : undefined));
    expect(await loadDeletionVector(store, d)).toEqual([3, 4, 5]);
    const elsewhere = { ...d, pathOrInlineDv: 's3://bucket/x.bin' };
    await expect(loadDeletionVector(store, elsewhere)).rejects.toThrow(
      /outside the table root.*readAbsolute/,
    );
    const rows = await loadDeletionVector(store, elsewhere, {
      readAbsolute: async (url, range) => {
        expect(url).toBe('s3://bucket/x.bin');
        return file.bytes.subarray(range.offset, range.offset + range.length);
      },
    });
    expect(rows).toEqual([3, 4, 5]);
  });
});

describe('writing DVs', () => {
  it('a written DV file loads back through a new descriptor', async () => {
    const rows = [0, 1, 2, 7, 2 ** 32 + 5, 2 ** 40];
    const file = encodeDeletionVectorFile([...rows].reverse());
    expect(file.bytes[0]).toBe(1);
    expect(file.cardinality).toBe(rows.length);
    const uuid = '0229ec3d-5100-44e1-8e53-702d448da8da';
    const d = newDeletionVectorDescriptor({ uuid, prefix: 'xy', ...file });
    expect(d.pathOrInlineDv).toHaveLength(22);
    const path = deletionVectorRelativePath(d);
    expect(path).toBe(`xy/deletion_vector_${uuid}.bin`);
    const store = bytesStore('memory://t', (p) => (p === path ? file.bytes : undefined));
    expect(await loadDeletionVector(store, d)).toEqual(rows);
    expect(deletionVectorByteRange(d)).toEqual({ offset: 1, length: file.sizeInBytes + 8 });
  });

  it('inline descriptors round-trip', () => {
    const d = inlineDeletionVectorDescriptor([5, 3, 1]);
    expect(d.storageType).toBe('i');
    expect(d.cardinality).toBe(3);
    expect(decodeInlineDeletionVector(d)).toEqual([1, 3, 5]);
  });

  it('reports a checksum mismatch, a size mismatch and a wrong cardinality with the path', () => {
    const file = encodeDeletionVectorFile([10, 20]);
    const d = newDeletionVectorDescriptor({ uuid: '0229ec3d-5100-44e1-8e53-702d448da8da', ...file });
    const frame = file.bytes.subarray(1);
    const corrupt = frame.slice();
    corrupt[10] = corrupt[10]! ^ 0xff;
    const err = (() => {
      try {
        decodeDeletionVectorFrame(d, corrupt, 'deletion_vector_x.bin');
      } catch (e) {
        return e;
      }
    })();
    expect(isDeltaError(err, 'INVALID_DELETION_VECTOR')).toBe(true);
    expect((err as Error).message).toMatch(/checksum mismatch in deletion_vector_x\.bin/);
    expect(() => decodeDeletionVectorFrame({ ...d, sizeInBytes: d.sizeInBytes + 1 }, frame, 'f.bin')).toThrow(
      /f\.bin stores a DV of \d+ bytes at offset 1, the log says/,
    );
    expect(() => decodeDeletionVectorFrame({ ...d, cardinality: 3 }, frame, 'f.bin')).toThrow(
      /decodes to 2 rows, the log says cardinality 3/,
    );
  });

  it('a missing DV file is FILE_NOT_FOUND naming the file', async () => {
    const d = newDeletionVectorDescriptor({
      uuid: '0229ec3d-5100-44e1-8e53-702d448da8da',
      offset: 1,
      sizeInBytes: 34,
      cardinality: 1,
    });
    await expect(
      loadDeletionVector(
        bytesStore('memory://empty', () => undefined),
        d,
      ),
    ).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
      message: expect.stringContaining('deletion_vector_0229ec3d-5100-44e1-8e53-702d448da8da.bin'),
    });
  });
});
