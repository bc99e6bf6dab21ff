// ObjectStore on the local filesystem. Commits rely on `putIfAbsent` being a true mutual
// exclusion: the bytes go to a private temp file first and `link()` publishes them, which fails
// with EEXIST when another writer won, and never exposes a half-written file.

import { randomBytes } from 'node:crypto';
import { type Dirent, promises as fs, type Stats } from 'node:fs';
import * as nodePath from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { errnoCode, StorageError } from './errors.js';
import { byPath, checkObjectPath, checkPrefix, checkRange, compareUtf8 } from './store-paths.js';
import type { ByteRange, ObjectMeta, ObjectStore, PutOutcome } from './types.js';

/** Temp names start with '.' and end in '.tmp' so no reader takes them for log entries or data. */
export const isTempFileName = (name: string): boolean => name.startsWith('.') && name.endsWith('.tmp');

// The target's name is kept for debugging, cut so the temp name stays under NAME_MAX (255).
const tempNameFor = (target: string): string =>
  nodePath.join(
    nodePath.dirname(target),
    `.${nodePath.basename(target).slice(0, 200)}.${randomBytes(6).toString('hex')}.tmp`,
  );

/** Turns `file:` URLs and plain (absolute or relative) paths into one absolute local path. */
export function localRootOf(pathOrUrl: string): string {
  if (pathOrUrl.startsWith('file:')) {
    try {
      return stripTrailingSep(fileURLToPath(new URL(pathOrUrl)));
    } catch (e) {
      throw new StorageError('INVALID_PATH', `'${pathOrUrl}' is not a valid local file URL`, {
        path: pathOrUrl,
        cause: e,
      });
    }
  }
  if (pathOrUrl === '') throw new StorageError('INVALID_PATH', 'a file store needs a root path', {});
  return stripTrailingSep(nodePath.resolve(pathOrUrl));
}

const stripTrailingSep = (p: string): string =>
  p.length > 1 && p.endsWith(nodePath.sep) ? p.slice(0, -1) : p;

const metaOf = (path: string, st: Stats): ObjectMeta => ({
  path,
  size: st.size,
  lastModified: Math.floor(st.mtimeMs),
});

export class FileStore implements ObjectStore {
  /** Absolute local path of the root, without a trailing separator. */
  readonly root: string;
  readonly url: string;

  constructor(rootPathOrUrl: string) {
    this.root = localRootOf(rootPathOrUrl);
    this.url = stripTrailingSlash(pathToFileURL(this.root).href);
  }

  resolve(path: string): string {
    return nodePath.join(this.root, ...checkObjectPath(path).split('/'));
  }

  async list(prefix: string): Promise<ObjectMeta[]> {
    checkPrefix(prefix);
    const slash = prefix.lastIndexOf('/');
    const out: ObjectMeta[] = [];
    await this.walk(slash >= 0 ? prefix.slice(0, slash) : '', prefix, out);
    return out.sort(byPath);
  }

  async listFrom(prefix: string, startAfter: string): Promise<ObjectMeta[]> {
    checkPrefix(prefix);
    const slash = prefix.lastIndexOf('/');
    const out: ObjectMeta[] = [];
    // Names are filtered before the stat: a long _delta_log costs one readdir, not one stat per commit.
    await this.walk(slash >= 0 ? prefix.slice(0, slash) : '', prefix, out, startAfter);
    return out.sort(byPath);
  }

  async head(path: string): Promise<ObjectMeta | undefined> {
    try {
      const st = await fs.stat(this.resolve(path));
      return st.isFile() ? metaOf(path, st) : undefined;
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw ioError('stat', path, e);
    }
  }

  async get(path: string, range?: ByteRange): Promise<Uint8Array> {
    const abs = this.resolve(path);
    if (range !== undefined) checkRange(path, range);
    try {
      if (range === undefined) {
        const buf = await fs.readFile(abs);
        return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      }
      const fh = await fs.open(abs, 'r');
      try {
        const out = new Uint8Array(range.length);
        let filled = 0;
        while (filled < range.length) {
          const { bytesRead } = await fh.read(out, filled, range.length - filled, range.offset + filled);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        // A range past the end returns what exists, like an HTTP range request would.
        return filled === range.length ? out : out.subarray(0, filled);
      } finally {
        await fh.close();
      }
    } catch (e) {
      if (isMissing(e)) throw notFound(path, this.url);
      throw ioError('read', path, e);
    }
  }

  async put(path: string, data: Uint8Array): Promise<void> {
    const target = this.resolve(path);
    const temp = await this.writeTemp(path, target, data);
    try {
      await fs.rename(temp, target);
    } catch (e) {
      await removeQuietly(temp);
      throw ioError('rename into place', path, e);
    }
    await syncDir(nodePath.dirname(target));
  }

  async putIfAbsent(path: string, data: Uint8Array): Promise<PutOutcome> {
    const target = this.resolve(path);
    const temp = await this.writeTemp(path, target, data);
    try {
      await fs.link(temp, target);
    } catch (e) {
      const code = errnoCode(e);
      if (code === 'EEXIST') return { kind: 'exists' };
      // Some filesystems (FUSE mounts, SMB) have no hard links; exclusive create still keeps
      // the mutual exclusion, at the cost of a short window where readers may see a partial file.
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') {
        return exclusiveCreate(path, target, data);
      }
      throw ioError('link into place', path, e);
    } finally {
      await removeQuietly(temp);
    }
    await syncDir(nodePath.dirname(target));
    return { kind: 'written' };
  }

