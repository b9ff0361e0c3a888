// Roles, grants and row-level security. Every customer query runs as `portico_portal` with its scope in
// transaction settings; jobs run as `portico_system`. RLS is enabled AND forced on every store table, so
// even the owning role sees nothing without a policy. Scope functions are STABLE and every policy calls them
// through a scalar subselect, so the planner evaluates them once per query (an InitPlan), not per row, and
// `account_id = any(...)` can use the (account_id, ...) indexes.
import { migration } from "../Migration.ts"

/** The low-privilege role customer queries switch to. Cluster-wide, so created only if missing. */
export const portalRole = "portico_portal"
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

/** Every table a customer can read, with the predicate its portal policy applies. */
const portalPolicies: ReadonlyArray<readonly [table: string, using: string]> = [
  ["accounts", `id = any(${accounts})`],
  [
    "contacts",
    `${invoice} is null and (id = (select portico.current_contact_id()) or exists (
      select 1 from portico.contact_account_links l where l.contact_id = contacts.id and l.account_id = any(${accounts})))`
  ],
  ["contact_account_links", `${invoice} is null and account_id = any(${accounts})`],
  ["invoices", `account_id = any(${accounts}) and (${invoice} is null or id = ${invoice})`],
  ["invoice_lines", `account_id = any(${accounts}) and (${invoice} is null or invoice_id = ${invoice})`],
  ["invoice_tax_lines", `account_id = any(${accounts}) and (${invoice} is null or invoice_id = ${invoice})`],
  ["invoice_events", `account_id = any(${accounts}) and (${invoice} is null or invoice_id = ${invoice})`],
  ["credit_notes", `account_id = any(${accounts}) and (${invoice} is null or invoice_id = ${invoice})`],
  ["credit_note_lines", `account_id = any(${accounts}) and (${invoice} is null or invoice_id = ${invoice})`],
  ["credit_note_tax_lines", `account_id = any(${accounts}) and (${invoice} is null or invoice_id = ${invoice})`],
  [
    "payments",
    `account_id = any(${accounts}) and (${invoice} is null or exists (
      select 1 from portico.payment_allocations a where a.payment_id = payments.id and a.invoice_id = ${invoice}))`
  ],
  ["payment_allocations", `account_id = any(${accounts}) and (${invoice} is null or invoice_id = ${invoice})`],
  ["documents", `account_id = any(${accounts}) and (${invoice} is null or invoice_id = ${invoice})`],
  ["signed_links", `${invoice} is null and account_id = any(${accounts})`]
]

/** Store tables no customer reads: only the system role has a policy on them. */
const systemOnlyTables = ["sync_cursors", "quarantine"]

const allTables = [...portalPolicies.map(([table]) => table), ...systemOnlyTables]

/** core/0002_row_level_security: roles, scope functions, grants and forced RLS with indexable policies. */
export const rowLevelSecurity = migration("core/0002_row_level_security", [
  createRole(portalRole),
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
  `grant usage on schema portico to ${portalRole}, ${systemRole}`,
  `grant execute on all functions in schema portico to ${portalRole}, ${systemRole}`,
  ...portalPolicies.map(([table]) => `grant select on portico.${table} to ${portalRole}`),
  ...allTables.map((table) => `grant select, insert, update, delete on portico.${table} to ${systemRole}`),
  `grant usage on all sequences in schema portico to ${systemRole}`,
  ...allTables.flatMap((table) => [
    `alter table portico.${table} enable row level security`,
    `alter table portico.${table} force row level security`,
    `create policy system_all on portico.${table} to ${systemRole} using (true) with check (true)`
  ]),
  ...portalPolicies.map(
    ([table, using]) => `create policy portal_scope on portico.${table} for select to ${portalRole} using (${using})`
  )
])
