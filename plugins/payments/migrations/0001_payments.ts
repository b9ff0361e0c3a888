// The payments plugin's tables: payment intents (what a checkout is for, its provider reference and
// outcome), received provider webhooks, saved payment methods, AutoPay enrolments and rendered receipts.
// Customers may read their accounts' rows; the plugin writes as the system role.
import { migration } from "../../../core/store/Migration.ts"
import { portalRole, systemRole } from "../../../core/store/migrations/0002_row_level_security.ts"

const accountScoped = ["payment_intents", "saved_payment_methods", "autopay_enrolments", "payment_receipts"]
const tables = [...accountScoped, "payment_webhook_events"]

/** payments/0001_payments */
export const paymentsTables = migration("payments/0001_payments", [
  `create table portico.payment_intents (
    id text primary key,
    account_id text not null references portico.accounts (id),
    contact_id text,
    kind text not null check (kind in ('invoices', 'all-open', 'advance', 'autopay', 'setup')),
    currency text not null,
    amount_minor bigint not null check (amount_minor >= 0),
    targets jsonb not null default '[]'::jsonb,
    provider text not null,
    provider_ref text,
    checkout_url text,
    status text not null default 'created'
      check (status in ('created', 'pending', 'succeeded', 'failed', 'canceled', 'mismatch')),
    payment_id text,
    erp_external_id text,
    refunded_minor bigint not null default 0 check (refunded_minor >= 0),
    created_at timestamptz not null,
    settled_at timestamptz,
    unique (provider, provider_ref)
  )`,
  `create index payment_intents_account on portico.payment_intents (account_id, created_at)`,
  `create table portico.payment_webhook_events (
    provider text not null,
    event_id text not null,
    received_at timestamptz not null,
    outcome text not null,
    primary key (provider, event_id)
  )`,
  `create table portico.saved_payment_methods (
    id text primary key,
    account_id text not null references portico.accounts (id),
    contact_id text,
    provider text not null,
    customer_ref text not null,
    method_ref text not null,
    label text not null,
    created_at timestamptz not null,
    removed_at timestamptz,
    unique (provider, method_ref, account_id)
  )`,
  `create table portico.autopay_enrolments (
    account_id text primary key references portico.accounts (id),
    contact_id text not null,
    method_id text not null references portico.saved_payment_methods (id),
    currency text not null,
    max_amount_minor bigint not null check (max_amount_minor > 0),
    enrolled_at timestamptz not null
  )`,
  `create table portico.payment_receipts (
    payment_id text primary key,
    account_id text not null references portico.accounts (id),
    format text not null,
    file_name text not null,
    content_type text not null,
    content bytea not null,
    created_at timestamptz not null
  )`,
  ...tables.map((table) => `grant select, insert, update, delete on portico.${table} to ${systemRole}`),
  ...accountScoped.map((table) => `grant select on portico.${table} to ${portalRole}`),
  ...tables.flatMap((table) => [
    `alter table portico.${table} enable row level security`,
    `alter table portico.${table} force row level security`,
    `create policy system_all on portico.${table} to ${systemRole} using (true) with check (true)`
  ]),
  ...accountScoped.map(
    (table) =>
      `create policy portal_scope on portico.${table} for select to ${portalRole}
        using (account_id = any((select portico.current_account_ids())::text[]))`
  )
])
