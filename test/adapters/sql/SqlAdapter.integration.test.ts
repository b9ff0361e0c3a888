// The SQL adapter against a real PostgreSQL database: check and discover, full and incremental keyset
// reads with lines and allocations, page boundaries, resumption, rejected rows, the read-only transaction
// and statement timeout as a backstop to the query check, and secrets that never reach errors or logs.
import { assert, describe, expect, layer } from "@effect/vitest"
import { Context, Effect, Layer, Logger, Option, References, Result, Stream } from "effect"
import { TestClock } from "effect/testing"
import fc from "fast-check"
import { sqlAdapter } from "../../../adapters/sql/SqlAdapter.ts"
import {
  Cursor,
  type ErpAdapterShape,
  type ErpError,
  makeAdapter,
  type ReadItem,
  type SourceRecord
} from "../../../core/erp/index.ts"
import { postgresAvailability } from "../../support/Requirements.ts"
import {
  type ErpDatabase,
  erpData,
  erpDatabase,
  erpEntities,
  lineNetCents,
  seed,
  totalsOf,
  upsert
} from "./support/ErpDatabase.ts"

const availability = await postgresAvailability()

class Erp extends Context.Service<Erp, ErpDatabase>()("test/adapters/sql/Erp") {
  static readonly layer = Layer.effect(Erp, erpDatabase())
}

const settings = (url: string, extra: Record<string, unknown> = {}) => ({
  url,
  batchSize: 3,
  entities: erpEntities,
  ...extra
})

const adapter = (url: string, extra: Record<string, unknown> = {}) =>
  makeAdapter(sqlAdapter, { sourceId: "erp" }, settings(url, extra))

const readAll = (a: ErpAdapterShape, entity: "accounts" | "invoices" | "payments", cursor?: Cursor) =>
  Stream.runCollect(a.read(entity, Option.fromNullishOr(cursor))).pipe(Effect.map((items) => [...items]))

const records = (items: ReadonlyArray<ReadItem>): ReadonlyArray<SourceRecord> =>
  items.flatMap((item) => (item._tag === "SourceRecord" ? [item] : []))

const ids = (items: ReadonlyArray<ReadItem>) => records(items).map((r) => r.externalId)

const escapePart = (part: string) => part.replaceAll("%", "%25").replaceAll("/", "%2F")
const invoiceId = (company: string, invoiceNo: number) => `${escapePart(company)}/${invoiceNo}`

