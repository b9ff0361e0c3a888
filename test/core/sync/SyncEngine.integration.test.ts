// The sync engine end to end against real CSV exports, on PGlite and on the PostgreSQL server: full sync,
// unchanged re-sync, changed records, quarantine, payments and credits driving invoice status, runs recorded.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { CurrentPrincipal, system } from "../../../core/access/Principal.ts"
import { ErpAdapter } from "../../../core/erp/index.ts"
import { SyncEngine, syncAdapter } from "../../../core/sync/SyncEngine.ts"
import type { SyncRun } from "../../../core/sync/SyncRun.ts"
import { SyncRuns } from "../../../core/sync/SyncRuns.ts"
import { csvFixture, german } from "../../adapters/csv/CsvFixture.ts"
import { backends } from "../../support/Databases.ts"
import { account, creditNote, dataset, invoice, payment } from "./support/Dataset.ts"
import { withPublished } from "./support/Events.ts"
import { countOf, invoiceLineCount, snapshot, syncLayer } from "./support/SyncHarness.ts"

const sourceId = "erp"

const report = (run: SyncRun, entity: string) => {
  const found = run.entities.find((e) => e.entity === entity)
  if (found === undefined) throw new Error(`no report for ${entity}`)
  return found
}
const counts = (run: SyncRun, entity: string) => {
  const e = report(run, entity)
  return { read: e.read, inserted: e.inserted, updated: e.updated, unchanged: e.unchanged, quarantined: e.quarantined }
}

/** Forgets every cursor, so the next run reads the whole source again. */
const resetCursors = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`delete from portico.sync_cursors`
})

const invoiceRow = (externalId: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ status: string; paid: string; credited: string; open: string }>`
      select status, paid_minor::text as paid, credited_minor::text as credited, open_minor::text as open
      from portico.invoices where external_id = ${externalId}`
    return rows[0]
  })

const eventTypes = (externalId: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ type: string }>`select e.type from portico.invoice_events e
      join portico.invoices i on i.id = e.invoice_id where i.external_id = ${externalId} order by e.position`
    return rows.map((row) => row.type)
  })

