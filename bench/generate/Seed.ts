// The benchmark data generator: seeds accounts and invoices into a migrated store entirely inside the
// database (INSERT ... SELECT generate_series), with the invoice indexes dropped during the load and
// rebuilt afterwards, which is several times faster than maintaining them row by row.
import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/** How much to seed. */
export interface SeedOptions {
  readonly accounts: number
  readonly invoices: number
  /** The share of all invoices that belong to the first ("big") account, 0..1; the rest are spread evenly. */
  readonly bigAccountShare: number
  /** Rows per INSERT statement; smaller chunks report progress more often. */
  readonly chunk?: number
  /** Called after each chunk with the invoices seeded so far. */
  readonly onProgress?: (seeded: number) => void
}

/** What was seeded: the big account's id and invoice count, and a contact linked to it as `viewer`. */
export interface SeedResult {
  readonly bigAccountId: string
  readonly bigAccountInvoices: number
  readonly typicalAccountId: string
  readonly contactId: string
}

/** The id of the account with 1-based number `n`. */
export const accountId = (n: number): string => `acc-${String(n).padStart(6, "0")}`

/** How many invoices the big account gets. */
export const bigAccountInvoices = (options: SeedOptions): number =>
  options.accounts <= 1 ? options.invoices : Math.floor(options.invoices * options.bigAccountShare)

/**
 * Seeds `accounts` accounts and `invoices` invoices into an empty, migrated store. Invoice `i` gets a
 * deterministic issue date over three years, a due date 30 days on, an amount, a status mix (60% paid,
 * 25% open, 10% partially paid, 5% disputed) and the matching open balance.
 */
export const seed = Effect.fn("Seed.seed")(function* (options: SeedOptions) {
  const sql = yield* SqlClient.SqlClient
  const big = bigAccountInvoices(options)
  const others = Math.max(1, options.accounts - 1)
  yield* sql`set synchronous_commit = off`
  yield* sql`set maintenance_work_mem = '512MB'`

  yield* sql.unsafe(
    `insert into portico.accounts (id, source, external_id, number, name, tier, currency, content_hash)
     select 'acc-' || lpad(g::text, 6, '0'), 'bench', g::text, 'C' || g, 'Customer ' || g,
            case when g % 10 = 0 then 'premium' else 'standard' end, 'EUR', md5(g::text)
     from generate_series(1, $1::int) g`,
    [options.accounts]
  )
  yield* sql`insert into portico.contacts (id, source, external_id, email, name, content_hash)
    values ('bench-contact', 'bench', 'bench-contact', 'viewer@bench.example', 'Bench Viewer', 'x')`
  yield* sql`insert into portico.contact_account_links (contact_id, account_id, role)
    values ('bench-contact', ${accountId(1)}, 'viewer'), ('bench-contact', ${accountId(2)}, 'viewer')`

  const indexes = yield* sql<{ readonly name: string; readonly definition: string }>`
    select i.indexname as name, i.indexdef as definition from pg_indexes i
    where i.schemaname = 'portico' and i.tablename = 'invoices'
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`
  for (const index of indexes) yield* sql.unsafe(`drop index portico.${quoteIdent(index.name)}`)

  const chunk = options.chunk ?? 250_000
  for (let from = 1; from <= options.invoices; from += chunk) {
    const to = Math.min(options.invoices, from + chunk - 1)
    yield* sql.unsafe(invoiceInsert, [from, to, big, others])
    options.onProgress?.(to)
  }
  for (const index of indexes) yield* sql.unsafe(index.definition)
  yield* sql`analyze portico.accounts`
  yield* sql`analyze portico.invoices`
  return {
    bigAccountId: accountId(1),
    bigAccountInvoices: big,
    typicalAccountId: accountId(Math.min(options.accounts, 2)),
    contactId: "bench-contact"
  } satisfies SeedResult
})

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`

// $1..$2: the invoice numbers of this chunk; $3: how many go to account 1; $4: how many other accounts.
const invoiceInsert = `
  insert into portico.invoices (id, account_id, source, external_id, number, po_number, terms, issue_date,
    due_date, currency, net_minor, tax_minor, total_minor, paid_minor, open_minor, status, content_hash)
  select 'inv-' || lpad(i::text, 8, '0'),
         case when i <= $3::int then 'acc-000001'
              else 'acc-' || lpad((2 + (i % $4::int))::text, 6, '0') end,
         'bench', i::text, 'INV-' || lpad(i::text, 8, '0'), 'PO-' || ((i * 31) % 100000), 'Net 30',
         issue, issue + 30, 'EUR', total * 100 / 119, total - total * 100 / 119, total,
         total - open, open, status, md5(i::text)
  from generate_series($1::bigint, $2::bigint) i
  cross join lateral (select date '2023-01-01' + ((i * 7919) % 1095)::int as issue,
                             (1000 + (i::bigint * 104729) % 500000)::bigint as total,
                             case when i % 20 < 12 then 'paid' when i % 20 < 17 then 'open'
                                  when i % 20 < 19 then 'partially-paid' else 'disputed' end as status) d
  cross join lateral (select case d.status when 'paid' then 0::bigint when 'partially-paid' then d.total / 2
                                  else d.total end as open) o`
