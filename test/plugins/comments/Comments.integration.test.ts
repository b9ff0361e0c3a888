// The comments plugin against PGlite and the PostgreSQL server: a customer comment flags the invoice until the
// business resolves it; disputes move the stored status through the state machine with their events, audit
// entries and a published InvoiceChanged; every thread entry is a CommentAdded on the core bus, which another
// plugin's event handler receives; no customer ever reads another account's thread.
import { assert, describe, layer } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Layer, Queue, Schema, Stream } from "effect"
import { SqlClient } from "effect/sql"
import * as fc from "fast-check"
import { FeatureGates } from "../../../core/access/FeatureGates.ts"
import { CurrentPrincipal, type Principal, system } from "../../../core/access/Principal.ts"
import { AuditLog } from "../../../core/audit/AuditLog.ts"
import { type CommentAdded, DomainEvents } from "../../../core/events/DomainEvents.ts"
import { definePlugin } from "../../../core/plugin/Plugin.ts"
import { composePlugins } from "../../../core/plugin/PluginRegistry.ts"
import { coreMigrations } from "../../../core/store/migrations/coreMigrations.ts"
import { ScopeEnforcement, Store } from "../../../core/store/Store.ts"
import * as StoreLayer from "../../../core/store/StoreLayer.ts"
import type { SyncStore } from "../../../core/store/SyncStore.ts"
import { Comments } from "../../../plugins/comments/Comments.ts"
import { commentsMigrations } from "../../../plugins/comments/CommentsMigrations.ts"
import { arbWorld, inScope, modelScope, principalsOf } from "../../core/store/fixtures.ts"
import { seed } from "../../core/store/storeSuite.ts"
import { backends } from "../../support/Databases.ts"
import { account, contact, invoice, invoiceLink, principalOf, seedWorld } from "./fixtures.ts"

const business = system("comments test: the business")
const as = (principal: Principal) => Effect.provideService(CurrentPrincipal, principal)

let runs = 0
const unique = (name: string) => `${name}-${process.pid}-${++runs}-${Math.random().toString(36).slice(2, 6)}`

/** Two accounts; an admin and a viewer of A, an admin of B; an open invoice in each, one partly paid in A. */
const smallWorld = () => {
  const a = account(unique("a"))
  const b = account(unique("b"))
  const admin = contact(unique("admin"), [[a, "admin"]])
  const viewer = contact(unique("viewer"), [[a, "viewer"]])
  const other = contact(unique("other"), [[b, "admin"]])
  const inA = invoice(unique("ia"), a, 10_000)
  const partial = invoice(unique("ip"), a, 10_000, { paidMinor: 2_500 })
  const inB = invoice(unique("ib"), b, 5_000)
  return {
    a,
    b,
    admin,
    viewer,
    other,
    inA,
    partial,
    inB,
    accounts: [a, b],
    contacts: [admin, viewer, other],
    invoices: [inA, partial, inB]
  }
}

const storedStatus = (invoiceId: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ status: string }>`select status from portico.invoices where id = ${invoiceId}`
    return rows[0]?.status
  })

const storedEvents = (invoiceId: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ type: string }>`select type from portico.invoice_events where invoice_id = ${invoiceId}
      order by position`
    return rows.map((row) => row.type)
  })

const auditActions = (accountId: string) =>
  Effect.gen(function* () {
    const log = yield* AuditLog
    const entries = yield* as(business)(log.entries(accountId))
    return entries.map((entry) => `${entry.action}:${entry.outcome}:${entry.actor.kind}`)
  })

const available = await backends()

