// The one store suite, run against every backend (PGlite and the PostgreSQL server): idempotent sync writes,
// the portal's queries, and the isolation properties, each run with the repositories' own scope conditions
// and again with them switched off, so row-level security alone must hold the line.
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Exit, Layer, Result } from "effect"
import { SqlClient } from "effect/sql"
import * as fc from "fast-check"
import { CurrentPrincipal, type Principal, system } from "../../../core/access/Principal.ts"
import { RevokedLinks } from "../../../core/access/SignedLink.ts"
import { type InvoiceEvent, replay } from "../../../core/billing/InvoiceStateMachine.ts"
import { balanceForwardStatement } from "../../../core/billing/Statement.ts"
import { AccountId, DocumentId, EventId, InvoiceId, PaymentId } from "../../../core/domain/Ids.ts"
import { localDate } from "../../../core/domain/LocalDate.ts"
import { AccountSummaries } from "../../../core/store/AccountSummaries.ts"
import { Accounts } from "../../../core/store/Accounts.ts"
import { Documents } from "../../../core/store/Documents.ts"
import type { InvoiceQuery } from "../../../core/store/InvoiceQuery.ts"
import { type InvoiceSummary, Invoices } from "../../../core/store/Invoices.ts"
import { SignedLinkStore } from "../../../core/store/SignedLinkStore.ts"
import { Statements } from "../../../core/store/Statements.ts"
import { CustomPlans, ScopeEnforcement, Store } from "../../../core/store/Store.ts"
import * as StoreLayer from "../../../core/store/StoreLayer.ts"
import { SyncState } from "../../../core/store/SyncState.ts"
import { SyncStore } from "../../../core/store/SyncStore.ts"
import type { TestDatabaseLayer } from "../../support/Databases.ts"
import { arbQuery, arbWorld, inScope, modelList, modelScope, principalsOf, type World } from "./fixtures.ts"

const seeder = system("store suite seeding")

/** Writes a world as the system. */
export const seed = (world: World) =>
  Effect.gen(function* () {
    const sync = yield* SyncStore
    for (const account of world.accounts) yield* sync.upsertAccount(account)
    for (const contact of world.contacts) yield* sync.upsertContact(contact)
    for (const { invoice, state } of world.invoices) yield* sync.upsertInvoice(invoice, state)
  }).pipe(Effect.provideService(CurrentPrincipal, seeder))

/** Every page of a list, following `nextCursor`. */
const allPages = (query: InvoiceQuery) =>
  Effect.gen(function* () {
    const invoices = yield* Invoices
    const items: Array<InvoiceSummary> = []
    let cursor: string | undefined
    for (let page = 0; page < 100; page++) {
      const result = yield* invoices.list(cursor === undefined ? query : { ...query, cursor })
      items.push(...result.items)
      if (result.nextCursor === undefined) return items
      cursor = result.nextCursor
    }
    return yield* Effect.die("pagination did not end")
  })

const sortValue = (item: InvoiceSummary, field: NonNullable<InvoiceQuery["sort"]>["field"]) =>
  field === "issue-date"
    ? item.issueDate
    : field === "due-date"
      ? item.dueDate
      : field === "amount"
        ? item.total.minor
        : undefined

/**
 * The isolation property for one enforcement mode: for any world, principal and filter, the list equals the
 * model (so every row is in scope, none missing), pages join up to the whole list in order, and guessed or
 * foreign ids are NotFound.
 */
