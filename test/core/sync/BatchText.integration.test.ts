// The sync's batch writes carry rows as PostgreSQL array literals (core/store/SyncBatches.ts): all text —
// quotes, backslashes, braces, commas, the word NULL, blanks, non-Latin letters — and JSON must come back
// exactly as written, on PGlite and on the PostgreSQL server.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Result, Schema } from "effect"
import { SqlClient } from "effect/sql"
import fc from "fast-check"
import { CurrentPrincipal, system } from "../../../core/access/Principal.ts"
import { Account } from "../../../core/domain/Account.ts"
import { Invoice } from "../../../core/domain/Invoice.ts"
import { arrayLiteral, SyncBatches } from "../../../core/store/SyncBatches.ts"
import { invoiceState } from "../../../core/sync/InvoiceLedger.ts"
import { backends } from "../../support/Databases.ts"
import { syncLayer } from "./support/SyncHarness.ts"

const awkward = [
  'say "hi"',
  "back\\slash \\\\ twice",
  "{braces}, commas, and (parens)",
  "NULL",
  "null",
  "",
  "  leading and trailing  ",
  "Zoë · Grüße · 請求書 · 🧾",
  "tab\tand\nnewline",
  '\\"',
  "{}"
]

describe("arrayLiteral", () => {
  it("quotes text, writes numbers bare and absent values as NULL", () => {
    assert.strictEqual(
      arrayLiteral(["a", 'b"c', "d\\e", null, undefined, 7, 12n]),
      '{"a","b\\"c","d\\\\e",NULL,NULL,7,12}'
    )
    assert.strictEqual(arrayLiteral([{ k: 'v"' }]), '{"{\\"k\\":\\"v\\\\\\"\\"}"}')
    assert.strictEqual(arrayLiteral([]), "{}")
  })
})

