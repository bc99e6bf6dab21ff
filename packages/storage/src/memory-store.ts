// In-memory ObjectStore for tests and scratch tables. Stores live in a process-wide registry
// keyed by name, so two handles opened on `memory://x` see the same objects, as two handles on
// one directory would.

import { StorageError } from './errors.js';
import { byPath, checkObjectPath, checkPrefix, checkRange, compareUtf8 } from './store-paths.js';
import type { ByteRange, ObjectMeta, ObjectStore, PutOutcome } from './types.js';

interface Entry {
  readonly data: Uint8Array;
  readonly lastModified: number;
}

const registry = new Map<string, Map<string, Entry>>();

export interface MemoryStoreOptions {
  /** Clock for `lastModified`; tests of timestamp-based time travel pass a fake one. */
  readonly now?: () => number;
}

/** Returns the name part of `memory://name` (or a bare name). */
export function memoryStoreName(urlOrName: string): string {
  const name = (urlOrName.startsWith('memory://') ? urlOrName.slice('memory://'.length) : urlOrName).replace(
    /\/+$/,
    '',
  );
  if (name === '') {
    throw new StorageError('INVALID_PATH', `memory store URL '${urlOrName}' needs a name, e.g. memory://t1`, {
      path: urlOrName,
    });
  }
  return name;
}

export class MemoryStore implements ObjectStore {
  readonly url: string;
  readonly name: string;
  private readonly objects: Map<string, Entry>;
  private readonly now: () => number;

  constructor(urlOrName: string, options: MemoryStoreOptions = {}) {
    this.name = memoryStoreName(urlOrName);
    this.url = `memory://${this.name}`;
    let objects = registry.get(this.name);
    if (objects === undefined) {
      objects = new Map();
      registry.set(this.name, objects);
    }
    this.objects = objects;
    this.now = options.now ?? Date.now;
  }

  /** Forgets every object of the named store (handles already open see it empty). */
  static drop(urlOrName: string): void {
    registry.get(memoryStoreName(urlOrName))?.clear();
  }

  resolve(path: string): string {
    return `${this.url}/${checkObjectPath(path)}`;
  }

  async list(prefix: string): Promise<ObjectMeta[]> {
    checkPrefix(prefix);
    const out: ObjectMeta[] = [];
    for (const [path, entry] of this.objects) {
      if (path.startsWith(prefix)) out.push(metaOf(path, entry));
    }
    return out.sort(byPath);
  }

  async listFrom(prefix: string, startAfter: string): Promise<ObjectMeta[]> {
    return (await this.list(prefix)).filter((m) => compareUtf8(m.path, startAfter) > 0);
  }

  async head(path: string): Promise<ObjectMeta | undefined> {
    const entry = this.objects.get(checkObjectPath(path));
    return entry === undefined ? undefined : metaOf(path, entry);
  }

  async get(path: string, range?: ByteRange): Promise<Uint8Array> {
    const entry = this.objects.get(checkObjectPath(path));
    if (entry === undefined) {
      throw new StorageError('NOT_FOUND', `object '${path}' does not exist in ${this.url}`, { path });
    }
    if (range === undefined) return entry.data.slice();
    checkRange(path, range);
    return entry.data.slice(range.offset, range.offset + range.length);
  }

  async put(path: string, data: Uint8Array): Promise<void> {
    this.objects.set(checkObjectPath(path), { data: data.slice(), lastModified: this.now() });
  }

  async putIfAbsent(path: string, data: Uint8Array): Promise<PutOutcome> {
    checkObjectPath(path);
    if (this.objects.has(path)) return { kind: 'exists' };
    this.objects.set(path, { data: data.slice(), lastModified: this.now() });
    return { kind: 'written' };
  }

  async delete(path: string): Promise<void> {
    this.objects.delete(checkObjectPath(path));
  }
}

const metaOf = (path: string, entry: Entry): ObjectMeta => ({
  path,
  size: entry.data.byteLength,
  lastModified: entry.lastModified,
});
