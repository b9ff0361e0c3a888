// The notifications plugin's tables: per-contact channel preferences, the receipts of invoice events already
// turned into messages, the e-mail outbox (one row per message, delivered by one job each) and the in-app
// notifications a contact reads in the portal. Row-level security follows docs/security.md.
import { migration } from "../../../core/store/Migration.ts"
import { portalRole, systemRole } from "../../../core/store/migrations/0002_row_level_security.ts"

const accounts = `(select portico.current_account_ids())::text[]`
const contact = `(select portico.current_contact_id())`

const tables = [
  "notification_preferences",
  "notification_event_receipts",
  "notification_outbox",
  "in_app_notifications"
] as const

/** notifications/0001_notifications: preferences, receipts, outbox, in-app notifications. */
export const notificationsTables = migration("notifications/0001_notifications", [
  `create table portico.notification_preferences (
    contact_id text primary key references portico.contacts (id) on delete cascade,
    locale text,
    invoice_issued_email boolean not null default true,
    invoice_issued_in_app boolean not null default true,
    status_changed_email boolean not null default true,
    status_changed_in_app boolean not null default true,
    reminder_email boolean not null default true,
    reminder_in_app boolean not null default true,
    updated_at timestamptz not null
  )`,
  // One row per invoice event already turned into messages: written in the transaction that writes them, so
  // an event seen again (the bus and the relay, or a redelivery) finds its receipt and adds nothing.
  `create table portico.notification_event_receipts (
    event_id text primary key,
    recorded_at timestamptz not null
  )`,
  // The relay reads the invoice events of the last few days: an index on the day keeps that a range scan.
  `create index if not exists notification_invoice_events_day on portico.invoice_events (occurred_on, position)`,
  `create table portico.notification_outbox (
    id text primary key,
    dedupe_key text not null unique,
    topic text not null check (topic in ('invoice-issued', 'status-changed', 'reminder')),
    contact_id text not null,
    account_id text not null,
    invoice_id text not null,
    recipient text not null,
    locale text not null,
    subject text not null,
    text_body text not null,
    html_body text,
    link text not null,
    status text not null default 'pending' check (status in ('pending', 'sent', 'cancelled')),
    job_id text,
    created_at timestamptz not null,
    sent_at timestamptz,
    cancelled_reason text
  )`,
  `create index notification_outbox_pending on portico.notification_outbox (created_at) where status = 'pending'`,
  `create index notification_outbox_invoice on portico.notification_outbox (invoice_id, topic)`,
  `create table portico.in_app_notifications (
    id text primary key,
    dedupe_key text not null unique,
    topic text not null check (topic in ('invoice-issued', 'status-changed', 'reminder')),
    contact_id text not null references portico.contacts (id) on delete cascade,
    account_id text not null,
    invoice_id text not null,
    title text not null,
    body text not null,
    link text not null,
    created_at timestamptz not null,
    read_at timestamptz
  )`,
  `create index in_app_notifications_unread on portico.in_app_notifications (contact_id, created_at desc, id)
    where read_at is null`,
  ...tables.flatMap((table) => [
    `grant select, insert, update, delete on portico.${table} to ${systemRole}`,
    `alter table portico.${table} enable row level security`,
    `alter table portico.${table} force row level security`,
    `create policy system_all on portico.${table} to ${systemRole} using (true) with check (true)`
  ]),
  // A signed-in contact reads and changes only its own preferences; a signed link (no contact) reaches none.
  `grant select, insert, update on portico.notification_preferences to ${portalRole}`,
  `create policy portal_own on portico.notification_preferences to ${portalRole}
    using (contact_id = ${contact}) with check (contact_id = ${contact})`,
  // In-app notifications: the contact's own, on the accounts in scope; it may only mark them read.
  `grant select on portico.in_app_notifications to ${portalRole}`,
  `grant update (read_at) on portico.in_app_notifications to ${portalRole}`,
  `create policy portal_own on portico.in_app_notifications for select to ${portalRole}
    using (contact_id = ${contact} and account_id = any(${accounts}))`,
  `create policy portal_mark_read on portico.in_app_notifications for update to ${portalRole}
    using (contact_id = ${contact} and account_id = any(${accounts}))
    with check (contact_id = ${contact} and account_id = any(${accounts}))`
])