for (const backend of await backends()) {
  describe.skipIf(!backend.availability.available)(`batch writes keep any text on ${backend.name}`, () => {
    it.live(
      "array literals round-trip arbitrary strings",
      () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          // PostgreSQL text cannot hold NUL; everything else must survive.
          const samples = fc.sample(
            fc.array(fc.option(fc.string({ unit: "binary" }).filter((s) => !s.includes("\u0000")))),
            {
              numRuns: 40,
              seed: 4
            }
          )
          for (const values of [awkward, ...samples]) {
            const rows = yield* sql<{ value: string | null; n: string }>`
              select value, n::text as n from unnest(${arrayLiteral(values)}::text::text[]) with ordinality as x(value, n)
              order by x.n`
            assert.deepStrictEqual(
              rows.map((row) => row.value),
              values.map((value) => value ?? null)
            )
          }
        }).pipe(Effect.provide(syncLayer(backend)), Effect.scoped),
      120_000
    )

    it.live(
      "an account and an invoice with awkward text and JSON are stored as written, then found unchanged",
      () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const batches = yield* SyncBatches
          const account = Schema.decodeUnknownSync(Account)({
            id: "erp:C1",
            source: { source: "erp", externalId: "C1" },
            number: "C1",
            name: awkward.join(" | "),
            tier: "standard",
            currency: "EUR",
            billingAddress: { lines: ['Hof "Süd"', "Weg 1\\2"], city: "{Köln}", postalCode: "NULL", country: "DE" }
          })
          assert.deepStrictEqual(yield* batches.upsertAccounts([account]), ["inserted"])
          const invoice = Schema.decodeUnknownSync(Invoice)({
            id: "erp:INV-1",
            accountId: "erp:C1",
            source: { source: "erp", externalId: "INV-1" },
            number: 'INV-"1"',
            poNumber: "NULL",
            terms: "{net 30}, \\ 2%",
            issueDate: "2026-03-01",
            dueDate: "2026-03-31",
            currency: "EUR",
            lines: awkward.map((description, i) => ({
              lineNumber: i + 1,
              description,
              quantity: "1",
              unitPrice: "10.00",
              taxRate: "19",
              ...(i % 2 === 0 ? { productCode: description, taxCode: "VAT19" } : {})
            })),
            taxLines: [
              {
                code: 'V"19',
                rate: "19",
                taxable: { currency: "EUR", minor: 11000 },
                tax: { currency: "EUR", minor: 2090 }
              }
            ],
            totals: {
              net: { currency: "EUR", minor: 11000 },
              tax: { currency: "EUR", minor: 2090 },
              total: { currency: "EUR", minor: 13090 }
            }
          })
          const state = invoiceState(invoice, [])
          assert.isTrue(Result.isSuccess(state))
          if (!Result.isSuccess(state)) return
          const write = { invoice, state: state.success }
          assert.deepStrictEqual(yield* batches.upsertInvoices([write]), ["inserted"])
          assert.strictEqual(
            yield* batches.quarantine([
              { source: "erp", entity: "invoices", reason: awkward[0] ?? "", raw: awkward.join("") }
            ]),
            1
          )

          const accounts = yield* sql<{ name: string; billing_address: unknown }>`
            select name, billing_address from portico.accounts`
          assert.strictEqual(accounts[0]?.name, account.name)
          const address = accounts[0]?.billing_address
          assert.deepStrictEqual(typeof address === "string" ? JSON.parse(address) : address, account.billingAddress)
          const heads = yield* sql<{ number: string; po_number: string | null; terms: string | null }>`
            select number, po_number, terms from portico.invoices`
          assert.deepStrictEqual(heads, [{ number: 'INV-"1"', po_number: "NULL", terms: "{net 30}, \\ 2%" }])
          const lines = yield* sql<{ description: string; product_code: string | null; unit: string | null }>`
            select l->>'description' as description, l->>'productCode' as product_code, l->>'unit' as unit
            from portico.invoices i, json_array_elements(i.lines) l order by (l->>'lineNumber')::int`
          assert.deepStrictEqual(
            lines,
            awkward.map((description, i) => ({
              description,
              product_code: i % 2 === 0 ? description : null,
              unit: null
            }))
          )
          const taxes = yield* sql<{ code: string; tax_minor: unknown }>`
            select t->>'code' as code, t->'tax'->>'minor' as tax_minor
            from portico.invoices i, json_array_elements(i.tax_lines) t`
          assert.deepStrictEqual(taxes, [{ code: 'V"19', tax_minor: "2090" }])
          const events = yield* sql<{
            type: string
            payload: unknown
          }>`select type, payload from portico.invoice_events`
          assert.strictEqual(events.length, 1)
          const payload = events[0]?.payload
          const parsed: unknown = typeof payload === "string" ? JSON.parse(payload) : payload
          assert.deepStrictEqual(parsed, JSON.parse(JSON.stringify(state.success.history[0])))
          const quarantined = yield* sql<{ reason: string; raw: string }>`select reason, raw from portico.quarantine`
          assert.deepStrictEqual(quarantined, [{ reason: awkward[0] ?? "", raw: awkward.join("") }])

          // Written back unchanged: the stored content hash matches, nothing is rewritten, no event is added.
          assert.deepStrictEqual(yield* batches.upsertAccounts([account]), ["unchanged"])
          assert.deepStrictEqual(yield* batches.upsertInvoices([write]), ["unchanged"])
          const count = yield* sql<{ n: string }>`select count(*)::text as n from portico.invoice_events`
          assert.strictEqual(count[0]?.n, "1")

          // Changed in the ERP (other lines and tax code, same figures): the lines and tax lines are replaced; the
          // InvoiceIssued event covers the same figures, so no event is added.
          const reversed = [...awkward].reverse().slice(0, 3)
          const changed = Schema.decodeUnknownSync(Invoice)({
            ...invoice,
            lines: reversed.map((description, n) => ({
              lineNumber: n + 1,
              description,
              quantity: "1",
              unitPrice: "10.00",
              taxRate: "19"
            })),
            taxLines: invoice.taxLines.map((t) => ({ ...t, code: "V19\\new" }))
          })
          assert.deepStrictEqual(yield* batches.upsertInvoices([{ invoice: changed, state: state.success }]), [
            "updated"
          ])
          const after = yield* sql<{ line_number: number; description: string }>`
            select (l->>'lineNumber')::int as line_number, l->>'description' as description
            from portico.invoices i, json_array_elements(i.lines) l order by (l->>'lineNumber')::int`
          assert.deepStrictEqual(
            after,
            reversed.map((description, i) => ({ line_number: i + 1, description }))
          )
          const taxesAfter = yield* sql<{ code: string }>`
            select t->>'code' as code from portico.invoices i, json_array_elements(i.tax_lines) t`
          assert.deepStrictEqual(taxesAfter, [{ code: "V19\\new" }])
          const countAfter = yield* sql<{ n: string }>`select count(*)::text as n from portico.invoice_events`
          assert.strictEqual(countAfter[0]?.n, "1")
        }).pipe(
          Effect.provideService(CurrentPrincipal, system("test")),
          Effect.provide(syncLayer(backend)),
          Effect.scoped
        ),
      120_000
    )
  })
}
