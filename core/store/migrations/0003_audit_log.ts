// The audit log: append-only (grants allow INSERT and SELECT only, and triggers refuse UPDATE, DELETE and
// TRUNCATE for everyone, the owner included), one hash chain per account, and a head table kept by a
// trigger so that cutting entries off the end of a chain is detectable too.
import { migration } from "../Migration.ts"
import { invoiceLinkRole, portalRole, systemRole } from "./0002_row_level_security.ts"

const accounts = `(select portico.current_account_ids())::text[]`

/** core/0003_audit_log: the audit table, its append-only triggers, head table and policies. */
export const auditLog = migration("core/0003_audit_log", [
  `create table portico.audit_log (
    position bigint generated always as identity primary key,
    id text not null unique,
    account_id text,
    chain text generated always as (coalesce(account_id, '')) stored,
    seq bigint not null check (seq >= 1),
    principal_kind text not null,
    principal_id text not null,
    action text not null,
    records jsonb not null,
    outcome text not null check (outcome in ('success', 'denied', 'error')),
    reason text,
    ip text,
    user_agent text,
    occurred_at timestamptz not null,
    prev_hash text not null,
    hash text not null,
    unique (chain, seq)
  )`,
  `create index audit_log_account on portico.audit_log (account_id, occurred_at)`,
  `create table portico.audit_heads (
    chain text primary key,
    seq bigint not null,
    hash text not null
  )`,
  `create function portico.audit_log_refuse_change() returns trigger
    language plpgsql
    as $$ begin raise exception 'portico.audit_log is append-only: % refused', tg_op using errcode = '42501'; end $$`,
  `create trigger audit_log_no_update_delete before update or delete on portico.audit_log
    for each row execute function portico.audit_log_refuse_change()`,
  `create trigger audit_log_no_truncate before truncate on portico.audit_log
    for each statement execute function portico.audit_log_refuse_change()`,
  // SECURITY DEFINER: the head moves with every insert, though neither role may write the head table.
  `create function portico.audit_log_advance_head() returns trigger
    language plpgsql security definer set search_path = pg_catalog, portico
    as $$ begin
      insert into portico.audit_heads (chain, seq, hash) values (new.chain, new.seq, new.hash)
      on conflict (chain) do update set seq = excluded.seq, hash = excluded.hash
      where audit_heads.seq < excluded.seq;
      return null;
    end $$`,
  `revoke execute on function portico.audit_log_advance_head() from public`,
  // Appending needs the chain's head, which a one-invoice link may not read from the log itself: this
  // function gives the head (sequence number and hash, nothing else) of a chain the caller may append to.
  `create function portico.audit_chain_head(p_chain text) returns table (seq bigint, hash text)
    language sql stable security definer set search_path = pg_catalog, portico
    as $$ select h.seq, h.hash from portico.audit_heads h where h.chain = p_chain
      and (current_setting('role') = '${systemRole}' or h.chain = any(portico.current_account_ids())) $$`,
  `revoke execute on function portico.audit_chain_head(text) from public`,
  `grant execute on function portico.audit_chain_head(text) to ${portalRole}, ${invoiceLinkRole}, ${systemRole}`,
  `create trigger audit_log_advance_head after insert on portico.audit_log
    for each row execute function portico.audit_log_advance_head()`,
  `grant select, insert on portico.audit_log to ${portalRole}, ${invoiceLinkRole}, ${systemRole}`,
  `grant select on portico.audit_heads to ${systemRole}`,
  `alter table portico.audit_log enable row level security`,
  `alter table portico.audit_log force row level security`,
  `create policy system_all on portico.audit_log to ${systemRole} using (true) with check (true)`,
  // A one-invoice link appends to its account's chain but reads none of it (no select policy for its role).
  `create policy portal_read on portico.audit_log for select to ${portalRole} using (account_id = any(${accounts}))`,
  `create policy portal_append on portico.audit_log for insert to ${portalRole}, ${invoiceLinkRole}
    with check (account_id = any(${accounts}))`
])
