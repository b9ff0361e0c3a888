// The dunning property against the real service and store: for random due dates, per-account sequences and
// payment days, daily runs send exactly the reminders the preview planned before each invoice's payment
// day, each (invoice, step) at most once, on PGlite and on the PostgreSQL server.
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import type { SqlClient } from "effect/sql"
import fc from "fast-check"
import { addDays, compareDates, localDate } from "../../../core/domain/LocalDate.ts"
import { SyncEngine } from "../../../core/sync/SyncEngine.ts"
import { Reminders } from "../../../plugins/reminders/index.ts"
import { csvFixture, german } from "../../adapters/csv/CsvFixture.ts"
import { backends } from "../../support/Databases.ts"
import {
  account,
  accountId,
  contact,
  harness,
  ownerSql,
  pluginMigrations,
  sourceId
} from "../notifications/support/NotificationsHarness.ts"

const start = localDate("2026-03-01")
const days = 45

const scenario = fc.record({
  sequences: fc.tuple(
    fc.option(fc.uniqueArray(fc.integer({ min: -10, max: 20 }), { maxLength: 4 }), { nil: null }),
    fc.option(fc.uniqueArray(fc.integer({ min: -10, max: 20 }), { maxLength: 4 }), { nil: null })
  ),
  invoices: fc.array(
    fc.record({
      accountN: fc.constantFrom(1, 2),
      dueShift: fc.integer({ min: -15, max: 40 }),
      paidAfter: fc.integer({ min: 0, max: days + 5 })
    }),
    { minLength: 1, maxLength: 4 }
  )
})

type ScenarioInput = typeof scenario extends fc.Arbitrary<infer T> ? T : never

for (const backend of await backends()) {
  describe.skipIf(!backend.availability.available)(`reminders property on ${backend.name}`, () => {
    it.effect(
      "daily runs send what the preview planned before each payment day, each step at most once",
      () =>
        Effect.gen(function* () {
          const fixture = yield* csvFixture(german)({ sourceId })
          yield* fixture.seed([account(1), account(2), contact(1, 1, "anna@northwind.example", "Anna")])
          yield* (yield* SyncEngine).run(yield* fixture.adapter)
          const context = yield* Effect.context<Reminders | SqlClient.SqlClient>()
          let round = 0
          const check = (input: ScenarioInput) =>
            Effect.gen(function* () {
              round += 1
              const sql = yield* ownerSql
              const reminders = yield* Reminders
              yield* sql`update portico.invoices set status = 'paid', open_minor = 0 where status <> 'paid'`
              for (const [i, offsets] of input.sequences.entries()) {
                yield* reminders.setSequence(accountId(i + 1), offsets)
              }
              const invoices = input.invoices.map((inv, i) => ({
                ...inv,
                id: `${sourceId}:P${round}-${i}`,
                due: addDays(start, inv.dueShift),
                paidOn: addDays(start, inv.paidAfter)
              }))
              for (const inv of invoices) {
                yield* sql`insert into portico.invoices (id, account_id, source, external_id, number, issue_date,
                    due_date, currency, net_minor, tax_minor, total_minor, open_minor, status, content_hash)
                  values (${inv.id}, ${accountId(inv.accountN)}, ${sourceId}, ${inv.id}, ${inv.id},
                    ${addDays(inv.due, -30)}::date, ${inv.due}::date, 'EUR', 10000, 1900, 11900, 11900, 'open', 'x')`
              }
              const planned = (yield* reminders.preview({ from: start, days }))
                .filter((p) => p.invoiceId.includes(`:P${round}-`))
                .filter((p) => {
                  const paidOn = invoices.find((inv) => inv.id === p.invoiceId)?.paidOn
                  return paidOn !== undefined && compareDates(p.sendOn, paidOn) < 0
                })
                .map((p) => `${p.sendOn} ${p.invoiceId} ${p.offsetDays}`)
              const sent: Array<string> = []
              for (let day = 0; day < days; day++) {
                const asOf = addDays(start, day)
                for (const inv of invoices) {
                  if (inv.paidOn === asOf) {
                    yield* sql`update portico.invoices set status = 'paid', open_minor = 0 where id = ${inv.id}`
                  }
                }
                const report = yield* reminders.run(asOf)
                for (const s of report.sent) sent.push(`${asOf} ${s.invoiceId} ${s.offsetDays}`)
              }
              assert.deepStrictEqual(sent.sort(), planned.sort())
              const steps = yield* sql<{ n: number; distinct_n: number }>`select count(*)::int as n,
                  count(distinct (r.invoice_id, r.offset_days))::int as distinct_n
                from portico.notification_outbox o
                join portico.reminders_sent r on o.dedupe_key = 'reminder:' || r.invoice_id || ':' || r.offset_days || ':' || o.contact_id || ':email'
                where r.invoice_id like ${`%:P${round}-%`}`
              assert.strictEqual(steps[0]?.n, steps[0]?.distinct_n)
              const mails = yield* sql<{ n: number }>`select count(*)::int as n from portico.notification_outbox
                where topic = 'reminder' and invoice_id like ${`%:P${round}-%`}`
              const toAnna = sent.filter((s) => invoices.some((inv) => inv.accountN === 1 && s.includes(` ${inv.id} `)))
              assert.strictEqual(mails[0]?.n, toAnna.length)
            })
          yield* Effect.promise(() =>
            fc.assert(
              fc.asyncProperty(scenario, (input) => Effect.runPromiseWith(context)(check(input))),
              { numRuns: backend.name === "pglite" ? 8 : 15 }
            )
          )
        }).pipe(Effect.provide(harness(backend.layer(pluginMigrations))), Effect.scoped),
      240_000
    )
  })
}
