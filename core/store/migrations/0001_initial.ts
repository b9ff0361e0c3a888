// The store's tables: accounts, contacts and their links, invoices with lines, tax lines, events and
// denormalised balances, credit notes, payments and allocations, documents, sync cursors, quarantine and
// signed links. Money is bigint minor units with the currency beside it. Security comes in 0002.
import { migration } from "../Migration.ts"

const statuses = `'open', 'partially-paid', 'paid', 'credited', 'disputed', 'void', 'written-off'`

const lineColumns = `
  line_number int not null check (line_number >= 1),
  description text not null,
  product_code text,
  unit text,
  quantity numeric not null,
  unit_price numeric not null,
  discount_percent numeric,
  discount_amount numeric,
  tax_rate numeric not null,
  tax_code text,
  stated_net_minor bigint`

const taxLineColumns = `
  position int not null,
  code text not null,
  rate numeric not null,
  taxable_minor bigint not null,
  tax_minor bigint not null`

/** core/0001_initial: the tables and the indexes the portal's queries use. */
export const initial = migration("core/0001_initial", [
  `create extension if not exists pg_trgm`,
  `create table portico.accounts (
    id text primary key,
    source text not null,
    external_id text not null,
    number text not null,
    name text not null,
    tier text not null,
    currency text not null,
    email text,
    tax_id text,
    billing_address jsonb,
    content_hash text not null,
    revision int not null default 1,
    updated_at timestamptz not null default now(),
    unique (source, external_id)
  )`,
  `create table portico.contacts (
    id text primary key,
    source text not null,
    external_id text not null,
    email text not null,
    name text not null,
    phone text,
    content_hash text not null,
    revision int not null default 1,
    updated_at timestamptz not null default now(),
    unique (source, external_id)
  )`,
  `create unique index contacts_email on portico.contacts (lower(email))`,
  `create table portico.contact_account_links (
    contact_id text not null references portico.contacts (id) on delete cascade,
    account_id text not null references portico.accounts (id) on delete cascade,
    role text not null check (role in ('admin', 'finance-approver', 'ap-contact', 'viewer')),
    primary key (contact_id, account_id)
  )`,
  `create index contact_account_links_account on portico.contact_account_links (account_id)`,
  `create table portico.invoices (
    id text primary key,
    account_id text not null references portico.accounts (id),
    source text not null,
    external_id text not null,
    number text not null,
    po_number text,
    terms text,
    issue_date date not null,
    due_date date not null,
    currency text not null,
    net_minor bigint not null,
    tax_minor bigint not null,
    total_minor bigint not null,
    paid_minor bigint not null default 0,
    credited_minor bigint not null default 0,
    written_off_minor bigint not null default 0,
    open_minor bigint not null,
    excess_minor bigint not null default 0,
    status text not null check (status in (${statuses})),
    content_hash text not null,
    revision int not null default 1,
    updated_at timestamptz not null default now(),
    unique (source, external_id)
  )`,
  `create index invoices_issue_date on portico.invoices (account_id, issue_date, id)`,
  `create index invoices_due_date on portico.invoices (account_id, due_date, id)`,
  `create index invoices_total on portico.invoices (account_id, total_minor, id)`,
  `create index invoices_number on portico.invoices (account_id, number, id)`,
  `create index invoices_open on portico.invoices (account_id, status, due_date)`,
  `create index invoices_number_trgm on portico.invoices using gin (number gin_trgm_ops)`,
  `create index invoices_po_number_trgm on portico.invoices using gin (po_number gin_trgm_ops)`,
  `create table portico.invoice_lines (
    invoice_id text not null references portico.invoices (id) on delete cascade,
    account_id text not null,
    ${lineColumns},
    primary key (invoice_id, line_number)
  )`,
  `create table portico.invoice_tax_lines (
    invoice_id text not null references portico.invoices (id) on delete cascade,
    account_id text not null,
    ${taxLineColumns},
    primary key (invoice_id, position)
  )`,
  `create table portico.invoice_events (
    event_id text primary key,
    position bigint generated always as identity,
    invoice_id text not null references portico.invoices (id) on delete cascade,
    account_id text not null,
    type text not null,
    payload jsonb not null,
    occurred_on date not null,
    recorded_at timestamptz not null default now()
  )`,
  `create index invoice_events_invoice on portico.invoice_events (invoice_id, occurred_on, position)`,
  `create table portico.credit_notes (
    id text primary key,
    account_id text not null references portico.accounts (id),
    source text not null,
    external_id text not null,
    number text not null,
    issue_date date not null,
    currency text not null,
    invoice_id text,
    reason text,
    net_minor bigint not null,
    tax_minor bigint not null,
    total_minor bigint not null,
    content_hash text not null,
    revision int not null default 1,
    updated_at timestamptz not null default now(),
    unique (source, external_id)
  )`,
  `create index credit_notes_account on portico.credit_notes (account_id, issue_date, id)`,
  `create index credit_notes_invoice on portico.credit_notes (invoice_id)`,
  `create table portico.credit_note_lines (
    credit_note_id text not null references portico.credit_notes (id) on delete cascade,
    account_id text not null,
    invoice_id text,
    ${lineColumns},
    primary key (credit_note_id, line_number)
  )`,
  `create table portico.credit_note_tax_lines (
    credit_note_id text not null references portico.credit_notes (id) on delete cascade,
    account_id text not null,
    invoice_id text,
    ${taxLineColumns},
    primary key (credit_note_id, position)
  )`,
  `create table portico.payments (
    id text primary key,
    account_id text not null references portico.accounts (id),
    source text not null,
    external_id text not null,
    reference text not null,
    received_date date not null,
    currency text not null,
    amount_minor bigint not null,
    method text,
    content_hash text not null,
    revision int not null default 1,
    updated_at timestamptz not null default now(),
    unique (source, external_id)
  )`,
  `create index payments_account on portico.payments (account_id, received_date, id)`,
  `create table portico.payment_allocations (
    payment_id text not null references portico.payments (id) on delete cascade,
    account_id text not null,
    invoice_id text not null,
    currency text not null,
    amount_minor bigint not null,
    primary key (payment_id, invoice_id)
  )`,
  `create index payment_allocations_invoice on portico.payment_allocations (invoice_id)`,
  `create table portico.documents (
    id text primary key,
    account_id text not null references portico.accounts (id),
    source text not null,
    external_id text not null,
    invoice_id text,
    file_name text not null,
    content_type text not null,
    size int not null check (size >= 0),
    sha256 text not null,
    content bytea not null,
    content_hash text not null,
    revision int not null default 1,
    updated_at timestamptz not null default now(),
    unique (source, external_id)
  )`,
  `create index documents_account on portico.documents (account_id, id)`,
  `create index documents_invoice on portico.documents (invoice_id)`,
  `create table portico.sync_cursors (
    source text not null,
    entity text not null,
    cursor text not null,
    updated_at timestamptz not null default now(),
    primary key (source, entity)
  )`,
  `create table portico.quarantine (
    id bigint generated always as identity primary key,
    source text not null,
    entity text not null,
    external_id text,
    reason text not null,
    raw text not null,
    created_at timestamptz not null default now(),
    resolved boolean not null default false,
    resolved_at timestamptz
  )`,
  `create index quarantine_open on portico.quarantine (source, entity, id) where not resolved`,
  `create table portico.signed_links (
    id text primary key,
    account_id text not null references portico.accounts (id),
    invoice_id text,
    contact_id text,
    permissions text[] not null,
    token_hash text,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    revoked_at timestamptz
  )`,
  `create index signed_links_account on portico.signed_links (account_id, created_at)`,
  `create function portico.status_as_of(status text, due_date date, as_of date) returns text
    language sql immutable parallel safe
    as $$ select case when status in ('open', 'partially-paid') and due_date < as_of then 'overdue' else status end $$`
])
