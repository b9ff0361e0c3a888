// Roles, grants and row-level security. Every customer query runs as `portico_portal` with its scope in
// transaction settings; jobs run as `portico_system`. RLS is enabled AND forced on every store table, so
// even the owning role sees nothing without a policy. Scope functions are STABLE and every policy calls them
// through a scalar subselect, so the planner evaluates them once per query (an InitPlan), not per row, and
// `account_id = any(...)` can use the (account_id, ...) indexes.
import { migration } from "../Migration.ts"

/** The low-privilege role customer queries switch to. Cluster-wide, so created only if missing. */
export const portalRole = "portico_portal"
/** The role a one-invoice signed link's queries switch to: that invoice and its account's header, nothing else. */
export const invoiceLinkRole = "portico_invoice_link"
/** The role background jobs and operator commands switch to. */
export const systemRole = "portico_system"

const createRole = (role: string) => `do $$
begin
  if not exists (select 1 from pg_roles where rolname = '${role}') then
    begin
      create role ${role} nologin;
    exception when duplicate_object or unique_violation then
      null; -- another database on the cluster created it at the same moment
    end;
  end if;
  if not (select rolsuper from pg_roles where rolname = current_user) then
    execute format('grant ${role} to %I', current_user);
  end if;
end
$$`

const accounts = `(select portico.current_account_ids())::text[]`
const invoice = `(select portico.current_invoice_id())`

/**
 * Every table a customer can read, with the predicate of its `portico_portal` policy (account scope) and of its
 * `portico_invoice_link` policy (one invoice; absent: that role sees no rows). Separate roles keep the
 * one-invoice condition out of account-scoped queries, where an `OR invoice is null` term would ruin the
 * planner's row estimates and with them the choice of an ordered index scan.
 */
const customerTables: ReadonlyArray<{
  readonly table: string
  readonly portal: string
  readonly invoiceLink?: string
}> = [
  { table: "accounts", portal: `id = any(${accounts})`, invoiceLink: `id = any(${accounts})` },
  {
    table: "contacts",
    portal: `id = (select portico.current_contact_id()) or exists (
        select 1 from portico.contact_account_links l where l.contact_id = contacts.id and l.account_id = any(${accounts}))`
  },
  { table: "contact_account_links", portal: `account_id = any(${accounts})` },
  {
    table: "invoices",
    portal: `account_id = any(${accounts})`,
    invoiceLink: `account_id = any(${accounts}) and id = ${invoice}`
  },
  ...[
    "invoice_lines",
    "invoice_tax_lines",
    "invoice_events",
    "credit_notes",
    "credit_note_lines",
    "credit_note_tax_lines",
    "payment_allocations",
    "documents"
  ].map((table) => ({
    table,
    portal: `account_id = any(${accounts})`,
    invoiceLink: `account_id = any(${accounts}) and invoice_id = ${invoice}`
  })),
  {
    table: "payments",
    portal: `account_id = any(${accounts})`,
    invoiceLink: `account_id = any(${accounts}) and exists (
        select 1 from portico.payment_allocations a where a.payment_id = payments.id and a.invoice_id = ${invoice})`
  },
  { table: "signed_links", portal: `account_id = any(${accounts})` }
]

/** Store tables no customer reads: only the system role has a policy on them. */
const systemOnlyTables = ["sync_cursors", "quarantine"]

const allTables = [...customerTables.map(({ table }) => table), ...systemOnlyTables]

/** core/0002_row_level_security: roles, scope functions, grants and forced RLS with indexable policies. */
export const rowLevelSecurity = migration("core/0002_row_level_security", [
  createRole(portalRole),
  createRole(invoiceLinkRole),
  createRole(systemRole),
  // The scope arrives as a JSON array so account ids may hold any character, commas included.
  `create function portico.current_account_ids() returns text[]
    language sql stable parallel safe
    as $$ select coalesce(array(select jsonb_array_elements_text(
      nullif(current_setting('portico.account_ids', true), '')::jsonb)), '{}'::text[]) $$`,
  `create function portico.current_invoice_id() returns text
    language sql stable parallel safe
    as $$ select nullif(current_setting('portico.invoice_id', true), '') $$`,
  `create function portico.current_contact_id() returns text
    language sql stable parallel safe
    as $$ select nullif(current_setting('portico.contact_id', true), '') $$`,
  `grant usage on schema portico to ${portalRole}, ${invoiceLinkRole}, ${systemRole}`,
  `grant execute on all functions in schema portico to ${portalRole}, ${invoiceLinkRole}, ${systemRole}`,
  ...customerTables.map(({ table }) => `grant select on portico.${table} to ${portalRole}, ${invoiceLinkRole}`),
  ...allTables.map((table) => `grant select, insert, update, delete on portico.${table} to ${systemRole}`),
  `grant usage on all sequences in schema portico to ${systemRole}`,
  ...allTables.flatMap((table) => [
    `alter table portico.${table} enable row level security`,
    `alter table portico.${table} force row level security`,
    `create policy system_all on portico.${table} to ${systemRole} using (true) with check (true)`
  ]),
  ...customerTables.map(
    ({ table, portal }) =>
      `create policy portal_scope on portico.${table} for select to ${portalRole} using (${portal})`
  ),
  ...customerTables.flatMap(({ table, invoiceLink }) =>
    invoiceLink === undefined
      ? []
      : [`create policy invoice_link_scope on portico.${table} for select to ${invoiceLinkRole} using (${invoiceLink})`]
  )
])