for (const backend of await backends()) {
  describe.skipIf(!backend.availability.available)(`SyncEngine on ${backend.name}`, () => {
    it.live(
      "a full sync writes every record; a re-sync finds everything unchanged and publishes nothing",
      () =>
        Effect.gen(function* () {
          const fixture = yield* csvFixture(german)({ sourceId })
          yield* fixture.seed(dataset(sourceId, { accounts: 3, invoices: 12 }))
          const adapter = yield* fixture.adapter
          const engine = yield* SyncEngine
          const first = yield* withPublished(engine.run(adapter, { batchSize: 5 }))
          assert.strictEqual(first.result.status, "succeeded")
          assert.deepStrictEqual(counts(first.result, "accounts"), {
            read: 3,
            inserted: 3,
            updated: 0,
            unchanged: 0,
            quarantined: 0
          })
          assert.deepStrictEqual(counts(first.result, "invoices"), {
            read: 12,
            inserted: 12,
            updated: 0,
            unchanged: 0,
            quarantined: 0
          })
          assert.strictEqual(report(first.result, "invoices").batches, 3)
          assert.strictEqual(report(first.result, "invoices").events, 12)
          assert.strictEqual(first.published.length, 12)
          for (const event of first.published) {
            assert.strictEqual(event._tag, "InvoiceChanged")
            if (event._tag === "InvoiceChanged") {
              assert.strictEqual(event.change, "inserted")
              assert.strictEqual(event.status, "open")
              assert.deepStrictEqual(
                event.events.map((e) => e._tag),
                ["InvoiceIssued"]
              )
            }
          }
          assert.strictEqual(yield* invoiceLineCount, 24)
          assert.strictEqual(yield* countOf("invoice_events"), 12)

          // With the cursors at the end, a second run reads nothing.
          const idle = yield* engine.run(adapter)
          assert.strictEqual(report(idle, "invoices").read, 0)

          // Without cursors everything is read again, found unchanged, and nothing is published.
          const before = yield* snapshot
          yield* resetCursors
          const again = yield* withPublished(engine.run(adapter, { batchSize: 5 }))
          assert.deepStrictEqual(counts(again.result, "invoices"), {
            read: 12,
            inserted: 0,
            updated: 0,
            unchanged: 12,
            quarantined: 0
          })
          assert.strictEqual(report(again.result, "invoices").events, 0)
          assert.deepStrictEqual(again.published, [])
          assert.deepStrictEqual(yield* snapshot, before)
          const recorded = yield* SyncRuns.use((runs) => runs.recent({ source: sourceId })).pipe(
            Effect.provideService(CurrentPrincipal, system("test"))
          )
          assert.deepStrictEqual(
            recorded.map((r) => [r.status, r.trigger]),
            [
              ["succeeded", "on-demand"],
              ["succeeded", "on-demand"],
              ["succeeded", "on-demand"]
            ]
          )
          assert.strictEqual(recorded.at(-1)?.entities.find((e) => e.entity === "invoices")?.inserted, 12)
        }).pipe(Effect.provide(syncLayer(backend)), Effect.scoped),
      120_000
    )

    it.live(
      "syncAdapter runs the ErpAdapter provided by a layer",
      () =>
        Effect.gen(function* () {
          const fixture = yield* csvFixture(german)({ sourceId })
          yield* fixture.seed(dataset(sourceId, { accounts: 1, invoices: 2 }))
          const run = yield* syncAdapter({ batchSize: 1 }).pipe(
            Effect.provide(Layer.effect(ErpAdapter, fixture.adapter))
          )
          assert.deepStrictEqual(counts(run, "invoices"), {
            read: 2,
            inserted: 2,
            updated: 0,
            unchanged: 0,
            quarantined: 0
          })
          assert.strictEqual(report(run, "invoices").batches, 2)
        }).pipe(Effect.provide(syncLayer(backend)), Effect.scoped),
      120_000
    )

    it.live(
      "a changed record is updated with a new InvoiceIssued event; unchanged ones stay",
      () =>
        Effect.gen(function* () {
          const fixture = yield* csvFixture(german)({ sourceId })
          yield* fixture.seed(dataset(sourceId, { accounts: 2, invoices: 4 }))
          const adapter = yield* fixture.adapter
          const engine = yield* SyncEngine
          yield* engine.run(adapter)
          // The export gains a corrected version of INV-2 (3 items instead of 1 each) and a new invoice.
          yield* fixture.apply([invoice(sourceId, 2, 2, { quantity: 3 }), invoice(sourceId, 5, 1)])
          const second = yield* withPublished(engine.run(adapter))
          assert.deepStrictEqual(counts(second.result, "invoices"), {
            read: 2,
            inserted: 1,
            updated: 1,
            unchanged: 0,
            quarantined: 0
          })
          const changes = second.published.flatMap((e) =>
            e._tag === "InvoiceChanged" ? [[e.source.externalId, e.change, e.events.length] as const] : []
          )
          assert.deepStrictEqual(changes, [
            ["INV-2", "updated", 1],
            ["INV-5", "inserted", 1]
          ])
          const row = yield* invoiceRow("INV-2")
          assert.deepStrictEqual(row, { status: "open", paid: "0", credited: "0", open: String(3 * 2 * 1190) })
          assert.deepStrictEqual(yield* eventTypes("INV-2"), ["InvoiceIssued", "InvoiceIssued"])
          assert.strictEqual(yield* invoiceLineCount, 10)
        }).pipe(Effect.provide(syncLayer(backend)), Effect.scoped),
      120_000
    )

    it.live(
      "bad records are quarantined with their reasons and raw rows; good ones are written",
      () =>
        Effect.gen(function* () {
          const fixture = yield* csvFixture(german)({ sourceId })
          const good = dataset(sourceId, { accounts: 2, invoices: 3 })
          yield* fixture.seed([
            ...good,
            invoice(sourceId, 90, 77), // account C77 does not exist
            payment(sourceId, 1, 1, 1000, [[1, 2000]]), // allocates more than the payment
            payment(sourceId, 2, 1, 5000, [[99, 1000]]), // unknown invoice
            payment(sourceId, 3, 1, 5000, [[1, 1000]])
          ])
          yield* fixture.corrupt(account(sourceId, 3)) // a currency that is not one
          yield* fixture.corrupt(invoice(sourceId, 91, 1)) // 31.02.2026
          const adapter = yield* fixture.adapter
          const run = yield* SyncEngine.use((engine) => engine.run(adapter))
          assert.strictEqual(run.status, "succeeded")
          assert.deepStrictEqual(counts(run, "accounts"), {
            read: 3,
            inserted: 2,
            updated: 0,
            unchanged: 0,
            quarantined: 1
          })
          assert.deepStrictEqual(counts(run, "invoices"), {
            read: 5,
            inserted: 3,
            updated: 0,
            unchanged: 0,
            quarantined: 2
          })
          assert.deepStrictEqual(counts(run, "payments"), {
            read: 3,
            inserted: 1,
            updated: 0,
            unchanged: 0,
            quarantined: 2
          })
          const reasons = new Map(run.quarantined.map((q) => [q.externalId, q.reason]))
          assert.match(reasons.get("INV-90") ?? "", /account erp:C77 is not in the store/)
          assert.match(reasons.get("INV-91") ?? "", /31\.02\.2026|date/)
          assert.match(reasons.get("P-1") ?? "", /more than the payment/)
          assert.match(reasons.get("P-2") ?? "", /INV-99, which is not in the store/)
          assert.match(reasons.get("C3") ?? "", /currency/)
          const stored = yield* SyncStateList
          assert.strictEqual(stored.length, 5)
          const p2 = stored.find((q) => q.externalId === "P-2")
          assert.isDefined(p2)
          assert.include(p2?.raw ?? "", "INV-99")
          // Reading the source again from the start does not quarantine the same records twice.
          yield* resetCursors
          const again = yield* SyncEngine.use((engine) => engine.run(adapter))
          assert.strictEqual(report(again, "invoices").quarantined, 2)
          assert.strictEqual((yield* SyncStateList).length, 5)
        }).pipe(Effect.provide(syncLayer(backend)), Effect.scoped),
      120_000
    )

    it.live(
      "payments and credit notes drive invoice status through the state machine, with reversals",
      () =>
        Effect.gen(function* () {
          const fixture = yield* csvFixture(german)({ sourceId })
          // INV-1 and INV-2: 23.80 EUR each (2 lines of 10.00 + 19%).
          yield* fixture.seed([
            account(sourceId, 1),
            invoice(sourceId, 1, 1),
            invoice(sourceId, 2, 1),
            invoice(sourceId, 3, 1),
            creditNote(sourceId, 1, 1, 3),
            payment(sourceId, 1, 1, 5000, [
              [1, 1000],
              [2, 2380]
            ]),
            payment(sourceId, 2, 1, 700, [])
          ])
          const adapter = yield* fixture.adapter
          const engine = yield* SyncEngine
          const first = yield* withPublished(engine.run(adapter))
          assert.strictEqual(first.result.status, "succeeded", JSON.stringify(first.result.quarantined))
          assert.deepStrictEqual(yield* invoiceRow("INV-1"), {
            status: "partially-paid",
            paid: "1000",
            credited: "0",
            open: "1380"
          })
          assert.deepStrictEqual(yield* invoiceRow("INV-2"), { status: "paid", paid: "2380", credited: "0", open: "0" })
          assert.deepStrictEqual(yield* invoiceRow("INV-3"), {
            status: "partially-paid",
            paid: "0",
            credited: "1190",
            open: "1190"
          })
          assert.deepStrictEqual(yield* eventTypes("INV-1"), ["InvoiceIssued", "PaymentApplied"])
          assert.deepStrictEqual(yield* eventTypes("INV-3"), ["InvoiceIssued", "CreditApplied"])
          const paymentEvents = first.published.filter((e) => e._tag === "PaymentChanged")
          assert.strictEqual(paymentEvents.length, 2)
          const invoiceUpdates = first.published.flatMap((e) =>
            e._tag === "InvoiceChanged" && e.change === "updated" ? [[e.source.externalId, e.status] as const] : []
          )
          assert.deepStrictEqual(invoiceUpdates.sort(), [
            ["INV-1", "partially-paid"],
            ["INV-2", "paid"],
            ["INV-3", "partially-paid"]
          ])
          // The ERP re-allocates the payment: INV-1 gets all 23.80, INV-2 nothing.
          yield* fixture.apply([payment(sourceId, 1, 1, 5000, [[1, 2380]])])
          const second = yield* engine.run(adapter)
          assert.deepStrictEqual(counts(second, "payments"), {
            read: 1,
            inserted: 0,
            updated: 1,
            unchanged: 0,
            quarantined: 0
          })
          assert.deepStrictEqual(yield* invoiceRow("INV-1"), { status: "paid", paid: "2380", credited: "0", open: "0" })
          assert.deepStrictEqual(yield* invoiceRow("INV-2"), { status: "open", paid: "0", credited: "0", open: "2380" })
          assert.deepStrictEqual(yield* eventTypes("INV-2"), ["InvoiceIssued", "PaymentApplied", "PaymentReversed"])
          // The ERP re-exports everything in its current state: nothing changes, no event is recorded.
          const events = yield* countOf("invoice_events")
          yield* fixture.seed([
            account(sourceId, 1),
            invoice(sourceId, 1, 1),
            invoice(sourceId, 2, 1),
            invoice(sourceId, 3, 1),
            creditNote(sourceId, 1, 1, 3),
            payment(sourceId, 1, 1, 5000, [[1, 2380]]),
            payment(sourceId, 2, 1, 700, [])
          ])
          yield* resetCursors
          const third = yield* engine.run(adapter)
          assert.deepStrictEqual(counts(third, "payments"), {
            read: 2,
            inserted: 0,
            updated: 0,
            unchanged: 2,
            quarantined: 0
          })
          assert.deepStrictEqual(counts(third, "credit-notes"), {
            read: 1,
            inserted: 0,
            updated: 0,
            unchanged: 1,
            quarantined: 0
          })
          assert.strictEqual(yield* countOf("invoice_events"), events)
        }).pipe(Effect.provide(syncLayer(backend)), Effect.scoped),
      120_000
    )
  })
}

const SyncStateList = Effect.gen(function* () {
  const { SyncState } = yield* Effect.promise(() => import("../../../core/store/SyncState.ts"))
  return yield* SyncState.use((state) => state.quarantined({ source: sourceId })).pipe(
    Effect.provideService(CurrentPrincipal, system("test"))
  )
})
