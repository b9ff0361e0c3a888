// The portal's own tables: what a contact changed in the portal (its contact data, its account's billing
// address) and its notification settings. They are kept apart from the synced tables, so the next sync from
// the ERP does not overwrite what the customer entered; the portal shows these values over the ERP's.
import { migration } from "../../store/Migration.ts"
import { portalRole, systemRole } from "../../store/migrations/0002_row_level_security.ts"

const accounts = `(select portico.current_account_ids())::text[]`
const contact = `(select portico.current_contact_id())`
const invoice = `(select portico.current_invoice_id())`

const tables = ["portal_contact_details", "portal_billing_addresses", "portal_notification_settings"] as const

/** portal/0001_profile: contact details, billing addresses and notification settings entered in the portal. */
export const portalProfile = migration("portal/0001_profile", [
  `create table portico.portal_contact_details (
    contact_id text primary key references portico.contacts (id) on delete cascade,
    name text not null,
    phone text,
    updated_at timestamptz not null
  )`,
  `create table portico.portal_billing_addresses (
    account_id text primary key references portico.accounts (id) on delete cascade,
    address jsonb not null,
    email text,
    updated_by text not null,
    updated_at timestamptz not null
  )`,
  `create table portico.portal_notification_settings (
    contact_id text primary key references portico.contacts (id) on delete cascade,
    settings jsonb not null,
    updated_at timestamptz not null
  )`,
  ...tables.flatMap((table) => [
    `grant select, insert, update, delete on portico.${table} to ${systemRole}`,
    `grant select, insert, update on portico.${table} to ${portalRole}`,
    `alter table portico.${table} enable row level security`,
    `alter table portico.${table} force row level security`,
    `create policy system_all on portico.${table} to ${systemRole} using (true) with check (true)`
  ]),
  // One-invoice links may run as a role of their own (portico_invoice_link, when the store defines it): it may
  // query these tables, and the policies below give it no rows.
  `do $$ begin
    if exists (select 1 from pg_roles where rolname = 'portico_invoice_link') then
      grant select on ${tables.map((table) => `portico.${table}`).join(", ")} to portico_invoice_link;
    end if;
  end $$`,
  // A contact reads and writes only its own rows; a signed link (no contact) reaches none.
  `create policy portal_own on portico.portal_contact_details to ${portalRole}
    using (contact_id = ${contact}) with check (contact_id = ${contact})`,
  `create policy portal_own on portico.portal_notification_settings to ${portalRole}
    using (contact_id = ${contact}) with check (contact_id = ${contact})`,
  // Addresses: readable in the account scope; written only by a signed-in contact of the account (the use
  // case checks the role), never through a one-invoice link.
  `create policy portal_read on portico.portal_billing_addresses for select to ${portalRole}
    using (account_id = any(${accounts}) and ${invoice} is null)`,
  `create policy portal_insert on portico.portal_billing_addresses for insert to ${portalRole}
    with check (account_id = any(${accounts}) and ${contact} is not null and ${invoice} is null)`,
  `create policy portal_update on portico.portal_billing_addresses for update to ${portalRole}
    using (account_id = any(${accounts}) and ${contact} is not null and ${invoice} is null)
    with check (account_id = any(${accounts}) and ${contact} is not null and ${invoice} is null)`
])