const isolationProperty = (enforcement: "service+database" | "database-only", numRuns: number) =>
  Effect.gen(function* () {
    const context = yield* Effect.context<Invoices | SyncStore | AccountSummaries | Accounts | Statements | Documents>()
    const check = (world: World, queries: ReadonlyArray<InvoiceQuery>) =>
      Effect.gen(function* () {
        yield* seed(world)
        const invoices = yield* Invoices
        const summaries = yield* AccountSummaries
        const accounts = yield* Accounts
        for (const principal of principalsOf(world)) {
          const scope = modelScope(principal)
          const as = Effect.provideService(CurrentPrincipal, principal as Principal)
          for (const query of queries) {
            const expected = modelList(world, scope, query).map(({ invoice }) => invoice.id)
            const listed = yield* as(allPages({ ...query, limit: 2 }))
            assert.deepStrictEqual([...listed.map((i) => i.id)].sort(), [...expected].sort())
            for (const item of listed) assert.isTrue(scope.accountIds.has(item.accountId))
            const field = query.sort?.field ?? "issue-date"
            const descending = (query.sort?.direction ?? "desc") === "desc"
            for (let i = 1; i < listed.length; i++) {
              const a = sortValue(listed[i - 1]!, field)
              const b = sortValue(listed[i]!, field)
              if (a !== undefined && b !== undefined) assert.isTrue(descending ? a >= b : a <= b)
            }
          }
          // A sample of ids per principal: in scope, foreign, and (below) guessed.
          for (const { invoice } of world.invoices.slice(0, 5)) {
            const exit = yield* as(Effect.exit(invoices.detail(invoice.id, localDate("2026-01-01"))))
            if (inScope(scope, invoice)) {
              assert.isTrue(Exit.isSuccess(exit))
              if (Exit.isSuccess(exit)) assert.strictEqual(exit.value.invoice.number, invoice.number)
            } else {
              const error = yield* Effect.flip(as(invoices.detail(invoice.id, localDate("2026-01-01"))))
              assert.strictEqual(error._tag, "NotFound")
            }
          }
          const guessed = yield* Effect.flip(
            as(invoices.detail(InvoiceId.make(`${world.accounts[0]!.id}-guess`), localDate("2026-01-01")))
          )
          assert.strictEqual(guessed._tag, "NotFound")
          for (const account of world.accounts) {
            const summary = yield* as(Effect.exit(summaries.summary(account.id, localDate("2026-01-01"))))
            const visible = yield* as(Effect.exit(accounts.get(account.id)))
            const allowed =
              scope.invoiceId === undefined ? scope.accountIds.has(account.id) : scope.accountIds.has(account.id)
            assert.strictEqual(Exit.isSuccess(summary), allowed)
            assert.strictEqual(Exit.isSuccess(visible), allowed)
          }
          const own = yield* as(accounts.list)
          for (const account of own) assert.isTrue(scope.accountIds.has(account.id))
          const statements = yield* Statements
          const firstAccount = world.accounts[0]!
          const statement = yield* as(Effect.exit(statements.documents(firstAccount.id, localDate("2026-12-31"))))
          assert.strictEqual(Exit.isSuccess(statement), scope.accountIds.has(firstAccount.id))
          if (Exit.isSuccess(statement)) {
            for (const invoice of statement.value.invoices) {
              const seeded = world.invoices.find((s) => s.invoice.id === invoice.id)
              assert.isDefined(seeded)
              assert.strictEqual(seeded?.invoice.accountId, firstAccount.id)
            }
          }
          for (const contact of world.contacts) {
            const shared = contact.links.some((link) => scope.accountIds.has(link.accountId))
            const self = principal._tag === "ContactPrincipal" && principal.contactId === contact.id
            const found = yield* as(Effect.exit(accounts.contact(contact.id)))
            if (Exit.isSuccess(found)) assert.isTrue(scope.invoiceId === undefined && (shared || self))
            else if (scope.invoiceId === undefined && shared) assert.fail(`contact ${contact.id} should be visible`)
            const byEmail = yield* as(Effect.exit(accounts.contactByEmail(contact.email.toUpperCase())))
            assert.strictEqual(Exit.isSuccess(byEmail), Exit.isSuccess(found))
          }
        }
      }).pipe(Effect.provideService(ScopeEnforcement, enforcement))
    yield* Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(
          arbWorld.chain((world) =>
            fc.tuple(fc.constant(world), fc.array(arbQuery(world), { minLength: 1, maxLength: 3 }))
          ),
          ([world, queries]) => Effect.runPromiseWith(context)(check(world, queries))
        ),
        { numRuns }
      )
    )
  })

