// The starter's sign-in tables: sessions, single-use e-mail sign-in tokens, used single-use links, TOTP
// secrets, recovery codes and rate-limit buckets. Only the system role reaches them (forced RLS, one
// `system_all` policy each): sign-in runs before anyone is a principal, and no customer query needs them.
import { migration } from "../../core/store/Migration.ts"
import { systemRole } from "../../core/store/migrations/0002_row_level_security.ts"

const tables = [
  "auth_sessions",
  "auth_login_tokens",
  "auth_link_uses",
  "auth_totp",
  "auth_recovery_codes",
  "auth_rate_limits"
] as const

/** starter/0001_auth: the sign-in tables, system-only. Secrets are stored as hashes or sealed, never in clear. */
export const authTables = migration("starter/0001_auth", [
  // The session id lives only in the visitor's cookie; the table keeps its sha256, so a copy of the table
  // cannot be replayed as cookies.
  `create table portico.auth_sessions (
    id_hash text primary key,
    kind text not null check (kind in ('contact', 'link')),
    contact_id text references portico.contacts (id) on delete cascade,
    link_id text,
    account_id text not null,
    invoice_id text,
    permissions text[] not null default '{}',
    stage text not null check (stage in ('second-factor', 'complete')),
    return_to text,
    ip text,
    user_agent text,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    revoked_at timestamptz,
    check ((kind = 'contact') = (contact_id is not null)),
    check ((kind = 'link') = (link_id is not null))
  )`,
  `create index auth_sessions_contact on portico.auth_sessions (contact_id) where contact_id is not null`,
  `create index auth_sessions_link on portico.auth_sessions (link_id) where link_id is not null`,
  `create table portico.auth_login_tokens (
    token_hash text primary key,
    contact_id text not null references portico.contacts (id) on delete cascade,
    return_to text,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    used_at timestamptz
  )`,
  `create index auth_login_tokens_contact on portico.auth_login_tokens (contact_id)`,
  `create table portico.auth_link_uses (
    link_id text primary key,
    used_at timestamptz not null
  )`,
  `create table portico.auth_totp (
    contact_id text primary key references portico.contacts (id) on delete cascade,
    secret_sealed text not null,
    enabled_at timestamptz,
    last_step bigint,
    created_at timestamptz not null
  )`,
  `create table portico.auth_recovery_codes (
    contact_id text not null references portico.contacts (id) on delete cascade,
    code_hash text not null,
    used_at timestamptz,
    primary key (contact_id, code_hash)
  )`,
  `create table portico.auth_rate_limits (
    bucket text primary key,
    window_start timestamptz not null,
    hits int not null
  )`,
  ...tables.flatMap((table) => [
    `grant select, insert, update, delete on portico.${table} to ${systemRole}`,
    `alter table portico.${table} enable row level security`,
    `alter table portico.${table} force row level security`,
    `create policy system_all on portico.${table} to ${systemRole} using (true) with check (true)`
  ])
])
