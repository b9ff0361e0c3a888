// The conformance kit's source fixture for the SQL adapter: tables on a real PostgreSQL database that can
// hold any canonical account, contact, invoice (with lines), credit note (with lines), payment (with
// allocations) and document (its bytes in a bytea column), the SELECTs and mappings that read them back, and
// every write stamped with a growing `changed_at` (microsecond steps) so incremental reads see exactly the changes.
import { Effect, type Scope } from "effect"
import type { SqlClient } from "effect/sql/SqlClient"
import type { SqlError } from "effect/sql/SqlError"
import { sqlAdapter } from "../../../../adapters/sql/SqlAdapter.ts"
import { documentBytes } from "../../../../adapters/testkit/Arbitraries.ts"
import type { SourceFixture } from "../../../../adapters/testkit/SourceFixture.ts"
import { type DocumentLine, Money } from "../../../../core/domain/index.ts"
import { type CanonicalRecord, canonical, type EntityName, makeAdapter } from "../../../../core/erp/index.ts"
import { changedAt, type ErpDatabase } from "./ErpDatabase.ts"

const stamp = "changed_at timestamptz not null"
const kitSchema = (schema: string) => [
  `create table ${schema}.kit_accounts (number text primary key, name text, tier text, currency text, email text,
    tax_id text, address_line1 text, address_line2 text, city text, postal_code text, country text, ${stamp})`,
  `create table ${schema}.kit_contacts (id text primary key, email text, name text, phone text, account_number text,
    role text, ${stamp})`,
  `create table ${schema}.kit_invoices (number text primary key, account_number text, issue_date date, due_date date,
    currency text, terms text, po_number text, net numeric, tax numeric, total numeric, ${stamp})`,
  `create table ${schema}.kit_credit_notes (number text primary key, account_number text, issue_date date, currency text,
    invoice_number text, reason text, net numeric, tax numeric, total numeric, ${stamp})`,
  ...["kit_invoice_lines", "kit_credit_note_lines"].map(
    (table) => `create table ${schema}.${table} (document text not null, line_number integer not null, description text,
      product_code text, unit text, quantity numeric, unit_price numeric, discount_percent numeric,
      discount_amount numeric, tax_rate numeric, tax_code text, line_net numeric,
      primary key (document, line_number))`
  ),
  `create table ${schema}.kit_payments (id text primary key, account_number text, reference text, received_date date,
    currency text, amount numeric, method text, ${stamp})`,
  `create table ${schema}.kit_allocations (payment_id text not null, position integer not null, invoice_number text,
    amount numeric, primary key (payment_id, position))`,
  `create table ${schema}.kit_documents (id text primary key, account_number text, invoice_number text,
    file_name text, content_type text, content bytea, ${stamp})`
]

const lineQuery = (schema: string, table: "kit_invoice_lines" | "kit_credit_note_lines") => ({
  select: `select document, line_number, description, product_code, unit, quantity, unit_price,
      discount_percent, discount_amount, tax_rate, tax_code, line_net
    from ${schema}.${table}`,
  parentKey: ["document"],
  orderBy: ["line_number"],
  mapping: {
    lineNumber: "line_number",
    description: "description",
    productCode: "product_code",
    unit: "unit",
    quantity: "quantity",
    unitPrice: "unit_price",
    discountPercent: "discount_percent",
    discountAmount: "discount_amount",
    taxRate: "tax_rate",
    taxCode: "tax_code",
    lineNet: "line_net"
  }
})

