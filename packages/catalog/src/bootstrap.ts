// First-open set-up: the admin user, the `main` catalog and its `default` schema. Runs once per
// metastore, guarded by a settings row inside the write transaction, so two processes opening a
// fresh warehouse together bootstrap it exactly once.
import { generatePassword } from './auth/tokens.js';
import type { BootstrapResult } from './identity-types.js';
import type { SqlDriver, SqlTx } from './sql/driver.js';
import type { StoreContext } from './store/context.js';
import { credentialsFor, insertPrincipal, storeCredentials } from './store/identities.js';

const BOOTSTRAPPED = 'bootstrapped_at';
export const WAREHOUSE_ROOT_SETTING = 'warehouse_root';

async function setting(tx: SqlTx, key: string): Promise<string | undefined> {
  return (await tx.get<{ value: string }>('SELECT value FROM metastore_settings WHERE key = ?', [key]))
    ?.value;
}

export const readSetting = (driver: SqlDriver, key: string) => driver.read((tx) => setting(tx, key));

export async function bootstrap(
  ctx: StoreContext,
  options: { readonly adminPassword?: string; readonly warehouseRoot?: string },
): Promise<BootstrapResult> {
  if ((await readSetting(ctx.driver, BOOTSTRAPPED)) !== undefined) return { fresh: false };
  const generated =
    options.adminPassword === undefined || options.adminPassword === '' ? generatePassword() : undefined;
  const credentials = await credentialsFor(generated ?? options.adminPassword!);
  return ctx.driver.write(async (tx): Promise<BootstrapResult> => {
    // PostgreSQL: serialise concurrent first opens so the re-check below sees the winner's commit.
    await ctx.driver.migrationLock(tx);
    if ((await setting(tx, BOOTSTRAPPED)) !== undefined) return { fresh: false };
    const now = ctx.now();
    await insertPrincipal(tx, ctx, 'user', 'admin');
    await storeCredentials(tx, ctx, 'admin', credentials);
    await tx.run(
      `INSERT INTO catalogs (name, display_name, owner, comment, properties, created_at, updated_at)
       VALUES ('main', 'main', 'admin', 'Default catalog', '{}', ?, ?)`,
      [now, now],
    );
    await tx.run(
      `INSERT INTO schemas (catalog_name, name, display_name, owner, comment, properties, created_at, updated_at)
       VALUES ('main', 'default', 'default', 'admin', 'Default schema', '{}', ?, ?)`,
      [now, now],
    );
    if (options.warehouseRoot !== undefined) {
      await tx.run('INSERT INTO metastore_settings (key, value) VALUES (?, ?)', [
        WAREHOUSE_ROOT_SETTING,
        options.warehouseRoot,
      ]);
    }
    await tx.run('INSERT INTO metastore_settings (key, value) VALUES (?, ?)', [BOOTSTRAPPED, String(now)]);
    return {
      fresh: true,
      adminUser: 'admin',
      ...(generated === undefined ? {} : { generatedPassword: generated }),
    };
  });
}