for (const backend of available) {
  describe.skipIf(!backend.availability.available)(`comments plugin (${backend.name})`, () => {
    const services = Comments.layer({ commentPermission: "view-invoices", disputePermission: "pay" }).pipe(
      Layer.provideMerge(DomainEvents.layer),
      Layer.provideMerge(StoreLayer.repositories),
      Layer.provideMerge(backend.layer([...coreMigrations, ...commentsMigrations]))
    )
    layer(services, { timeout: 240_000 })((it) => {
      it.effect("a customer comment flags the invoice until the business marks it resolved", () =>
        Effect.gen(function* () {
          const world = smallWorld()
          yield* seedWorld(world)
          const comments = yield* Comments
          const id = world.inA.invoice.id
          const events = yield* DomainEvents
          const seen = yield* Deferred.make<ReadonlyArray<string>>()
          const stream = yield* events.subscription
          yield* Effect.forkScoped(
            stream.pipe(
              Stream.filter((e) => e._tag === "CommentAdded" && e.invoiceId === id),
              Stream.map((e) => (e._tag === "CommentAdded" ? `${e.kind}:${e.side}:${e.needsAttention}` : e._tag)),
              Stream.take(3),
              Stream.runCollect,
              Effect.flatMap((all) => Deferred.succeed(seen, all))
            )
          )
          yield* as(principalOf(world.viewer))(comments.add(id, "  Why is line 1 charged twice? <b>  "))
          const flagged = yield* as(principalOf(world.admin))(comments.thread(id))
          assert.isTrue(flagged.needsAttention)
          assert.deepStrictEqual(
            flagged.entries.map((e) => [e.side, e.kind, e.body]),
            [["customer", "comment", "Why is line 1 charged twice? <b>"]]
          )
          const queue = yield* as(business)(comments.attention)
          assert.deepStrictEqual(
            queue.filter((item) => item.accountId === world.a.id).map((item) => [item.invoiceId, item.needsAttention]),
            [[id, true]]
          )
          // A business reply does not clear the flag; marking it resolved does.
          yield* as(business)(comments.add(id, "We are checking."))
          assert.isTrue((yield* as(business)(comments.thread(id))).needsAttention)
          yield* as(business)(comments.markResolved(id, "Credit note sent."))
          const resolved = yield* as(principalOf(world.admin))(comments.thread(id))
          assert.isFalse(resolved.needsAttention)
          assert.deepStrictEqual(
            resolved.entries.map((e) => [e.side, e.kind]),
            [
              ["customer", "comment"],
              ["business", "comment"],
              ["business", "resolved"]
            ]
          )
          const after = yield* as(business)(comments.attention)
          assert.isFalse(after.some((item) => item.invoiceId === id))
          assert.deepStrictEqual(yield* Deferred.await(seen), [
            "comment:customer:true",
            "comment:business:true",
            "resolved:business:false"
          ])
          // A customer may not resolve, nor list the queue; both refusals are audited.
          const refused = yield* Effect.flip(as(principalOf(world.admin))(comments.markResolved(id)))
          assert.strictEqual(refused._tag, "BusinessOnly")
          const queueRefused = yield* Effect.flip(as(principalOf(world.admin))(comments.attention))
          assert.strictEqual(queueRefused._tag, "BusinessOnly")
          assert.deepStrictEqual(yield* auditActions(world.a.id), [
            "comment-added:success:contact",
            "view:success:contact",
            "comment-added:success:system",
            "view:success:system",
            "comment-resolved:success:system",
            "view:success:contact",
            "comment-resolved:denied:contact"
          ])
          // A thread view names the thread first, so analytics never take it for a view of the invoice.
          const entries = yield* as(business)(
            Effect.flatMap(Effect.service(AuditLog), (log) => log.entries(world.a.id))
          )
          assert.deepStrictEqual(
            [...new Set(entries.filter((e) => e.action === "view").map((e) => e.records.map((r) => r.kind).join(",")))],
            ["comment-thread"]
          )
          assert.deepStrictEqual(entries.find((e) => e.action === "comment-added")?.records[0], { kind: "invoice", id })
          const empty = yield* Effect.flip(as(principalOf(world.admin))(comments.add(id, "   ")))
          assert.strictEqual(empty._tag, "InvalidComment")
        })
      )

      it.effect("another plugin's event handler receives CommentAdded through the core bus", () =>
        Effect.scoped(
          Effect.gen(function* () {
            const world = smallWorld()
            yield* seedWorld(world)
            const id = world.inA.invoice.id
            const received = yield* Queue.unbounded<CommentAdded>()
            const listener = definePlugin({
              id: "comment-listener",
              version: "1.0.0",
              description: "Hears the comments of one invoice.",
              config: Schema.Struct({}),
              make: () => ({
                onEvent: (event) =>
                  event._tag === "CommentAdded" && event.invoiceId === id ? Queue.offer(received, event) : Effect.void
              })
            })
            const bus = Layer.succeed(DomainEvents, yield* DomainEvents)
            yield* Layer.build(composePlugins([listener]).layer.pipe(Layer.provide(bus)))
            const comments = yield* Comments
            const entry = yield* as(principalOf(world.viewer))(comments.add(id, "Is the discount missing?"))
            const resolved = yield* as(business)(comments.markResolved(id))
            assert.deepStrictEqual(
              [yield* Queue.take(received), yield* Queue.take(received)],
              [
                {
                  _tag: "CommentAdded",
                  commentId: entry.id,
                  invoiceId: id,
                  accountId: world.a.id,
                  kind: "comment",
                  side: "customer",
                  needsAttention: true
                },
                {
                  _tag: "CommentAdded",
                  commentId: resolved.id,
                  invoiceId: id,
                  accountId: world.a.id,
                  kind: "resolved",
                  side: "business",
                  needsAttention: false
                }
              ]
            )
          })
        )
      )

      it.effect(
        "a dispute moves the invoice to disputed with its event and audit entry; resolving restores the status",
        () =>
          Effect.gen(function* () {
            const world = smallWorld()
            yield* seedWorld(world)
            const comments = yield* Comments
            const bus = yield* DomainEvents
            const changes = yield* bus.subscription
            const collected = yield* Effect.forkScoped(Stream.runCollect(Stream.take(changes, 2)))
            const open = world.inA.invoice.id
            const partial = world.partial.invoice.id

            // A viewer may comment but not dispute (the default dispute permission is "pay").
            const denied = yield* Effect.flip(as(principalOf(world.viewer))(comments.openDispute(open, "Wrong price")))
            assert.strictEqual(denied._tag, "PermissionDenied")
            assert.strictEqual(yield* storedStatus(open), "open")

            const opened = yield* as(principalOf(world.admin))(comments.openDispute(open, "Wrong price on line 1"))
            assert.deepStrictEqual([opened.before, opened.after], ["open", "disputed"])
            assert.strictEqual(yield* storedStatus(open), "disputed")
            assert.deepStrictEqual(yield* storedEvents(open), ["InvoiceIssued", "Disputed"])
            const again = yield* Effect.flip(as(principalOf(world.admin))(comments.openDispute(open, "Still wrong")))
            assert.strictEqual(again._tag, "AlreadyDisputed")

            const partlyPaid = yield* as(principalOf(world.admin))(comments.openDispute(partial, "Quantity"))
            assert.deepStrictEqual([partlyPaid.before, partlyPaid.after], ["partially-paid", "disputed"])
            const customerResolve = yield* Effect.flip(as(principalOf(world.admin))(comments.resolveDispute(partial)))
            assert.strictEqual(customerResolve._tag, "BusinessOnly")
            const back = yield* as(business)(comments.resolveDispute(partial))
            assert.deepStrictEqual([back.before, back.after], ["disputed", "partially-paid"])
            assert.strictEqual(yield* storedStatus(partial), "partially-paid")
            assert.deepStrictEqual(yield* storedEvents(partial), [
              "InvoiceIssued",
              "PaymentApplied",
              "Disputed",
              "DisputeResolved"
            ])
            const notDisputed = yield* Effect.flip(as(business)(comments.resolveDispute(partial)))
            assert.strictEqual(notDisputed._tag, "NotDisputed")

            const published = yield* Fiber.join(collected)
            assert.deepStrictEqual(
              published.map((e) =>
                e._tag === "InvoiceChanged" ? [e.invoiceId, e.status, e.events.map((x) => x._tag)] : []
              ),
              [
                [open, "disputed", ["Disputed"]],
                [partial, "disputed", ["Disputed"]]
              ]
            )
            const thread = yield* as(principalOf(world.admin))(comments.thread(open))
            assert.deepStrictEqual(
              thread.history.map((item) => (item._tag === "Event" ? item.event._tag : item.entry.kind)),
              ["InvoiceIssued", "Disputed"]
            )
            assert.deepStrictEqual(
              (yield* auditActions(world.a.id)).filter((a) => a.startsWith("dispute")),
              [
                "dispute-opened:denied:contact",
                "dispute-opened:success:contact",
                "dispute-opened:error:contact",
                "dispute-opened:success:contact",
                "dispute-resolved:denied:contact",
                "dispute-resolved:success:system"
              ]
            )
            // The business's queue lists the disputed invoice until it is resolved.
            const queue = yield* as(business)(comments.attention)
            assert.deepStrictEqual(
              queue.filter((item) => item.accountId === world.a.id).map((item) => [item.invoiceId, item.disputed]),
              [[open, true]]
            )
          })
      )

      it.effect("a customer of a tier without the comments feature is refused; the business is not", () =>
        Effect.gen(function* () {
          const basic = account(unique("basic"), "basic")
          const admin = contact(unique("admin"), [[basic, "admin"]])
          const owed = invoice(unique("ibasic"), basic, 1_000)
          yield* seedWorld({ accounts: [basic], contacts: [admin], invoices: [owed] })
          const gated = Comments.layer({ commentPermission: "view-invoices", disputePermission: "pay" }).pipe(
            Layer.provide(FeatureGates.layer({ default: ["comments"], tiers: { [basic.tier]: [] } }))
          )
          const [customer, business_] = yield* Effect.gen(function* () {
            const comments = yield* Comments
            return [
              yield* Effect.flip(as(principalOf(admin))(comments.add(owed.invoice.id, "Hello?"))),
              yield* as(business)(comments.add(owed.invoice.id, "A note from the business"))
            ] as const
          }).pipe(Effect.provide(gated))
          assert.strictEqual(customer._tag, "FeatureDisabled")
          assert.strictEqual(business_.side, "business")
        })
      )

      it.effect("a one-invoice link reads and writes only its invoice's thread; foreign ids are NotFound", () =>
        Effect.gen(function* () {
          const world = smallWorld()
          yield* seedWorld(world)
          const comments = yield* Comments
          const link = invoiceLink(world.inA.invoice)
          yield* as(link)(comments.add(world.inA.invoice.id, "From the link"))
          const own = yield* as(link)(comments.thread(world.inA.invoice.id))
          assert.deepStrictEqual(
            own.entries.map((e) => [e.authorKind, e.body]),
            [["link", "From the link"]]
          )
          for (const other of [world.partial.invoice.id, world.inB.invoice.id]) {
            const read = yield* Effect.flip(as(link)(comments.thread(other)))
            assert.strictEqual(read._tag, "NotFound")
            const write = yield* Effect.flip(as(link)(comments.add(other, "sneaky")))
            assert.strictEqual(write._tag, "NotFound")
          }
          const foreign = yield* Effect.flip(as(principalOf(world.other))(comments.thread(world.inA.invoice.id)))
          assert.strictEqual(foreign._tag, "NotFound")
        })
      )

      it.effect("row-level security refuses a customer's insert into another account's thread", () =>
        Effect.gen(function* () {
          const world = smallWorld()
          yield* seedWorld(world)
          const sql = yield* SqlClient.SqlClient
          const insertAs = (
            role: string,
            accountIds: ReadonlyArray<string>,
            contactId: string,
            invoiceId: string,
            accountId: string,
            authorId = contactId
          ) =>
            sql.withTransaction(
              Effect.gen(function* () {
                yield* sql`select set_config('role', ${role}, true),
                  set_config('portico.account_ids', ${JSON.stringify(accountIds)}, true),
                  set_config('portico.contact_id', ${contactId}, true)`
                yield* sql`insert into portico.invoice_comments (id, invoice_id, account_id, kind, side, author_kind,
                    author_id, body, created_at)
                  values (${unique("c")}, ${invoiceId}, ${accountId}, 'comment', 'customer', 'contact', ${authorId},
                    'x', now())`
              })
            )
          const other = world.other.id
          // B's admin writes on A's invoice under B's account id, under A's account id, on B's own invoice, and
          // on B's invoice signed as A's admin: only the honest one is let in.
          const spoofAccount = yield* Effect.exit(
            insertAs("portico_portal", [world.b.id], other, world.inA.invoice.id, world.b.id)
          )
          const foreignAccount = yield* Effect.exit(
            insertAs("portico_portal", [world.b.id], other, world.inA.invoice.id, world.a.id)
          )
          const ownInvoice = yield* Effect.exit(
            insertAs("portico_portal", [world.b.id], other, world.inB.invoice.id, world.b.id)
          )
          const impostor = yield* Effect.exit(
            insertAs("portico_portal", [world.b.id], other, world.inB.invoice.id, world.b.id, world.admin.id)
          )
          assert.deepStrictEqual([spoofAccount, foreignAccount, ownInvoice, impostor].map(Exit.isSuccess), [
            false,
            false,
            true,
            false
          ])
        })
      )

      it.effect("property: opening and resolving a dispute returns every disputable invoice to its status", () =>
        Effect.gen(function* () {
          const context = yield* Effect.context<Comments | SyncStore | Store | SqlClient.SqlClient>()
          const check = (world: Parameters<typeof seed>[0]) =>
            Effect.gen(function* () {
              yield* seed(world)
              const comments = yield* Comments
              for (const { invoice: i, state } of world.invoices) {
                const before = yield* storedStatus(i.id)
                const opened = yield* Effect.exit(as(business)(comments.openDispute(i.id, "property")))
                // The state machine decides: only an undisputed invoice with something open can be disputed.
                const disputable = !state.disputed && !state.voided && state.open.minor > 0
                assert.strictEqual(Exit.isSuccess(opened), disputable)
                if (!disputable) {
                  assert.strictEqual(yield* storedStatus(i.id), before)
                  continue
                }
                assert.strictEqual(yield* storedStatus(i.id), "disputed")
                const resolved = yield* as(business)(comments.resolveDispute(i.id))
                assert.strictEqual(resolved.after, before)
                assert.strictEqual(yield* storedStatus(i.id), before)
                assert.deepStrictEqual((yield* storedEvents(i.id)).slice(-2), ["Disputed", "DisputeResolved"])
              }
            })
          yield* Effect.promise(() =>
            fc.assert(
              fc.asyncProperty(arbWorld, (world) => Effect.runPromiseWith(context)(check(world))),
              { numRuns: backend.name === "pglite" ? 10 : 20 }
            )
          )
        })
      )

      it.effect("a dispute whose audit entry cannot be written records nothing", () =>
        Effect.gen(function* () {
          const world = smallWorld()
          yield* seedWorld(world)
          const sql = yield* SqlClient.SqlClient
          const comments = yield* Comments
          const id = world.inA.invoice.id
          // A test-only trigger makes the audit insert for this one invoice fail, after the event was written.
          yield* sql.unsafe(`create or replace function portico.test_refuse_audit() returns trigger language plpgsql as $$
            begin if new.records -> 0 ->> 'id' = '${id}' then raise exception 'audit refused by the test'; end if;
            return new; end $$`)
          yield* sql`create trigger test_refuse_audit before insert on portico.audit_log
            for each row execute function portico.test_refuse_audit()`
          const failed = yield* Effect.exit(as(principalOf(world.admin))(comments.openDispute(id, "Wrong price")))
          yield* sql`drop trigger test_refuse_audit on portico.audit_log`
          assert.isTrue(Exit.isFailure(failed))
          assert.strictEqual(yield* storedStatus(id), "open")
          assert.deepStrictEqual(yield* storedEvents(id), ["InvoiceIssued"])
          const opened = yield* as(principalOf(world.admin))(comments.openDispute(id, "Wrong price"))
          assert.strictEqual(opened.after, "disputed")
        })
      )

      it.effect("property: no customer reads a thread entry outside its scope (service conditions on and off)", () =>
        Effect.gen(function* () {
          const context = yield* Effect.context<Comments | SyncStore | Store | SqlClient.SqlClient>()
          const check = (world: Parameters<typeof seed>[0], enforcement: "service+database" | "database-only") =>
            Effect.gen(function* () {
              yield* seed(world)
              const comments = yield* Comments
              const sql = yield* SqlClient.SqlClient
              const principals = principalsOf(world)
              // Everyone comments on every invoice it can reach.
              for (const principal of principals) {
                for (const { invoice: i } of world.invoices) {
                  if (inScope(modelScope(principal), i))
                    yield* as(principal)(comments.add(i.id, `by ${JSON.stringify(principal)}`))
                }
              }
              for (const principal of principals) {
                const scope = modelScope(principal)
                for (const { invoice: i } of world.invoices) {
                  const exit = yield* Effect.exit(as(principal)(comments.thread(i.id)))
                  assert.strictEqual(Exit.isSuccess(exit), inScope(scope, i))
                  if (Exit.isSuccess(exit)) {
                    const writers = principals.filter((p) => inScope(modelScope(p), i)).length
                    assert.strictEqual(exit.value.entries.length, writers)
                    for (const entry of exit.value.entries) {
                      assert.strictEqual(entry.invoiceId, i.id)
                      assert.strictEqual(entry.accountId, i.accountId)
                    }
                  }
                }
                // Row-level security alone: everything the principal's transaction can select is in scope.
                const visible = yield* as(principal)(
                  Effect.flatMap(Effect.service(Store), (store) =>
                    store.withScope(sql<{ account_id: string; invoice_id: string }>`
                      select account_id, invoice_id from portico.invoice_comments`)
                  )
                )
                const expected = world.invoices
                  .filter(({ invoice: i }) => inScope(scope, i))
                  .reduce((n, { invoice: i }) => n + principals.filter((p) => inScope(modelScope(p), i)).length, 0)
                assert.strictEqual(visible.length, expected)
                for (const row of visible) {
                  assert.isTrue(scope.accountIds.has(row.account_id))
                  if (scope.invoiceId !== undefined) assert.strictEqual(row.invoice_id, scope.invoiceId)
                }
              }
            }).pipe(Effect.provideService(ScopeEnforcement, enforcement))
          yield* Effect.promise(() =>
            fc.assert(
              fc.asyncProperty(
                arbWorld,
                fc.constantFrom<"service+database" | "database-only">("service+database", "database-only"),
                (world, enforcement) => Effect.runPromiseWith(context)(check(world, enforcement))
              ),
              { numRuns: backend.name === "pglite" ? 12 : 20 }
            )
          )
        })
      )
    })
  })
}