/** The adapter's entity settings for the kit tables in `schema`. */
export const kitEntities = (schema: string) => ({
  accounts: {
    select: `select * from ${schema}.kit_accounts`,
    primaryKey: ["number"],
    cursorColumn: "changed_at",
    mapping: {
      number: "number",
      name: "name",
      tier: "tier",
      currency: "currency",
      email: "email",
      taxId: "tax_id",
      addressLine1: "address_line1",
      addressLine2: "address_line2",
      city: "city",
      postalCode: "postal_code",
      country: "country"
    }
  },
  contacts: {
    select: `select * from ${schema}.kit_contacts`,
    primaryKey: ["id"],
    cursorColumn: "changed_at",
    mapping: { email: "email", name: "name", phone: "phone", accountNumber: "account_number", role: "role" }
  },
  invoices: {
    select: `select * from ${schema}.kit_invoices`,
    primaryKey: ["number"],
    cursorColumn: "changed_at",
    mapping: {
      number: "number",
      accountNumber: "account_number",
      issueDate: "issue_date",
      dueDate: "due_date",
      currency: "currency",
      terms: "terms",
      poNumber: "po_number",
      netTotal: "net",
      taxTotal: "tax",
      total: "total"
    },
    lines: lineQuery(schema, "kit_invoice_lines")
  },
  "credit-notes": {
    select: `select * from ${schema}.kit_credit_notes`,
    primaryKey: ["number"],
    cursorColumn: "changed_at",
    mapping: {
      number: "number",
      accountNumber: "account_number",
      issueDate: "issue_date",
      currency: "currency",
      invoiceNumber: "invoice_number",
      reason: "reason",
      netTotal: "net",
      taxTotal: "tax",
      total: "total"
    },
    lines: lineQuery(schema, "kit_credit_note_lines")
  },
  payments: {
    select: `select * from ${schema}.kit_payments`,
    primaryKey: ["id"],
    cursorColumn: "changed_at",
    mapping: {
      reference: "reference",
      accountNumber: "account_number",
      receivedDate: "received_date",
      currency: "currency",
      amount: "amount",
      method: "method"
    },
    allocations: {
      select: `select payment_id, position, invoice_number, amount from ${schema}.kit_allocations`,
      parentKey: ["payment_id"],
      orderBy: ["position"],
      mapping: { invoiceNumber: "invoice_number", amount: "amount" }
    }
  },
  documents: {
    // The size is the database's count of the bytes; the bytes themselves are read by `content`.
    select: `select id, account_number, invoice_number, file_name, content_type, octet_length(content) as size,
        content, changed_at
      from ${schema}.kit_documents`,
    primaryKey: ["id"],
    cursorColumn: "changed_at",
    contentColumn: "content",
    mapping: {
      accountNumber: "account_number",
      invoiceNumber: "invoice_number",
      fileName: "file_name",
      contentType: "content_type",
      size: "size"
    }
  }
})

const entities: ReadonlyArray<EntityName> = [
  "accounts",
  "contacts",
  "invoices",
  "credit-notes",
  "payments",
  "documents"
]

/** What the kit tables hold of a record: documents without a stated hash (the engine computes it). */
const represent = (record: CanonicalRecord): CanonicalRecord => {
  if (record.entity !== "documents") return record
  const { sha256: _hash, ...rest } = record.value
  return canonical("documents", rest)
}

/**
 * Writes one canonical record as rows (replacing any earlier version), stamped `version`. `corrupt` stores a
 * currency (or role) no canonical record can have, so the adapter must reject it.
 */
