// core/0004 on a store that already holds lines in the old tables (0001-0003): every line and tax line moves
// into its document's row in the domain's shape, decimals keep their exact text, and the old tables are gone.
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { DocumentLine, TaxLine } from "../../../core/domain/Invoice.ts"
import { migrate } from "../../../core/store/Migrator.ts"
import { coreMigrations } from "../../../core/store/migrations/coreMigrations.ts"
import { backends } from "../../support/Databases.ts"

const all = await backends()
const before = coreMigrations.filter((m) => m.id < "core/0004")

const Lines = Schema.Struct({ lines: Schema.Array(DocumentLine), tax_lines: Schema.Array(TaxLine) })
/** Compares decoded values with plain literals (the decode proved the shape; this checks every value). */
const same = (actual: unknown, expected: unknown) => assert.deepStrictEqual(actual, expected)

for (const backend of all) {
  describe.skipIf(!backend.availability.available)(`core/0004_inline_document_lines (${backend.name})`, () => {
    layer(backend.layer(before))((it) => {
      it.effect("moves every stored line into its document's row, exactly", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          yield* sql`insert into portico.accounts (id, source, external_id, number, name, tier, currency,
              content_hash) values ('a1', 'erp', 'C1', 'C1', 'Acme', 'standard', 'BHD', 'h')`
          yield* sql`insert into portico.invoices (id, account_id, source, external_id, number, issue_date, due_date,
              currency, net_minor, tax_minor, total_minor, open_minor, status, content_hash)
            values ('i1', 'a1', 'erp', 'I1', 'INV-1', '2026-01-01', '2026-02-01', 'BHD', 2500, 250, 2750, 2750,
              'open', 'h'),
            ('i2', 'a1', 'erp', 'I2', 'INV-2', '2026-01-01', '2026-02-01', 'BHD', 0, 0, 0, 0, 'open', 'h')`
          yield* sql`insert into portico.invoice_lines (invoice_id, account_id, line_number, description, product_code,
              quantity, unit_price, discount_percent, tax_rate, stated_net_minor)
            values ('i1', 'a1', 2, 'Second "quoted"', null, 1, 0.500, null, 10, null),
              ('i1', 'a1', 1, 'First', 'P-1', 2.50, 0.800, 0, 10, 2000)`
          yield* sql`insert into portico.invoice_tax_lines (invoice_id, account_id, position, code, rate, taxable_minor,
              tax_minor) values ('i1', 'a1', 0, 'VAT10', 10, 2500, 250)`
          yield* sql`insert into portico.credit_notes (id, account_id, source, external_id, number, issue_date, currency,
              invoice_id, net_minor, tax_minor, total_minor, content_hash)
            values ('c1', 'a1', 'erp', 'CN1', 'CN-1', '2026-01-05', 'BHD', 'i1', 500, 50, 550, 'h')`
          yield* sql`insert into portico.credit_note_lines (credit_note_id, account_id, invoice_id, line_number,
              description, quantity, unit_price, tax_rate) values ('c1', 'a1', 'i1', 1, 'Refund', 1, 0.500, 10)`

          yield* migrate(coreMigrations)

          const rows = yield* sql`select id, lines, tax_lines from portico.invoices order by id`
          const [first, second] = rows.map((row) => Schema.decodeUnknownSync(Lines)(row))
          same(first?.lines, [
            {
              lineNumber: 1,
              description: "First",
              productCode: "P-1",
              quantity: "2.50",
              unitPrice: "0.800",
              discountPercent: "0",
              taxRate: "10",
              statedNet: { currency: "BHD", minor: 2000 }
            },
            { lineNumber: 2, description: 'Second "quoted"', quantity: "1", unitPrice: "0.500", taxRate: "10" }
          ])
          same(first?.tax_lines, [
            {
              code: "VAT10",
              rate: "10",
              taxable: { currency: "BHD", minor: 2500 },
              tax: { currency: "BHD", minor: 250 }
            }
          ])
          assert.deepStrictEqual(second, { lines: [], tax_lines: [] })
          const notes = yield* sql`select lines, tax_lines from portico.credit_notes`
          same(Schema.decodeUnknownSync(Lines)(notes[0]), {
            lines: [{ lineNumber: 1, description: "Refund", quantity: "1", unitPrice: "0.500", taxRate: "10" }],
            tax_lines: []
          })
          const left = yield* sql<{ name: string }>`select table_name as name from information_schema.tables
            where table_schema = 'portico' and table_name like '%\\_lines' escape '\\' order by 1`
          assert.deepStrictEqual(left, [])
        })
      )
    })
  })
}
