// The comments plugin's table: every thread entry of every invoice, append-only for customers, with forced
// row-level security that reuses the store's scope functions and roles (see core/store 0002 and docs/security.md).
import { migration } from "../../core/store/Migration.ts"
import { invoiceLinkRole, portalRole, systemRole } from "../../core/store/migrations/0002_row_level_security.ts"

const accounts = `(select portico.current_account_ids())::text[]`
const invoice = `(select portico.current_invoice_id())`
const contact = `(select portico.current_contact_id())`

// A customer writes only comments, as themselves, on an invoice of an account in scope. The subselect on
// invoices runs under the writer's own policies, so an invoice outside the scope is as good as missing.
const customerInsert = `kind = 'comment' and side = 'customer'
  and ((author_kind = 'contact' and author_id = ${contact}) or (author_kind = 'link' and ${contact} is null))
  and exists (select 1 from portico.invoices i
    where i.id = invoice_comments.invoice_id and i.account_id = invoice_comments.account_id)`

/** comments/0001_invoice_comments: the thread table, its indexes, grants and policies. */
export const invoiceComments = migration("comments/0001_invoice_comments", [
  `create table portico.invoice_comments (
    id text primary key,
    position bigint generated always as identity,
    invoice_id text not null references portico.invoices (id) on delete cascade,
    account_id text not null,
    kind text not null check (kind in ('comment', 'resolved')),
    side text not null check (side in ('customer', 'business')),
    author_kind text not null check (author_kind in ('contact', 'link', 'system')),
    author_id text not null,
    body text not null check (length(body) <= 4000),
    created_at timestamptz not null,
    check (kind = 'resolved' or length(body) >= 1),
    check (kind = 'comment' or side = 'business')
  )`,
  // The thread of one invoice, in order; leading account_id lets the policies' account condition use it.
  `create index invoice_comments_thread on portico.invoice_comments (account_id, invoice_id, position)`,
  // The business's queue lists disputed invoices; few are, so a partial index finds them without a scan.
  `create index comments_invoices_disputed on portico.invoices (id) where status = 'disputed'`,
  `grant select, insert on portico.invoice_comments to ${portalRole}, ${invoiceLinkRole}`,
  `grant select, insert, update, delete on portico.invoice_comments to ${systemRole}`,
  `alter table portico.invoice_comments enable row level security`,
  `alter table portico.invoice_comments force row level security`,
  `create policy system_all on portico.invoice_comments to ${systemRole} using (true) with check (true)`,
  `create policy portal_scope on portico.invoice_comments for select to ${portalRole}
    using (account_id = any(${accounts}))`,
  `create policy invoice_link_scope on portico.invoice_comments for select to ${invoiceLinkRole}
    using (account_id = any(${accounts}) and invoice_id = ${invoice})`,
  `create policy portal_insert on portico.invoice_comments for insert to ${portalRole}
    with check (account_id = any(${accounts}) and ${customerInsert})`,
  `create policy invoice_link_insert on portico.invoice_comments for insert to ${invoiceLinkRole}
    with check (account_id = any(${accounts}) and invoice_id = ${invoice} and ${customerInsert})`
])

/** Every migration of the comments plugin, oldest first. */
export const commentsMigrations = [invoiceComments]
