import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempDir } from './temp-dir.js';

describe('withTempDir', () => {
  it('gives a fresh directory and removes it with its contents', async () => {
    let seen = '';
    const out = await withTempDir(async (dir) => {
      seen = dir;
      await writeFile(join(dir, 'f.txt'), 'x');
      return 42;
    });
    expect(out).toBe(42);
    expect(seen).not.toBe('');
    expect(existsSync(seen)).toBe(false);
  });

  it('removes the directory when the callback throws', async () => {
    let seen = '';
    await expect(
      withTempDir((dir) => {
        seen = dir;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(existsSync(seen)).toBe(false);
  });

  it('gives distinct directories to concurrent callers', async () => {
    const dirs = await Promise.all([withTempDir((d) => d), withTempDir((d) => d)]);
    expect(dirs[0]).not.toBe(dirs[1]);
  });
});