describe.skipIf(!availability.available)("SqlAdapter (PostgreSQL)", () => {
  layer(Erp.layer, { timeout: "60 seconds" })((it) => {
    it.effect("check connects, proves every query and mapped column, and approves the read-only role", () =>
      Effect.gen(function* () {
        const erp = yield* Erp
        const a = yield* adapter(erp.readerUrl)
        const result = yield* a.check()
        assert.isTrue(result.ok, JSON.stringify(result.checks))
        expect(result.checks.map((c) => c.name)).toEqual([
          "connection",
          "accounts: query",
          "accounts: primary key unique",
          "accounts: ordering columns not null",
          "invoices: query",
          "invoices: primary key unique",
          "invoices: ordering columns not null",
          "payments: query",
          "payments: primary key unique",
          "payments: ordering columns not null",
          "read-only role"
        ])
      }).pipe(Effect.scoped)
    )

    it.effect("check names the missing columns as a schema mismatch", () =>
      Effect.gen(function* () {
        const erp = yield* Erp
        const a = yield* adapter(erp.readerUrl, {
          entities: {
            accounts: { ...erpEntities.accounts, mapping: { ...erpEntities.accounts.mapping, taxId: "vat_no" } }
          }
        })
        const error = yield* Effect.flip(a.check())
        assert.strictEqual(error.reason._tag, "SchemaMismatch")
        expect(error.message).toContain('entities.accounts: the SELECT has no column "vat_no"')
        assert.isFalse(error.retryable)
      }).pipe(Effect.scoped)
    )

    it.effect("check reports a superuser role, and a query the server refuses as a schema mismatch", () =>
      Effect.gen(function* () {
        const erp = yield* Erp
        const admin = yield* adapter(erp.adminUrl)
        const result = yield* admin.check()
        const role = result.checks.find((c) => c.name === "read-only role")
        assert.isFalse(result.ok)
        expect(role?.message).toContain("superuser")
        const broken = yield* adapter(erp.readerUrl, {
          entities: { accounts: { ...erpEntities.accounts, select: "select * from no_such_table" } }
        })
        const error = yield* Effect.flip(broken.check())
        assert.strictEqual(error.reason._tag, "SchemaMismatch")
        expect(error.message).toContain("no_such_table")
      }).pipe(Effect.scoped)
    )

    it.effect("a refused SELECT fails when the adapter is built, before anything connects", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(
          adapter("postgres://nobody:pw@127.0.0.1:1/none", {
            entities: {
              accounts: {
                ...erpEntities.accounts,
                select: "with gone as (delete from customers returning *) select * from gone"
              }
            }
          })
        )
        assert.strictEqual(error.reason._tag, "SchemaMismatch")
        expect(error.message).toContain("entities.accounts.select: the query is refused (data-modifying)")
      }).pipe(Effect.scoped)
    )

    it.effect("a SELECT with comments, a CTE and a trailing semicolon and comment runs as written", () =>
      Effect.gen(function* () {
        const erp = yield* Erp
        yield* erp.admin`truncate customers`
        yield* erp.admin`insert into customers values ('C1', 'A; --not a comment', 'EUR', null, '2026-01-01 00:00:01+00')`
        const a = yield* adapter(erp.readerUrl, {
          entities: {
            accounts: {
              ...erpEntities.accounts,
              select: `/* customers /* nested */ */ with c as (select * from customers) -- the CTE
                select customer_no, name, currency, email, changed_at from c where name <> 'x; delete' ; -- end`
            }
          }
        })
        const items = yield* readAll(a, "accounts")
        expect(records(items)).toMatchObject([{ externalId: "C1", data: { row: { name: "A; --not a comment" } } }])
      }).pipe(Effect.scoped)
    )

    it.effect("discover lists each configured query's columns", () =>
      Effect.gen(function* () {
        const erp = yield* Erp
        const a = yield* adapter(erp.readerUrl)
        const { entities } = yield* a.discover()
        const accounts = entities.find((e) => e.entity === "accounts")
        assert.isTrue(accounts?.available)
        expect(accounts?.note).toContain("columns customer_no, name, currency, email, changed_at")
        expect(accounts?.note).toContain("incremental by changed_at, customer_no")
        assert.isFalse(entities.find((e) => e.entity === "documents")?.available)
      }).pipe(Effect.scoped)
    )

    it.effect("a full read returns exactly the source, decoded, for any data and page size", () =>
      Effect.gen(function* () {
        const erp = yield* Erp
        const samples = fc.sample(fc.tuple(erpData(12), fc.integer({ min: 1, max: 7 })), { numRuns: 12, seed: 4242 })
        for (const [data, batchSize] of samples) {
          yield* seed(erp.admin, data, 1)
          const a = yield* adapter(erp.readerUrl, { batchSize })
          const invoices = yield* readAll(a, "invoices")
          expect([...ids(invoices)].sort()).toEqual(data.invoices.map((i) => invoiceId(i.company, i.invoiceNo)).sort())
          for (const record of records(invoices)) {
            const decoded = a.decode(record)
            assert.isTrue(Result.isSuccess(decoded), Result.isFailure(decoded) ? decoded.failure.message : "")
            if (Result.isFailure(decoded) || decoded.success.entity !== "invoices") continue
            const source = data.invoices.find((i) => invoiceId(i.company, i.invoiceNo) === record.externalId)
            assert.isDefined(source)
            if (source === undefined) continue
            const invoice = decoded.success.value
            const totals = totalsOf(source)
            assert.deepStrictEqual(
              [invoice.totals.net.minor, invoice.totals.tax.minor, invoice.totals.total.minor],
              [totals.net, totals.tax, totals.total]
            )
            assert.deepStrictEqual(
              invoice.lines.map((l) => [l.lineNumber, l.description, Number(l.quantity), l.statedNet?.minor]),
              source.lines.map((l, n) => [n + 1, l.description.trim(), l.qty, lineNetCents(l)])
            )
            assert.strictEqual(invoice.accountId, `erp:${source.customerNo}`)
          }
          const accounts = yield* readAll(a, "accounts")
          expect([...ids(accounts)].sort()).toEqual(data.customers.map((c) => c.customerNo).sort())
          const payments = yield* readAll(a, "payments")
          expect([...ids(payments)].sort()).toEqual(data.payments.map((p) => String(p.paymentId)).sort())
          for (const record of records(payments)) assert.isTrue(Result.isSuccess(a.decode(record)))
        }
      }).pipe(Effect.scoped)
    )

    it.effect("an incremental read from the last cursor returns exactly the changed and new rows", () =>
      Effect.gen(function* () {
        const erp = yield* Erp
        const samples = fc.sample(
          fc.tuple(erpData(10), erpData(6), fc.integer({ min: 1, max: 5 }), fc.array(fc.nat(), { maxLength: 4 })),
          { numRuns: 10, seed: 77 }
        )
        for (const [data, extra, batchSize, picks] of samples) {
          yield* seed(erp.admin, data, 1)
          const a = yield* adapter(erp.readerUrl, { batchSize })
          const first = yield* readAll(a, "invoices")
          const last = first.at(-1)?.cursor
          // change some existing invoices, add new ones (keys may collide with existing: then they change)
          const changed = picks.flatMap((p) => {
            const invoice = data.invoices[p % Math.max(1, data.invoices.length)]
            return invoice === undefined ? [] : [{ ...invoice, poNumber: "PO-9999" }]
          })
          const added = extra.invoices.map((i) => ({ ...i, customerNo: data.customers[0]?.customerNo ?? "C000" }))
          yield* upsert(erp.admin, { customers: data.customers, invoices: [...changed, ...added] }, 2)
          const expected = new Set([...changed, ...added].map((i) => invoiceId(i.company, i.invoiceNo)))
          const next = yield* readAll(a, "invoices", last)
          expect([...ids(next)].sort()).toEqual([...expected].sort())
          // and nothing more after that
          const after = next.at(-1)?.cursor ?? last
          expect(ids(yield* readAll(a, "invoices", after))).toEqual(
            last === undefined && after === undefined ? ids(first) : []
          )
        }
      }).pipe(Effect.scoped)
    )

    it.effect("page boundaries: exact multiples of the batch size and one either side", () =>
      Effect.gen(function* () {
        const erp = yield* Erp
        const base = fc.sample(erpData(0), { numRuns: 1, seed: 5 })[0]!
        for (const batchSize of [1, 2, 5]) {
          for (const count of [batchSize * 2 - 1, batchSize * 2, batchSize * 2 + 1]) {
            const invoices = Array.from({ length: count }, (_, n) => ({
              company: "ACME",
              invoiceNo: n + 1,
              customerNo: base.customers[0]!.customerNo,
              issuedOn: "2026-01-01",
              dueInDays: 30,
              poNumber: null,
              lines: []
            }))
            yield* seed(erp.admin, { customers: base.customers, invoices, payments: [] }, 1)
            const a = yield* adapter(erp.readerUrl, { batchSize })
            const items = yield* readAll(a, "invoices")
            // keyset order: cursor column (all equal here), then the primary key (company, invoice_no)
            expect(ids(items)).toEqual(invoices.map((i) => `ACME/${i.invoiceNo}`))
          }
        }
      }).pipe(Effect.scoped)
    )

    it.effect("a read interrupted anywhere and resumed from the last cursor loses and repeats nothing", () =>
      Effect.gen(function* () {
        const erp = yield* Erp
        const [data] = fc.sample(erpData(14), { numRuns: 1, seed: 99 })
        yield* seed(erp.admin, data!, 1)
        const a = yield* adapter(erp.readerUrl, { batchSize: 4 })
        const full = ids(yield* readAll(a, "invoices"))
        for (let stop = 1; stop <= full.length; stop++) {
          const head = [...(yield* Stream.runCollect(Stream.take(a.read("invoices", Option.none()), stop)))]
          const rest = yield* readAll(a, "invoices", head.at(-1)?.cursor)
          expect([...ids(head), ...ids(rest)]).toEqual(full)
        }
      }).pipe(Effect.scoped)
    )

    it.effect("a cursor from another configuration, or not from this adapter, is refused", () =>
      Effect.gen(function* () {
        const erp = yield* Erp
        const [data] = fc.sample(erpData(4), { numRuns: 1, seed: 3 })
        yield* seed(erp.admin, data!, 1)
        const a = yield* adapter(erp.readerUrl)
        const cursor = (yield* readAll(a, "accounts")).at(-1)?.cursor
        assert.isDefined(cursor)
        const { cursorColumn: _, ...fullOnly } = erpEntities.accounts
        const b = yield* adapter(erp.readerUrl, { entities: { accounts: fullOnly } })
        const changed = yield* Effect.flip(readAll(b, "accounts", cursor))
        assert.strictEqual(changed.reason._tag, "SchemaMismatch")
        expect(changed.message).toContain("ordered by changed_at, customer_no, not for this configuration")
        const foreign = yield* Effect.flip(readAll(a, "invoices", cursor))
        expect(foreign.message).toContain("the stored cursor was made for accounts")
        const garbage = yield* Effect.flip(readAll(a, "accounts", Cursor.make("page=2")))
        assert.strictEqual(garbage.reason._tag, "SchemaMismatch")
        expect(garbage.message).toContain("reset the source's cursor")
      }).pipe(Effect.scoped)
    )

    it.effect("bad rows are rejected with the reason and the raw row, never dropped", () =>
      Effect.gen(function* () {
        const erp = yield* Erp
        yield* erp.admin`truncate customers`
        yield* erp.admin`insert into customers values
          ('C1', 'Good', 'EUR', null, '2026-01-01 00:00:01+00'),
          ('C2', 'Bad currency', 'EURO', null, '2026-01-01 00:00:02+00'),
          ('C3', null, 'EUR', null, '2026-01-01 00:00:03+00'),
          ('C4', 'No timestamp', 'EUR', null, null)`
        const a = yield* adapter(erp.readerUrl, { batchSize: 2 })
        const items = yield* readAll(a, "accounts")
        expect(ids(items)).toEqual(["C1", "C2", "C3"])
        const decoded = records(items).map((r) => Result.map(a.decode(r), (c) => c.entity))
        assert.isTrue(Result.isSuccess(decoded[0]!))
        const failures = decoded.flatMap((d) => (Result.isFailure(d) ? [d.failure] : []))
        expect(failures.map((f) => f.path)).toEqual(["currency", "name"])
        const rejected = items.flatMap((i) => (i._tag === "RejectedRecord" ? [i] : []))
        expect(rejected.map((r) => [r.rejection.path, r.raw])).toEqual([
          [
            "changed_at",
            {
              row: { customer_no: "C4", name: "No timestamp", currency: "EUR", email: null, changed_at: null }
            }
          ]
        ])
        const check = yield* a.check()
        assert.isFalse(check.checks.find((c) => c.name === "accounts: ordering columns not null")?.ok)
      }).pipe(Effect.scoped)
    )

    it.effect("the read-only transaction stops a write the query check cannot see", () =>
      Effect.gen(function* () {
        const erp = yield* Erp
        yield* erp.admin.unsafe(
          "create or replace function sneaky() returns integer language sql as 'insert into write_probe values (1) returning 1'"
        )
        // connected as the superuser, so only the transaction stands in the way
        const a = yield* adapter(erp.adminUrl, {
          entities: {
            accounts: { ...erpEntities.accounts, select: "select c.*, sneaky() as probe from customers c" }
          }
        })
        const error = yield* Effect.flip(readAll(a, "accounts"))
        expect(error.message).toContain("read-only transaction")
        const probe = yield* erp.admin<{ n: string }>`select count(*)::text as n from write_probe`
        expect(probe[0]?.n).toBe("0")
      }).pipe(Effect.scoped)
    )

    it.effect("the statement timeout stops a query that runs too long, in check and in reads", () =>
      Effect.gen(function* () {
        const erp = yield* Erp
        yield* erp.admin.unsafe(
          "create or replace function slow() returns integer language sql as 'select 1 from pg_sleep(30)'"
        )
        yield* erp.admin.unsafe("grant execute on function slow() to public")
        const a = yield* adapter(erp.readerUrl, {
          statementTimeoutMillis: 100,
          entities: { accounts: { ...erpEntities.accounts, select: "select c.*, slow() as s from customers c" } }
        })
        const checked = yield* Effect.flip(a.check())
        assert.strictEqual(checked.reason._tag, "Timeout")
        assert.isTrue(checked.retryable)
        // a read retries the page a few times (real clock: the backoff is real), then fails the same way
        const read = yield* Effect.flip(TestClock.withLive(readAll(a, "accounts")))
        assert.strictEqual(read.reason._tag, "Timeout")
        expect(read.message).toContain("statement timeout")
      }).pipe(Effect.scoped)
    )

    it.effect("the database password never appears in errors or logs", () => {
      const logs: Array<string> = []
      const capture = Logger.make(({ message }) => {
        logs.push(JSON.stringify(message, (_, v) => (typeof v === "bigint" ? String(v) : v)))
      })
      return Effect.gen(function* () {
        const erp = yield* Erp
        const errors: Array<ErpError> = []
        const badDatabase = erp.readerUrl.replace(erp.name, `${erp.name}_missing`)
        const badPort = erp.readerUrl.replace(":5432", ":1")
        for (const url of [badDatabase, badPort]) {
          const a = yield* adapter(url)
          errors.push(yield* Effect.flip(a.check()))
          errors.push(yield* Effect.flip(readAll(a, "invoices")))
          yield* Effect.logError("sync failed", errors.at(-1))
        }
        const good = yield* adapter(erp.readerUrl)
        yield* Effect.logInfo("check", yield* good.check())
        const text = [...errors.map((e) => `${e.message} ${JSON.stringify(e)} ${String(e)}`), ...logs].join("\n")
        expect(logs.length).toBeGreaterThan(0)
        expect(text).not.toContain(erp.readerPassword)
        expect(errors.map((e) => e.reason._tag)).toEqual(["NotFound", "NotFound", "Connection", "Connection"])
      }).pipe(
        Effect.provide(Logger.layer([capture])),
        Effect.provideService(References.MinimumLogLevel, "All"),
        Effect.scoped
      )
    })
  })
})