/** The store suite against one backend; `makeLayer` gives a fresh, migrated database. */
export const storeSuite = (name: string, makeLayer: () => TestDatabaseLayer, options: { readonly numRuns: number }) =>
  describe(`store (${name})`, () => {
    layer(StoreLayer.repositories.pipe(Layer.provideMerge(makeLayer())), { timeout: 180_000 })((it) => {
      it.effect("isolation holds with service conditions and row-level security", () =>
        isolationProperty("service+database", options.numRuns)
      )

      it.effect("isolation holds with row-level security alone (service conditions switched off)", () =>
        isolationProperty("database-only", options.numRuns)
      )

      it.effect("upserts insert, skip unchanged content, update changed content, and keep events unique", () =>
        Effect.gen(function* () {
          const [world] = fc.sample(
            arbWorld.filter((w) => w.invoices.length > 0),
            1
          )
          const sync = yield* SyncStore
          yield* seed(world!)
          const { invoice, state } = world!.invoices[0]!
          assert.strictEqual(yield* sync.upsertInvoice(invoice, state), "unchanged")
          assert.strictEqual(yield* sync.upsertAccount(world!.accounts[0]!), "unchanged")
          const changed = { ...invoice, poNumber: "PO-CHANGED" }
          assert.strictEqual(yield* sync.upsertInvoice(changed, state), "updated")
          assert.strictEqual(yield* sync.upsertInvoice(changed, state), "unchanged")
          const fresh = {
            ...invoice,
            id: InvoiceId.make(`${invoice.id}-new`),
            source: { source: "store-suite", externalId: `${invoice.id}-new` }
          }
          assert.strictEqual(yield* sync.upsertInvoice(fresh, state), "inserted")
          const detail = yield* (yield* Invoices).detail(invoice.id, localDate("2026-01-01"))
          assert.strictEqual(detail.invoice.poNumber, "PO-CHANGED")
          assert.deepStrictEqual(
            detail.history.map((e) => e.eventId),
            state.history.map((e) => e.eventId)
          )
          assert.deepStrictEqual(detail.invoice.lines, invoice.lines)
        }).pipe(Effect.provideService(CurrentPrincipal, seeder))
      )

      it.effect("search input is a literal substring: wildcards, quotes, escapes and comments are harmless", () =>
        Effect.gen(function* () {
          const [base] = fc.sample(arbWorld, 1)
          const accountId = base!.accounts[0]!.id
          const make = (index: number, number: string) => {
            const total = { currency: base!.accounts[0]!.currency, minor: 100 }
            const id = InvoiceId.make(`${accountId}-s${index}`)
            const state = replay([
              {
                _tag: "InvoiceIssued",
                eventId: EventId.make(`${id}-e`),
                occurredOn: localDate("2026-01-01"),
                invoiceId: id,
                total,
                dueDate: localDate("2026-01-31"),
                currency: total.currency
              }
            ])
            return { id, number, total, state }
          }
          const numbers = ["100%", "1000", "A_B", "AXB", "O'Brien", "back\\slash", "x;--y", "日本-1"]
          const world: World = {
            accounts: [base!.accounts[0]!],
            contacts: [],
            invoices: numbers.flatMap((number, index) => {
              const { id, total, state } = make(index, number)
              if (state._tag !== "Issued") return []
              return [
                {
                  invoice: {
                    id,
                    accountId,
                    source: { source: "store-suite", externalId: id },
                    number,
                    issueDate: localDate("2026-01-01"),
                    dueDate: localDate("2026-01-31"),
                    currency: total.currency,
                    lines: [],
                    taxLines: [],
                    totals: { net: total, tax: { ...total, minor: 0 }, total }
                  },
                  state
                }
              ]
            })
          }
          yield* seed(world)
          const invoices = yield* Invoices
          const link: Principal = { _tag: "LinkPrincipal", linkId: "search", accountId, permissions: ["view-invoices"] }
          const search = (text: string) =>
            invoices
              .list({ asOf: localDate("2026-02-01"), search: text, sort: { field: "number", direction: "asc" } })
              .pipe(
                Effect.map((page) => page.items.map((i) => i.number).sort()),
                Effect.provideService(CurrentPrincipal, link)
              )
          assert.deepStrictEqual(yield* search("%"), ["100%"])
          assert.deepStrictEqual(yield* search("_"), ["A_B"])
          assert.deepStrictEqual(yield* search("'"), ["O'Brien"])
          assert.deepStrictEqual(yield* search("\\"), ["back\\slash"])
          assert.deepStrictEqual(yield* search(";--"), ["x;--y"])
          assert.deepStrictEqual(yield* search("日本"), ["日本-1"])
          assert.deepStrictEqual(yield* search("' or 1=1 --"), [])
          assert.deepStrictEqual(yield* search("a_b"), ["A_B"])
        })
      )

      it.effect("a cursor from another sort order, or a forged one, is InvalidCursor", () =>
        Effect.gen(function* () {
          const invoices = yield* Invoices
          const principal: Principal = {
            _tag: "LinkPrincipal",
            linkId: "c",
            accountId: AccountId.make("nobody"),
            permissions: []
          }
          const bad = (cursor: string, sort: NonNullable<InvoiceQuery["sort"]>) =>
            Effect.flip(invoices.list({ asOf: localDate("2026-01-01"), cursor, sort })).pipe(
              Effect.provideService(CurrentPrincipal, principal)
            )
          const amountCursor = Buffer.from(JSON.stringify(["amount", "desc", 5, "x"])).toString("base64url")
          assert.strictEqual(
            (yield* bad(amountCursor, { field: "issue-date", direction: "desc" }))._tag,
            "InvalidCursor"
          )
          assert.strictEqual((yield* bad("not a cursor", { field: "amount", direction: "desc" }))._tag, "InvalidCursor")
          const badDate = Buffer.from(JSON.stringify(["due-date", "asc", "2026-13-45", "x"])).toString("base64url")
          assert.strictEqual((yield* bad(badDate, { field: "due-date", direction: "asc" }))._tag, "InvalidCursor")
        })
      )

      it.effect("the database alone refuses: raw SQL as the portal role sees only its scope and cannot write", () =>
        Effect.gen(function* () {
          const [world] = fc.sample(
            arbWorld.filter((w) => w.invoices.length > 0),
            1
          )
          yield* seed(world!)
          const sql = yield* SqlClient.SqlClient
          const store = yield* Store
          const target = world!.invoices[0]!.invoice
          const link: Principal = { _tag: "LinkPrincipal", linkId: "raw", accountId: target.accountId, permissions: [] }
          const rows = yield* store
            .withScope(sql<{ account_id: string }>`select account_id from portico.invoices`)
            .pipe(Effect.provideService(CurrentPrincipal, link))
          assert.isTrue(rows.length > 0)
          for (const row of rows) assert.strictEqual(row.account_id, target.accountId)
          const unscoped = yield* sql.withTransaction(
            Effect.andThen(
              sql`set local role portico_portal`,
              sql<{ n: bigint }>`select count(*) as n from portico.invoices`
            )
          )
          assert.strictEqual(Number(unscoped[0]!.n), 0)
          const write = yield* Effect.exit(
            store
              .withScope(sql`update portico.invoices set number = 'hacked' where id = ${target.id}`)
              .pipe(Effect.provideService(CurrentPrincipal, link))
          )
          assert.isTrue(Exit.isFailure(write))
          const forgedScope = yield* Effect.exit(
            store
              .withScope(sql`insert into portico.quarantine (source, entity, reason, raw) values ('x', 'y', 'z', 'w')`)
              .pipe(Effect.provideService(CurrentPrincipal, link))
          )
          assert.isTrue(Exit.isFailure(forgedScope))
        })
      )

      it.effect("policies evaluate the scope once (an InitPlan, not per row) and use the account index", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const store = yield* Store
          const link: Principal = {
            _tag: "LinkPrincipal",
            linkId: "plan",
            accountId: AccountId.make("a"),
            permissions: []
          }
          const plan = yield* store
            .withScope(
              Effect.andThen(
                sql`select set_config('enable_seqscan', 'off', true)`,
                sql.unsafe<{ "QUERY PLAN": string }>(
                  "explain select id from portico.invoices where issue_date > '2020-01-01' order by issue_date desc, id desc limit 10"
                )
              )
            )
            .pipe(Effect.provideService(CurrentPrincipal, link))
          const text = plan.map((row) => row["QUERY PLAN"]).join("\n")
          assert.include(text, "InitPlan")
          assert.notInclude(text, "SubPlan")
          // Which (account_id, ...) index the planner picks depends on the data; that the scope is in an index
          // condition, evaluated from the InitPlan, is what matters.
          assert.match(text, /Index Cond: \(+account_id = ANY/, text)
        })
      )

      it.effect("a nested scope hands the outer scope back when it ends", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const store = yield* Store
          const outer: Principal = {
            _tag: "LinkPrincipal",
            linkId: "o",
            accountId: AccountId.make("outer"),
            permissions: []
          }
          const inner: Principal = {
            _tag: "LinkPrincipal",
            linkId: "i",
            accountId: AccountId.make("inner"),
            permissions: []
          }
          const setting = sql<{
            ids: string
            role: string
          }>`select current_setting('portico.account_ids') as ids, current_user as role`
          const seen = yield* store
            .withScope(
              Effect.gen(function* () {
                const during = yield* store.withScope(setting).pipe(Effect.provideService(CurrentPrincipal, inner))
                const after = yield* setting
                return [during[0]!.ids, after[0]!.ids, after[0]!.role]
              })
            )
            .pipe(Effect.provideService(CurrentPrincipal, outer))
          assert.deepStrictEqual(seen, ['["inner"]', '["outer"]', "portico_portal"])
        })
      )

      it.effect("scoped transactions force custom plans, unless a batch writer lets them be generic", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const store = yield* Store
          const mode = sql<{ mode: string }>`select current_setting('plan_cache_mode') as mode`
          const portal: Principal = {
            _tag: "LinkPrincipal",
            linkId: "p",
            accountId: AccountId.make("a"),
            permissions: []
          }
          const modes = [
            yield* store.withScope(mode).pipe(Effect.provideService(CurrentPrincipal, portal)),
            yield* store.withScope(mode).pipe(Effect.provideService(CurrentPrincipal, seeder)),
            yield* store
              .withScope(mode)
              .pipe(Effect.provideService(CurrentPrincipal, seeder), Effect.provideService(CustomPlans, false))
          ].map((rows) => rows[0]?.mode)
          assert.deepStrictEqual(modes, ["force_custom_plan", "force_custom_plan", "auto"])
        })
      )

      it.effect("account summary: open, overdue, disputed, aging buckets and credit per currency", () =>
        Effect.gen(function* () {
          const [base] = fc.sample(arbWorld, 1)
          const account = base!.accounts[0]!
          const eur = account.currency
          const mk = (n: number, due: string, total: number, extra: "none" | "half" | "dispute" | "overpay") => {
            const id = InvoiceId.make(`${account.id}-sum${n}`)
            const money = { currency: eur, minor: total }
            const events: Array<InvoiceEvent> = [
              {
                _tag: "InvoiceIssued",
                eventId: EventId.make(`${id}-0`),
                occurredOn: localDate("2025-09-01"),
                invoiceId: id,
                total: money,
                dueDate: localDate(due),
                currency: eur
              }
            ]
            if (extra === "half")
              events.push({
                _tag: "PaymentApplied",
                eventId: EventId.make(`${id}-1`),
                occurredOn: localDate("2025-12-02"),
                paymentId: PaymentId.make("p"),
                amount: { currency: eur, minor: total / 2 }
              })
            if (extra === "overpay")
              events.push({
                _tag: "PaymentApplied",
                eventId: EventId.make(`${id}-1`),
                occurredOn: localDate("2025-12-02"),
                paymentId: PaymentId.make("p"),
                amount: { currency: eur, minor: total + 50 }
              })
            if (extra === "dispute")
              events.push({
                _tag: "Disputed",
                eventId: EventId.make(`${id}-1`),
                occurredOn: localDate("2025-12-02"),
                reason: "no"
              })
            const state = replay(events)
            if (state._tag !== "Issued") return []
            return [
              {
                invoice: {
                  id,
                  accountId: account.id,
                  source: { source: "store-suite", externalId: id },
                  number: `S${n}`,
                  issueDate: localDate("2025-09-01"),
                  dueDate: localDate(due),
                  currency: eur,
                  lines: [],
                  taxLines: [],
                  totals: { net: money, tax: { ...money, minor: 0 }, total: money }
                },
                state
              }
            ]
          }
          const world: World = {
            accounts: [account],
            contacts: [],
            invoices: [
              ...mk(1, "2026-01-20", 1000, "none"), // not yet due on 2026-01-10
              ...mk(2, "2026-01-05", 2000, "half"), // 5 days overdue, 1000 open
              ...mk(3, "2025-10-01", 4000, "none"), // 101 days overdue
              ...mk(4, "2025-12-01", 800, "dispute"), // disputed: open and aged (40 days), not overdue
              ...mk(5, "2025-12-01", 300, "overpay") // paid, 50 excess credit
            ]
          }
          yield* seed(world)
          const summary = yield* (yield* AccountSummaries)
            .summary(account.id, localDate("2026-01-10"))
            .pipe(Effect.provideService(CurrentPrincipal, seeder))
          assert.strictEqual(summary.currencies.length, 1)
          const figures = summary.currencies[0]!
          assert.deepStrictEqual(figures.open, { currency: eur, minor: 1000 + 1000 + 4000 + 800 })
          assert.deepStrictEqual(figures.overdue, { currency: eur, minor: 1000 + 4000 })
          assert.strictEqual(figures.overdueCount, 2)
          assert.deepStrictEqual(figures.disputed, { currency: eur, minor: 800 })
          assert.deepStrictEqual(figures.credit, { currency: eur, minor: 50 })
          assert.deepStrictEqual(
            figures.aging.buckets.map((b) => [b.label, b.amount.minor, b.count]),
            [
              ["current", 1000, 1],
              ["1-30", 1000, 1],
              ["31-60", 800, 1],
              ["61-90", 0, 0],
              ["over-90", 4000, 1]
            ]
          )
          // The payments behind the PaymentApplied events, so the statement and the summary describe one ledger.
          const sync = yield* SyncStore
          const payment = (n: number, invoice: number, minor: number) =>
            sync.upsertPayment({
              id: PaymentId.make(`${account.id}-pay${n}`),
              accountId: account.id,
              source: { source: "store-suite", externalId: `${account.id}-pay${n}` },
              reference: `REF-${n}`,
              receivedDate: localDate("2025-12-02"),
              amount: { currency: eur, minor },
              allocations: [
                { invoiceId: InvoiceId.make(`${account.id}-sum${invoice}`), amount: { currency: eur, minor } }
              ]
            })
          yield* Effect.all([payment(1, 2, 1000), payment(2, 5, 350)]).pipe(
            Effect.provideService(CurrentPrincipal, seeder)
          )
          const documents = yield* (yield* Statements)
            .documents(account.id, localDate("2026-01-31"))
            .pipe(Effect.provideService(CurrentPrincipal, seeder))
          assert.deepStrictEqual(
            documents.invoices.map((i) => i.number),
            ["S1", "S2", "S3", "S4", "S5"]
          )
          assert.deepStrictEqual(
            documents.payments.map((p) => [p.reference, p.amount.minor, p.allocations.length]),
            [
              ["REF-1", 1000, 1],
              ["REF-2", 350, 1]
            ]
          )
          const statement = balanceForwardStatement(documents, {
            currency: eur,
            from: localDate("2025-09-01"),
            to: localDate("2026-01-31")
          })
          assert.isTrue(Result.isSuccess(statement), String(statement))
          if (Result.isSuccess(statement)) {
            // closing = invoiced - paid = what is open on the invoices less the account's credit
            assert.strictEqual(statement.success.closing.minor, 8100 - 1350)
            assert.strictEqual(statement.success.closing.minor, figures.open.minor - figures.credit.minor)
          }
        })
      )

      it.effect("documents: bytes round-trip in the database; foreign and guessed ids are NotFound", () =>
        Effect.gen(function* () {
          const [world] = fc.sample(
            arbWorld.filter((w) => w.invoices.length > 0),
            1
          )
          yield* seed(world!)
          const invoice = world!.invoices[0]!.invoice
          const bytes = new Uint8Array([0, 1, 2, 250, 255])
          const document = {
            id: DocumentId.make(`${invoice.id}-doc`),
            accountId: invoice.accountId,
            source: { source: "store-suite", externalId: `${invoice.id}-doc` },
            invoiceId: invoice.id,
            fileName: "delivery-note.pdf",
            contentType: "application/pdf",
            size: bytes.length,
            sha256: "a".repeat(64)
          }
          assert.strictEqual(
            yield* (yield* SyncStore)
              .upsertDocument(document, bytes)
              .pipe(Effect.provideService(CurrentPrincipal, seeder)),
            "inserted"
          )
          const documents = yield* Documents
          const owner: Principal = {
            _tag: "LinkPrincipal",
            linkId: "d",
            accountId: invoice.accountId,
            permissions: ["download"]
          }
          const stranger: Principal = {
            _tag: "LinkPrincipal",
            linkId: "s",
            accountId: AccountId.make(`${invoice.accountId}-other`),
            permissions: ["download"]
          }
          const got = yield* documents.content(document.id).pipe(Effect.provideService(CurrentPrincipal, owner))
          assert.deepStrictEqual([...got.content], [...bytes])
          assert.strictEqual(got.document.fileName, "delivery-note.pdf")
          for (const mode of ["service+database", "database-only"] as const) {
            const error = yield* Effect.flip(documents.content(document.id)).pipe(
              Effect.provideService(CurrentPrincipal, stranger),
              Effect.provideService(ScopeEnforcement, mode)
            )
            assert.strictEqual(error._tag, "NotFound")
          }
          const detail = yield* (yield* Invoices)
            .detail(invoice.id, localDate("2026-01-01"))
            .pipe(Effect.provideService(CurrentPrincipal, owner))
          assert.deepStrictEqual(
            detail.documents.map((d) => d.documentId),
            [document.id]
          )
        })
      )

      it.effect("signed links: stored, found in scope only, revoked once, and the RevokedLinks port reads them", () =>
        Effect.gen(function* () {
          const [world] = fc.sample(arbWorld, 1)
          yield* seed(world!)
          const links = yield* SignedLinkStore
          const revokedLinks = yield* RevokedLinks
          const accountId = world!.accounts[0]!.id
          const grant = {
            id: `lnk${world!.accounts[0]!.id.replace(/[^A-Za-z0-9]/g, "")}`,
            accountId,
            permissions: ["view-invoices" as const],
            expiresAt: Date.parse("2030-01-01T00:00:00Z")
          }
          yield* links.insert(grant).pipe(Effect.provideService(CurrentPrincipal, seeder))
          const owner: Principal = { _tag: "LinkPrincipal", linkId: grant.id, accountId, permissions: [] }
          const other: Principal = {
            _tag: "LinkPrincipal",
            linkId: "x",
            accountId: world!.accounts[1]!.id,
            permissions: []
          }
          const found = yield* links.find(grant.id).pipe(Effect.provideService(CurrentPrincipal, owner))
          assert.deepStrictEqual(found.grant, grant)
          assert.strictEqual(
            (yield* Effect.flip(links.find(grant.id)).pipe(Effect.provideService(CurrentPrincipal, other)))._tag,
            "NotFound"
          )
          assert.isFalse(yield* revokedLinks.isRevoked(grant.id))
          const at = new Date("2026-05-01T10:00:00.000Z")
          yield* links.revoke(grant.id, at).pipe(Effect.provideService(CurrentPrincipal, seeder))
          yield* links
            .revoke(grant.id, new Date("2027-01-01T00:00:00.000Z"))
            .pipe(Effect.provideService(CurrentPrincipal, seeder))
          assert.isTrue(yield* revokedLinks.isRevoked(grant.id))
          const after = yield* links.find(grant.id).pipe(Effect.provideService(CurrentPrincipal, seeder))
          assert.strictEqual(after.revokedAt?.toISOString(), at.toISOString())
          const revokeByPortal = yield* Effect.exit(
            links.revoke(grant.id, at).pipe(Effect.provideService(CurrentPrincipal, owner))
          )
          assert.isTrue(Exit.isFailure(revokeByPortal))
        })
      )

      it.effect("sync state: cursors and quarantine for the system; nothing for a customer", () =>
        Effect.gen(function* () {
          const state = yield* SyncState
          const source = `src-${Math.random().toString(36).slice(2)}`
          assert.isUndefined(yield* state.getCursor(source, "invoices"))
          yield* state.setCursor(source, "invoices", "2026-01-01T00:00:00Z#42")
          yield* state.setCursor(source, "invoices", "2026-01-02T00:00:00Z#7")
          assert.strictEqual(yield* state.getCursor(source, "invoices"), "2026-01-02T00:00:00Z#7")
          const id = yield* state.quarantine({
            source,
            entity: "invoices",
            externalId: "INV-9",
            reason: "due date before issue date",
            raw: '{"id":"INV-9"}'
          })
          const listed = yield* state.quarantined({ source })
          assert.deepStrictEqual(
            listed.map((r) => [r.id, r.externalId, r.reason, r.raw]),
            [[id, "INV-9", "due date before issue date", '{"id":"INV-9"}']]
          )
          yield* state.resolve(id)
          assert.deepStrictEqual(yield* state.quarantined({ source }), [])
          assert.strictEqual((yield* Effect.flip(state.resolve(-1)))._tag, "NotFound")
          const customer: Principal = {
            _tag: "LinkPrincipal",
            linkId: "q",
            accountId: AccountId.make("a"),
            permissions: []
          }
          const denied = yield* Effect.exit(
            state.getCursor(source, "invoices").pipe(Effect.provideService(CurrentPrincipal, customer))
          )
          assert.isTrue(Exit.isFailure(denied))
        }).pipe(Effect.provideService(CurrentPrincipal, seeder))
      )
    })
  })
