// Portal analytics against PGlite and the PostgreSQL server: for random accounts, invoices and audit entries
// (sign-ins, invoice and account views, downloads, denied views), every figure equals a model computed here;
// only the business may read them.
import { assert, describe, layer } from "@effect/vitest"
import { Clock, Effect, Layer } from "effect"
import * as fc from "fast-check"
import { type ContactPrincipal, CurrentPrincipal, type Principal, system } from "../../../core/access/Principal.ts"
import { type AuditInput, AuditLog } from "../../../core/audit/AuditLog.ts"
import { AccountId, ContactId } from "../../../core/domain/Ids.ts"
import { addDays, fromEpochDay, type LocalDate, toEpochDay } from "../../../core/domain/LocalDate.ts"
import { coreMigrations } from "../../../core/store/migrations/coreMigrations.ts"
import type { Store } from "../../../core/store/Store.ts"
import * as StoreLayer from "../../../core/store/StoreLayer.ts"
import type { SyncStore } from "../../../core/store/SyncStore.ts"
import { analyticsMigrations } from "../../../plugins/analytics/AnalyticsMigrations.ts"
import { type Period, PortalAnalytics } from "../../../plugins/analytics/PortalAnalytics.ts"
import { backends } from "../../support/Databases.ts"
import { account, invoice, seedWorld } from "../comments/fixtures.ts"

const business = system("analytics test: the business")

/** A clock stopped at `millis`: the audit log stamps entries with it. */
const clockAt = (millis: number): Clock.Clock => ({
  currentTimeMillisUnsafe: () => millis,
  currentTimeMillis: Effect.succeed(millis),
  currentTimeNanosUnsafe: () => BigInt(millis) * 1_000_000n,
  currentTimeNanos: Effect.succeed(BigInt(millis) * 1_000_000n),
  monotonicTimeNanosUnsafe: () => BigInt(millis) * 1_000_000n,
  monotonicTimeNanos: Effect.succeed(BigInt(millis) * 1_000_000n),
  sleep: () => Effect.void
})

type EntryKind = "sign-in" | "invoice-view" | "account-view" | "download" | "denied-view"

interface Spec {
  readonly accounts: ReadonlyArray<ReadonlyArray<{ issueDay: number; terms: number; paid: "none" | "part" | "all" }>>
  readonly contacts: ReadonlyArray<number>
  readonly entries: ReadonlyArray<{ kind: EntryKind; who: number; what: number; minute: number }>
  readonly period: Period
  readonly asOfDay: number
}

const arbSpec: fc.Arbitrary<Spec> = fc.record({
  accounts: fc.array(
    fc.array(
      fc.record({
        issueDay: fc.integer({ min: 0, max: 70 }),
        terms: fc.constantFrom(0, 14, 30),
        paid: fc.constantFrom<"none" | "part" | "all">("none", "none", "part", "all")
      }),
      { maxLength: 4 }
    ),
    { minLength: 1, maxLength: 3 }
  ),
  contacts: fc.array(fc.nat(2), { minLength: 1, maxLength: 3 }),
  entries: fc.array(
    fc.record({
      kind: fc.constantFrom<EntryKind>(
        "sign-in",
        "invoice-view",
        "invoice-view",
        "account-view",
        "download",
        "denied-view"
      ),
      who: fc.nat(5),
      what: fc.nat(11),
      minute: fc.integer({ min: 0, max: 90 * 1440 })
    }),
    { maxLength: 30 }
  ),
  period: fc.constantFrom<Period>("day", "week", "month"),
  asOfDay: fc.integer({ min: 0, max: 100 })
})

/** The first day of the period holding `date` (weeks start on Monday, as date_trunc has them). */
const periodStart = (date: LocalDate, period: Period): LocalDate => {
  if (period === "day") return date
  if (period === "month") return `${date.slice(0, 8)}01` as LocalDate // safe: YYYY-MM-01
  const day = toEpochDay(date)
  const weekday = (day + 3) % 7 // 1970-01-01 was a Thursday: Monday is 0
  return fromEpochDay(day - weekday)
}

/** percentile_disc as PostgreSQL computes it: the value at position ceil(p * n) of the sorted values. */
const percentileDisc = (values: ReadonlyArray<number>, p: number): number | null => {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(Math.ceil(p * sorted.length), 1) - 1] ?? null
}

const byKey = <A>(items: ReadonlyArray<A>, key: (a: A) => string) =>
  [...items].sort((a, b) => (key(a) < key(b) ? -1 : 1))

let runs = 0

const available = await backends()

