import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layering rules of docs/architecture.md, checked against the package manifests and sources.
const root = join(import.meta.dirname, '..');
const allowed: Record<string, string[]> = {
  '@loch/delta': [],
  '@loch/storage': [],
  '@loch/pgwire': [],
  '@loch/engine-duckdb': ['@loch/delta', '@duckdb/node-api'],
  '@loch/table': ['@loch/delta', '@loch/storage', '@loch/engine-duckdb'],
  '@loch/sql': ['@loch/delta', '@loch/storage', '@loch/engine-duckdb', '@loch/table', '@loch/catalog'],
  '@loch/catalog': ['better-sqlite3', 'pg'],
  '@loch/server': ['@loch/pgwire', '@loch/sql', '@loch/catalog', '@loch/engine-duckdb'],
};

function sources(dir: string): string[] {
  return (
    readdirSync(dir, { withFileTypes: true, recursive: true })
      // Tests and their helpers (*.test-util.ts, excluded from builds) may use test-only packages.
      .filter(
        (e) =>
          e.isFile() &&
          e.name.endsWith('.ts') &&
          !e.name.endsWith('.test.ts') &&
          !e.name.endsWith('.test-util.ts'),
      )
      .map((e) => join(e.parentPath, e.name))
  );
}

describe('package layering', () => {
  for (const [name, deps] of Object.entries(allowed)) {
    const dir = join(root, 'packages', name.replace('@loch/', ''));
    it(`${name} depends only on ${deps.join(', ') || 'nothing'}`, () => {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      expect(Object.keys(pkg.dependencies ?? {}).sort()).toEqual([...deps].sort());
    });
    it(`${name} sources import only their declared packages`, () => {
      const bad: string[] = [];
      for (const file of sources(join(dir, 'src'))) {
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(/from\s+'([^'.][^']*)'/g)) {
          const spec = m[1]!;
          const isNode = spec.startsWith('node:');
          const pkgName = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
          const pure = name === '@loch/delta';
          if ((isNode && pure) || (!isNode && !deps.includes(pkgName))) bad.push(`${file}: ${spec}`);
        }
      }
      expect(bad).toEqual([]);
    });
  }
  it('only @loch/engine-duckdb imports DuckDB', () => {
    const offenders: string[] = [];
    for (const pkg of ['delta', 'storage', 'table', 'sql', 'catalog', 'pgwire', 'server']) {
      for (const file of sources(join(root, 'packages', pkg, 'src'))) {
        if (readFileSync(file, 'utf8').includes('@duckdb/')) offenders.push(file);
      }
    }
    expect(offenders).toEqual([]);
  });
});