const write = (sql: SqlClient, sourceId: string, record: CanonicalRecord, version: number, corrupt = false) => {
  const at = changedAt(version)
  const local = (id: string) => (id.startsWith(`${sourceId}:`) ? id.slice(sourceId.length + 1) : id)
  const amount = (money: Money.Money) => Money.toDecimal(money)
  const currency = (code: string) => (corrupt ? "EURO" : code)
  const lines = (
    table: "kit_invoice_lines" | "kit_credit_note_lines",
    document: string,
    lines: ReadonlyArray<DocumentLine>
  ) =>
    Effect.gen(function* () {
      yield* sql`delete from ${sql(table)} where document = ${document}`
      for (const l of lines)
        yield* sql`insert into ${sql(table)} values (${document}, ${l.lineNumber}, ${l.description},
          ${l.productCode ?? null}, ${l.unit ?? null}, ${l.quantity}::numeric, ${l.unitPrice}::numeric,
          ${l.discountPercent ?? null}::numeric, ${l.discountAmount ?? null}::numeric, ${l.taxRate}::numeric,
          ${l.taxCode ?? null}, ${l.statedNet === undefined ? null : amount(l.statedNet)}::numeric)`
    })
  switch (record.entity) {
    case "accounts": {
      const a = record.value
      const address = a.billingAddress
      return sql`insert into kit_accounts values (${a.number}, ${a.name}, ${a.tier}, ${currency(a.currency)},
          ${a.email ?? null}, ${a.taxId ?? null}, ${address?.lines[0] ?? null}, ${address?.lines[1] ?? null},
          ${address?.city ?? null}, ${address?.postalCode ?? null}, ${address?.country ?? null}, ${at}::timestamptz)
        on conflict (number) do update set name = excluded.name, tier = excluded.tier, currency = excluded.currency,
          email = excluded.email, tax_id = excluded.tax_id, address_line1 = excluded.address_line1,
          address_line2 = excluded.address_line2, city = excluded.city, postal_code = excluded.postal_code,
          country = excluded.country, changed_at = excluded.changed_at`.pipe(Effect.asVoid)
    }
    case "contacts": {
      const c = record.value
      const link = c.links[0]
      return sql`insert into kit_contacts values (${c.source.externalId}, ${c.email}, ${c.name}, ${c.phone ?? null},
          ${link === undefined ? null : local(link.accountId)}, ${corrupt ? "boss" : (link?.role ?? null)}, ${at}::timestamptz)
        on conflict (id) do update set email = excluded.email, name = excluded.name, phone = excluded.phone,
          account_number = excluded.account_number, role = excluded.role, changed_at = excluded.changed_at`.pipe(
        Effect.asVoid
      )
    }
    case "invoices": {
      const i = record.value
      return Effect.gen(function* () {
        yield* sql`insert into kit_invoices values (${i.number}, ${local(i.accountId)}, ${i.issueDate}::date,
            ${i.dueDate}::date, ${currency(i.currency)}, ${i.terms ?? null}, ${i.poNumber ?? null},
            ${amount(i.totals.net)}::numeric, ${amount(i.totals.tax)}::numeric, ${amount(i.totals.total)}::numeric,
            ${at}::timestamptz)
          on conflict (number) do update set account_number = excluded.account_number,
            issue_date = excluded.issue_date, due_date = excluded.due_date, currency = excluded.currency,
            terms = excluded.terms, po_number = excluded.po_number, net = excluded.net, tax = excluded.tax,
            total = excluded.total, changed_at = excluded.changed_at`
        yield* lines("kit_invoice_lines", i.number, i.lines)
      })
    }
    case "credit-notes": {
      const n = record.value
      return Effect.gen(function* () {
        yield* sql`insert into kit_credit_notes values (${n.number}, ${local(n.accountId)}, ${n.issueDate}::date,
            ${currency(n.currency)}, ${n.invoiceId === undefined ? null : local(n.invoiceId)}, ${n.reason ?? null},
            ${amount(n.totals.net)}::numeric, ${amount(n.totals.tax)}::numeric, ${amount(n.totals.total)}::numeric,
            ${at}::timestamptz)
          on conflict (number) do update set account_number = excluded.account_number,
            issue_date = excluded.issue_date, currency = excluded.currency, invoice_number = excluded.invoice_number,
            reason = excluded.reason, net = excluded.net, tax = excluded.tax, total = excluded.total,
            changed_at = excluded.changed_at`
        yield* lines("kit_credit_note_lines", n.number, n.lines)
      })
    }
    case "payments": {
      const p = record.value
      const id = p.source.externalId
      return Effect.gen(function* () {
        yield* sql`insert into kit_payments values (${id}, ${local(p.accountId)}, ${p.reference},
            ${p.receivedDate}::date, ${currency(p.amount.currency)}, ${amount(p.amount)}::numeric,
            ${p.method ?? null}, ${at}::timestamptz)
          on conflict (id) do update set account_number = excluded.account_number, reference = excluded.reference,
            received_date = excluded.received_date, currency = excluded.currency, amount = excluded.amount,
            method = excluded.method, changed_at = excluded.changed_at`
        yield* sql`delete from kit_allocations where payment_id = ${id}`
        for (const [position, allocation] of p.allocations.entries())
          yield* sql`insert into kit_allocations values (${id}, ${position + 1}, ${local(allocation.invoiceId)},
            ${amount(allocation.amount)}::numeric)`
      })
    }
    case "documents": {
      const d = record.value
      return sql`insert into kit_documents values (${d.source.externalId}, ${corrupt ? null : local(d.accountId)},
          ${d.invoiceId === undefined ? null : local(d.invoiceId)}, ${d.fileName}, ${d.contentType},
          ${documentBytes(d)}, ${at}::timestamptz)
        on conflict (id) do update set account_number = excluded.account_number,
          invoice_number = excluded.invoice_number, file_name = excluded.file_name,
          content_type = excluded.content_type, content = excluded.content, changed_at = excluded.changed_at`.pipe(
        Effect.asVoid
      )
    }
  }
}