  async delete(path: string): Promise<void> {
    try {
      await fs.unlink(this.resolve(path));
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') return;
      throw ioError('delete', path, e);
    }
  }

  private async writeTemp(path: string, target: string, data: Uint8Array): Promise<string> {
    const temp = tempNameFor(target);
    try {
      await fs.mkdir(nodePath.dirname(target), { recursive: true });
      const fh = await fs.open(temp, 'wx');
      try {
        await fh.writeFile(data);
        await fh.sync();
      } finally {
        await fh.close();
      }
      return temp;
    } catch (e) {
      await removeQuietly(temp);
      throw ioError('write', path, e);
    }
  }

  private async walk(dirRel: string, prefix: string, out: ObjectMeta[], startAfter?: string): Promise<void> {
    let entries: Dirent[];
    try {
      const dirAbs = dirRel === '' ? this.root : nodePath.join(this.root, ...dirRel.split('/'));
      entries = await fs.readdir(dirAbs, { withFileTypes: true });
    } catch (e) {
      if (isMissing(e)) return;
      throw ioError('list', dirRel, e);
    }
    await Promise.all(
      entries.map(async (entry) => {
        const rel = dirRel === '' ? entry.name : `${dirRel}/${entry.name}`;
        const couldHoldMatches = (dir: string) =>
          `${dir}/`.startsWith(prefix) || prefix.startsWith(`${dir}/`);
        if (entry.isDirectory()) {
          if (couldHoldMatches(rel)) await this.walk(rel, prefix, out, startAfter);
          return;
        }
        if (!rel.startsWith(prefix) && !(entry.isSymbolicLink() && couldHoldMatches(rel))) return;
        if (startAfter !== undefined && entry.isFile() && compareUtf8(rel, startAfter) <= 0) return;
        let st: Stats;
        try {
          st = await fs.stat(nodePath.join(this.root, ...rel.split('/')));
        } catch (e) {
          // Files vanish between readdir and stat (a concurrent writer's temp file): skip them.
          if (isMissing(e)) return;
          throw ioError('stat', rel, e);
        }
        if (st.isFile() && rel.startsWith(prefix)) out.push(metaOf(rel, st));
        else if (st.isDirectory() && couldHoldMatches(rel)) await this.walk(rel, prefix, out, startAfter);
      }),
    );
  }
}

async function exclusiveCreate(path: string, target: string, data: Uint8Array): Promise<PutOutcome> {
  try {
    const fh = await fs.open(target, 'wx');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    return { kind: 'written' };
  } catch (e) {
    if (errnoCode(e) === 'EEXIST') return { kind: 'exists' };
    throw ioError('create', path, e);
  }
}

/** Makes a new directory entry durable; best effort because some platforms cannot open dirs. */
async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await fs.open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Durability of the entry is an optimisation over what rename/link already guarantee.
  }
}

async function removeQuietly(path: string): Promise<void> {
  try {
    await fs.unlink(path);
  } catch {
    // Already gone, or never created.
  }
}

const stripTrailingSlash = (u: string): string => (u.endsWith('/') && u !== 'file:///' ? u.slice(0, -1) : u);

const isMissing = (e: unknown): boolean => {
  const code = errnoCode(e);
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
};

const notFound = (path: string, url: string): StorageError =>
  new StorageError('NOT_FOUND', `object '${path}' does not exist in ${url}`, { path });

const ioError = (op: string, path: string, cause: unknown): StorageError =>
  cause instanceof StorageError
    ? cause
    : new StorageError(
        'IO_ERROR',
        `could not ${op} '${path}': ${cause instanceof Error ? cause.message : String(cause)}`,
        { path, cause },
      );