for (const backend of available) {
  describe.skipIf(!backend.availability.available)(`portal analytics (${backend.name})`, () => {
    const services = PortalAnalytics.layer.pipe(
      Layer.provideMerge(StoreLayer.repositories),
      Layer.provideMerge(backend.layer([...coreMigrations, ...analyticsMigrations]))
    )
    layer(services, { timeout: 240_000 })((it) => {
      it.effect("property: every figure equals the model computed from the seeded entries", () =>
        Effect.gen(function* () {
          const context = yield* Effect.context<PortalAnalytics | AuditLog | SyncStore | Store>()
          const check = (spec: Spec) =>
            Effect.gen(function* () {
              // Each run lives in its own stretch of time and ids, so earlier runs never count.
              const run = ++runs
              const prefix = `r${process.pid}x${run}x${Math.random().toString(36).slice(2, 6)}`
              const base = addDays("2030-01-06" as LocalDate, run * 400)
              const accounts = spec.accounts.map((_, i) => account(`${prefix}-a${i}`))
              const invoices = spec.accounts.flatMap((specs, i) =>
                specs.map((s, j) => {
                  const owner = accounts[i] ?? accounts[0]!
                  const built = invoice(`${prefix}-i${i}-${j}`, owner, 10_000, {
                    issueDate: addDays(base, s.issueDay),
                    termsDays: s.terms,
                    paidMinor: s.paid === "none" ? 0 : s.paid === "part" ? 4_000 : 10_000
                  })
                  return { ...built, paid: s.paid }
                })
              )
              yield* seedWorld({ accounts, contacts: [], invoices })
              const contactAccount = spec.contacts.map((n) => accounts[n % accounts.length]!)
              const log = yield* AuditLog
              const written: Array<{
                kind: EntryKind
                at: number
                accountId: string
                contactId: string
                invoiceId?: string
              }> = []
              for (const entry of spec.entries) {
                const at = Date.parse(`${base}T00:00:00Z`) + entry.minute * 60_000
                const signIn = entry.kind === "sign-in"
                const target = invoices[entry.what % Math.max(invoices.length, 1)]
                if (!signIn && entry.kind !== "account-view" && target === undefined) continue
                const accountId = signIn
                  ? contactAccount[entry.who % contactAccount.length]!.id
                  : entry.kind === "account-view"
                    ? accounts[entry.what % accounts.length]!.id
                    : target!.invoice.accountId
                const contactId = signIn
                  ? `${prefix}-c${entry.who % contactAccount.length}`
                  : `${prefix}-viewer-${accountId}`
                const principal: ContactPrincipal = {
                  _tag: "ContactPrincipal",
                  contactId: ContactId.make(contactId),
                  links: [{ accountId: AccountId.make(accountId), role: "admin" }],
                  activeAccountId: AccountId.make(accountId)
                }
                const input: AuditInput = {
                  action: signIn ? "sign-in" : entry.kind === "download" ? "download" : "view",
                  outcome: entry.kind === "denied-view" ? "denied" : "success",
                  accountId: AccountId.make(accountId),
                  records: signIn
                    ? []
                    : entry.kind === "account-view"
                      ? [{ kind: "account", id: accountId }]
                      : [{ kind: "invoice", id: target!.invoice.id }]
                }
                yield* log
                  .append(input)
                  .pipe(
                    Effect.provideService(CurrentPrincipal, principal as Principal),
                    Effect.provideService(Clock.Clock, clockAt(at))
                  )
                written.push({
                  kind: entry.kind,
                  at,
                  accountId,
                  contactId,
                  ...(target === undefined || signIn || entry.kind === "account-view"
                    ? {}
                    : { invoiceId: target.invoice.id })
                })
              }

              const from = base
              const to = addDays(base, 59)
              const asOf = addDays(base, spec.asOfDay)
              const lower = Date.parse(`${from}T00:00:00Z`)
              const upper = Date.parse(`${addDays(to, 1)}T00:00:00Z`)
              const report = yield* (yield* PortalAnalytics)
                .report({ from, to, period: spec.period, asOf })
                .pipe(Effect.provideService(CurrentPrincipal, business))

              // Time to first view, per invoice issued in the range.
              const issued = invoices.filter(({ invoice: i }) => i.issueDate >= from && i.issueDate <= to)
              const firstView = (invoiceId: string, before = Number.POSITIVE_INFINITY) => {
                const times = written
                  .filter((w) => w.kind === "invoice-view" && w.invoiceId === invoiceId && w.at < before)
                  .map((w) => w.at)
                return times.length === 0 ? null : Math.min(...times)
              }
              const expectedFirst = issued.map(({ invoice: i }) => {
                const first = firstView(i.id)
                return {
                  invoiceId: i.id as string,
                  issueDate: i.issueDate,
                  firstViewAt: first === null ? null : new Date(first).toISOString(),
                  secondsToFirstView:
                    first === null ? null : Math.floor((first - Date.parse(`${i.issueDate}T00:00:00Z`)) / 1000)
                }
              })
              assert.deepStrictEqual(
                byKey(
                  report.firstViews
                    .filter((f) => f.invoiceId.startsWith(prefix))
                    .map((f) => ({
                      invoiceId: f.invoiceId,
                      issueDate: f.issueDate,
                      firstViewAt: f.firstViewAt,
                      secondsToFirstView: f.secondsToFirstView
                    })),
                  (f) => f.invoiceId
                ),
                byKey(expectedFirst, (f) => f.invoiceId)
              )
              const periods = new Map<LocalDate, { issued: number; seconds: Array<number> }>()
              for (const f of expectedFirst) {
                const key = periodStart(f.issueDate, spec.period)
                const p = periods.get(key) ?? { issued: 0, seconds: [] }
                p.issued += 1
                if (f.secondsToFirstView !== null) p.seconds.push(f.secondsToFirstView)
                periods.set(key, p)
              }
              assert.deepStrictEqual(
                report.firstViewPeriods,
                [...periods]
                  .sort(([a], [b]) => (a < b ? -1 : 1))
                  .map(([periodStart, p]) => ({
                    periodStart,
                    issued: p.issued,
                    viewed: p.seconds.length,
                    medianSeconds: percentileDisc(p.seconds, 0.5),
                    p90Seconds: percentileDisc(p.seconds, 0.9)
                  }))
              )

              // Sign-ins per contact and period, and per period.
              const signIns = new Map<string, number>()
              for (const w of written) {
                if (w.kind !== "sign-in" || w.at < lower || w.at >= upper) continue
                const key = `${w.contactId}|${periodStart(new Date(w.at).toISOString().slice(0, 10) as LocalDate, spec.period)}`
                signIns.set(key, (signIns.get(key) ?? 0) + 1)
              }
              assert.deepStrictEqual(
                byKey(
                  report.signInsPerContact.map((c) => `${c.contactId}|${c.periodStart}=${c.signIns}`),
                  (s) => s
                ),
                byKey(
                  [...signIns].map(([key, n]) => `${key}=${n}`),
                  (s) => s
                )
              )
              const perPeriod = new Map<string, { signIns: number; contacts: number }>()
              for (const [key, n] of signIns) {
                const start = key.split("|")[1] ?? ""
                const p = perPeriod.get(start) ?? { signIns: 0, contacts: 0 }
                perPeriod.set(start, { signIns: p.signIns + n, contacts: p.contacts + 1 })
              }
              assert.deepStrictEqual(
                byKey(
                  report.signInsPerPeriod.map((p) => `${p.periodStart}:${p.signIns}:${p.contacts}`),
                  (s) => s
                ),
                byKey(
                  [...perPeriod].map(([start, p]) => `${start}:${p.signIns}:${p.contacts}`),
                  (s) => s
                )
              )

              // Views and downloads per account.
              const activity = new Map<string, { views: number; invoiceViews: number; downloads: number }>()
              for (const w of written) {
                if (w.at < lower || w.at >= upper) continue
                if (w.kind === "sign-in" || w.kind === "denied-view") continue
                const a = activity.get(w.accountId) ?? { views: 0, invoiceViews: 0, downloads: 0 }
                if (w.kind === "download") a.downloads += 1
                else a.views += 1
                if (w.kind === "invoice-view") a.invoiceViews += 1
                activity.set(w.accountId, a)
              }
              assert.deepStrictEqual(
                byKey(report.activity, (a) => a.accountId),
                byKey(
                  [...activity].map(([accountId, a]) => ({ accountId, ...a })),
                  (a) => a.accountId
                )
              )

              // Accounts with overdue invoices nobody viewed by the end of the as-of date.
              const endOfAsOf = Date.parse(`${addDays(asOf, 1)}T00:00:00Z`)
              const expectedUnseen = accounts.flatMap((a) => {
                const overdue = invoices.filter(
                  (i) => i.invoice.accountId === a.id && i.paid !== "all" && i.invoice.dueDate < asOf
                )
                const unseen = overdue.filter((i) => firstView(i.invoice.id, endOfAsOf) === null)
                return unseen.length === 0
                  ? []
                  : [
                      {
                        accountId: a.id as string,
                        overdue: overdue.length,
                        unseen: unseen.map((i) => i.invoice.id as string).sort(),
                        lookedAtNone: unseen.length === overdue.length
                      }
                    ]
              })
              assert.deepStrictEqual(
                byKey(
                  report.unseenOverdue
                    .filter((a) => a.accountId.startsWith(prefix))
                    .map((a) => ({
                      accountId: a.accountId,
                      overdue: a.overdue,
                      unseen: a.unseen.map((i) => i.invoiceId).sort(),
                      lookedAtNone: a.lookedAtNone
                    })),
                  (a) => a.accountId
                ),
                byKey(expectedUnseen, (a) => a.accountId)
              )
            })
          yield* Effect.promise(() =>
            fc.assert(
              fc.asyncProperty(arbSpec, (spec) => Effect.runPromiseWith(context)(check(spec))),
              { numRuns: backend.name === "pglite" ? 25 : 40 }
            )
          )
        })
      )

      it.effect("only the business reads analytics", () =>
        Effect.gen(function* () {
          const analytics = yield* PortalAnalytics
          const customer: ContactPrincipal = {
            _tag: "ContactPrincipal",
            contactId: ContactId.make("nosy"),
            links: [{ accountId: AccountId.make("nosy-account"), role: "admin" }],
            activeAccountId: AccountId.make("nosy-account")
          }
          const refused = yield* Effect.flip(
            analytics
              .activity("2030-01-01" as LocalDate, "2030-02-01" as LocalDate)
              .pipe(Effect.provideService(CurrentPrincipal, customer))
          )
          assert.strictEqual(
            refused.message,
            "portal analytics are for the business; a ContactPrincipal may not read them"
          )
        })
      )
    })
  })
}