let runs = 0

/**
 * A fresh schema (`kit_<n>`) in the shared database `db`, with the kit tables readable by the reader role,
 * and the fixture over it; the schema is dropped when the scope closes.
 */
export const sqlSourceFixture = (
  db: ErpDatabase,
  options: { readonly sourceId: string; readonly batchSize: number }
): Effect.Effect<SourceFixture, SqlError, Scope.Scope> =>
  Effect.gen(function* () {
    const schema = `kit_${++runs}`
    const reader = new URL(db.readerUrl).username
    yield* Effect.acquireRelease(db.admin.unsafe(`create schema ${schema}`), () =>
      Effect.orDie(db.admin.unsafe(`drop schema ${schema} cascade`))
    )
    for (const statement of kitSchema(schema)) yield* db.admin.unsafe(statement)
    yield* db.admin.unsafe(`grant usage on schema ${schema} to ${reader}`)
    yield* db.admin.unsafe(`grant select on all tables in schema ${schema} to ${reader}`)
    let version = 0
    const settings = (url: string) => ({ url, batchSize: options.batchSize, entities: kitEntities(schema) })
    const inSchema = <A, E>(effect: Effect.Effect<A, E>) =>
      db.admin.withTransaction(Effect.andThen(db.admin`select set_config('search_path', ${schema}, true)`, effect))
    const writeAll = (records: ReadonlyArray<CanonicalRecord>, corrupt = false) =>
      inSchema(
        Effect.gen(function* () {
          version++
          for (const record of records) yield* write(db.admin, options.sourceId, record, version, corrupt)
        })
      )
    return {
      entities,
      adapter: makeAdapter(sqlAdapter, { sourceId: options.sourceId }, settings(db.readerUrl)),
      seed: (records) =>
        inSchema(
          db.admin`truncate kit_accounts, kit_contacts, kit_invoices, kit_credit_notes, kit_invoice_lines,
            kit_credit_note_lines, kit_payments, kit_allocations, kit_documents`
        ).pipe(Effect.andThen(writeAll(records))),
      apply: (changes) => writeAll(changes),
      corrupt: (record) => Effect.as(writeAll([record], true), { externalId: record.value.source.externalId }),
      removeContent: (record) =>
        Effect.asVoid(
          inSchema(db.admin`update kit_documents set content = null where id = ${record.value.source.externalId}`)
        ),
      represent,
      supportsUpdates: true,
      pageSize: options.batchSize,
      pagedEntity: "invoices",
      secrets: [db.readerPassword, db.readerUrl],
      failing: makeAdapter(
        sqlAdapter,
        { sourceId: options.sourceId },
        settings(db.readerUrl.replace(`/${db.name}`, `/${db.name}_gone`))
      )
    } satisfies SourceFixture
  })
