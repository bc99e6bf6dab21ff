// Principals (users and groups share one namespace, so a grant names exactly one of them) and the
// outcomes of authentication, which are values rather than exceptions: a wrong password is an
// expected event the server answers, not a failure of the metastore.

export type PrincipalKind = 'user' | 'group';

export interface Principal {
  readonly kind: PrincipalKind;
  /** Canonical (lower-case) name. */
  readonly name: string;
  readonly displayName: string;
  readonly createdAt: Date;
}

export interface UserInfo extends Principal {
  readonly kind: 'user';
  readonly hasPassword: boolean;
  readonly disabled: boolean;
}

export interface GroupInfo extends Principal {
  readonly kind: 'group';
}

export interface TokenInfo {
  /** Public id used to list and revoke; the secret itself is never stored. */
  readonly id: string;
  readonly principal: string;
  readonly comment?: string;
  readonly createdAt: Date;
  readonly expiresAt?: Date;
  readonly revokedAt?: Date;
  readonly lastUsedAt?: Date;
}

export interface CreatedToken {
  /** The secret, shown once: only its SHA-256 is stored. */
  readonly token: string;
  readonly info: TokenInfo;
}

export type AuthFailureReason =
  | 'unknown_principal'
  | 'wrong_password'
  | 'no_password'
  | 'disabled'
  | 'invalid_token'
  | 'expired_token'
  | 'revoked_token';

/** Servers should show clients one generic message and keep `reason` for the audit log. */
export type AuthResult =
  | { readonly ok: true; readonly principal: UserInfo; readonly tokenId?: string }
  | { readonly ok: false; readonly reason: AuthFailureReason };

export interface CreateUserSpec {
  readonly name: string;
  readonly password?: string;
  readonly ifNotExists?: boolean;
}

export interface CreateTokenSpec {
  readonly comment?: string;
  /** Absolute expiry; absent means the token never expires. */
  readonly expiresAt?: Date;
}

/** What opening a metastore did the first time; the CLI prints a generated password once. */
export type BootstrapResult =
  | { readonly fresh: false }
  | { readonly fresh: true; readonly adminUser: 'admin'; readonly generatedPassword?: string };
