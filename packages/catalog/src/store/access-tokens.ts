// Personal access tokens: issued once, stored as SHA-256, checked without exceptions.
import { looksLikeToken, newToken, tokenHash } from '../auth/tokens.js';
import type { AuthResult, CreatedToken, CreateTokenSpec, TokenInfo } from '../identity-types.js';
import { canonical } from '../names.js';
import { requirePrincipal, type StoreContext } from './context.js';
import { findPrincipal } from './identities.js';
import { type TokenRow, toToken } from './rows.js';

export async function createToken(
  ctx: StoreContext,
  user: string,
  spec: CreateTokenSpec = {},
): Promise<CreatedToken> {
  const name = canonical(user, 'user name');
  const fresh = newToken();
  const row = await ctx.driver.write(async (tx) => {
    await requirePrincipal(tx, name, 'user');
    await tx.run(
      'INSERT INTO access_tokens (id, principal, token_hash, comment, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      [fresh.id, name, fresh.hash, spec.comment ?? null, ctx.now(), spec.expiresAt?.getTime() ?? null],
    );
    return (await tx.get<TokenRow & Record<string, unknown>>('SELECT * FROM access_tokens WHERE id = ?', [
      fresh.id,
    ]))!;
  });
  return { token: fresh.token, info: toToken(row) };
}

// last_used_at is bookkeeping: refreshing it at most once a minute keeps authentication a read.
const LAST_USED_RESOLUTION_MS = 60_000;

export async function authenticateToken(ctx: StoreContext, token: string): Promise<AuthResult> {
  if (!looksLikeToken(token)) return { ok: false, reason: 'invalid_token' };
  const row = await ctx.driver.read((tx) =>
    tx.get<TokenRow & Record<string, unknown>>('SELECT * FROM access_tokens WHERE token_hash = ?', [
      tokenHash(token),
    ]),
  );
  if (row === undefined) return { ok: false, reason: 'invalid_token' };
  if (row.revoked_at !== null) return { ok: false, reason: 'revoked_token' };
  const now = ctx.now();
  if (row.expires_at !== null && Number(row.expires_at) <= now) return { ok: false, reason: 'expired_token' };
  const principal = await ctx.driver.read((tx) => findPrincipal(tx, row.principal));
  if (principal === undefined || principal.kind !== 'user') return { ok: false, reason: 'invalid_token' };
  if (principal.disabled) return { ok: false, reason: 'disabled' };
  if (row.last_used_at === null || now - Number(row.last_used_at) > LAST_USED_RESOLUTION_MS) {
    await ctx.driver.write((tx) =>
      tx.run('UPDATE access_tokens SET last_used_at = ? WHERE id = ?', [now, row.id]),
    );
  }
  return { ok: true, principal, tokenId: row.id };
}

export async function listTokens(ctx: StoreContext, user: string): Promise<TokenInfo[]> {
  const name = canonical(user, 'user name');
  const rows = await ctx.driver.read(async (tx) => {
    await requirePrincipal(tx, name, 'user');
    return tx.all<TokenRow & Record<string, unknown>>(
      'SELECT * FROM access_tokens WHERE principal = ? ORDER BY created_at, id',
      [name],
    );
  });
  return rows.map(toToken);
}

export async function revokeToken(ctx: StoreContext, id: string): Promise<boolean> {
  const changed = await ctx.driver.write((tx) =>
    tx.run('UPDATE access_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [ctx.now(), id]),
  );
  return changed > 0;
}
