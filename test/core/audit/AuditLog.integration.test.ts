// The audit log on both backends: appends chain per account, concurrent appends serialise, the table is
// append-only for everyone, denials are recorded after a rollback, and tampering done as the owner (with the
// trigger disabled) is found by verify: edits, deletions, reordering, in random chains.
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Exit, Layer } from "effect"
import { SqlClient } from "effect/sql"
import * as fc from "fast-check"
import { CurrentPrincipal, type Principal, system } from "../../../core/access/Principal.ts"
import type { AuditInput } from "../../../core/audit/AuditLog.ts"
import { AuditLog } from "../../../core/audit/AuditLog.ts"
import { Tier } from "../../../core/domain/Account.ts"
import { currency } from "../../../core/domain/Currency.ts"
import { AccountId, ContactId, InvoiceId } from "../../../core/domain/Ids.ts"
import { NotFound } from "../../../core/store/StoreErrors.ts"
import * as StoreLayer from "../../../core/store/StoreLayer.ts"
import { SyncStore } from "../../../core/store/SyncStore.ts"
import { backends } from "../../support/Databases.ts"

let accounts = 0
const freshAccount = Effect.gen(function* () {
  const id = AccountId.make(`audit-${process.pid}-${++accounts}-${Math.random().toString(36).slice(2, 8)}`)
  yield* (yield* SyncStore)
    .upsertAccount({
      id,
      source: { source: "audit-test", externalId: id },
      number: "A-1",
      name: "Audited",
      tier: Tier.make("standard"),
      currency: currency("EUR")
    })
    .pipe(Effect.provideService(CurrentPrincipal, system("audit test seeding")))
  return id
})

const contactOf = (accountId: AccountId): Principal => ({
  _tag: "ContactPrincipal",
  contactId: ContactId.make(`contact-of-${accountId}`),
  links: [{ accountId, role: "admin" }],
  activeAccountId: accountId
})

const view = (accountId: AccountId, n: number): AuditInput => ({
  action: n % 2 === 0 ? "view" : "download",
  records: [{ kind: "invoice", id: `inv-${n}` }],
  outcome: "success",
  ip: "203.0.113.7",
  userAgent: "Mozilla/5.0 (test)",
  accountId
})

/** As the table owner, with the append-only trigger off for this one transaction. */
const tamper = (statements: (sql: SqlClient.SqlClient) => Effect.Effect<unknown, unknown>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql.withTransaction(
      Effect.gen(function* () {
        yield* sql`alter table portico.audit_log disable trigger audit_log_no_update_delete`
        yield* statements(sql)
        yield* sql`alter table portico.audit_log enable trigger audit_log_no_update_delete`
      })
    )
  })

for (const backend of await backends()) {
  describe.skipIf(!backend.availability.available)(`AuditLog (${backend.name})`, () => {
    layer(StoreLayer.repositories.pipe(Layer.provideMerge(backend.layer())), { timeout: 180_000 })((it) => {
      it.effect("appends chain per account and verify finds nothing wrong", () =>
        Effect.gen(function* () {
          const audit = yield* AuditLog
          const accountId = yield* freshAccount
          const principal = contactOf(accountId)
          for (let n = 0; n < 4; n++)
            yield* audit.append(view(accountId, n)).pipe(Effect.provideService(CurrentPrincipal, principal))
          const entries = yield* audit.entries(accountId).pipe(Effect.provideService(CurrentPrincipal, principal))
          assert.deepStrictEqual(
            entries.map((e) => e.seq),
            [1, 2, 3, 4]
          )
          assert.strictEqual(entries[0]!.actor.kind, "contact")
          assert.strictEqual(entries[1]!.ip, "203.0.113.7")
          assert.strictEqual(entries[1]!.prevHash, entries[0]!.hash)
          const report = yield* audit.verify(accountId)
          assert.deepStrictEqual(report, { chains: 1, entries: 4, broken: [] })
        })
      )

      it.effect("concurrent appends to one account are serialised into one unbroken chain", () =>
        Effect.gen(function* () {
          const audit = yield* AuditLog
          const accountId = yield* freshAccount
          yield* Effect.all(
            Array.from({ length: 12 }, (_, n) => audit.append(view(accountId, n))),
            { concurrency: "unbounded" }
          ).pipe(Effect.provideService(CurrentPrincipal, contactOf(accountId)))
          const report = yield* audit.verify(accountId)
          assert.deepStrictEqual(report, { chains: 1, entries: 12, broken: [] })
        })
      )

      it.effect("a customer cannot append to, or read, another account's chain", () =>
        Effect.gen(function* () {
          const audit = yield* AuditLog
          const mine = yield* freshAccount
          const theirs = yield* freshAccount
          yield* audit.append(view(theirs, 0)).pipe(Effect.provideService(CurrentPrincipal, system("test")))
          const forged = yield* Effect.exit(
            audit.append(view(theirs, 1)).pipe(Effect.provideService(CurrentPrincipal, contactOf(mine)))
          )
          assert.isTrue(Exit.isFailure(forged))
          const read = yield* audit.entries(theirs).pipe(Effect.provideService(CurrentPrincipal, contactOf(mine)))
          assert.deepStrictEqual(read, [])
          // A one-invoice link appends to its account's chain but reads none of it.
          const invoiceLink: Principal = {
            _tag: "LinkPrincipal",
            linkId: "one-invoice",
            accountId: theirs,
            invoiceId: InvoiceId.make("inv-1"),
            permissions: ["view-invoices"]
          }
          const appended = yield* audit
            .append({ action: "view", outcome: "success", records: [{ kind: "invoice", id: "inv-1" }] })
            .pipe(Effect.provideService(CurrentPrincipal, invoiceLink))
          assert.strictEqual(appended.seq, 2)
          assert.deepStrictEqual(appended.actor, { kind: "link", id: "one-invoice" })
          const hidden = yield* audit.entries(theirs).pipe(Effect.provideService(CurrentPrincipal, invoiceLink))
          assert.deepStrictEqual(hidden, [])
          assert.deepStrictEqual((yield* audit.verify(theirs)).broken, [])
        })
      )

      it.effect("UPDATE, DELETE and TRUNCATE are refused for everyone, the owner included", () =>
        Effect.gen(function* () {
          const audit = yield* AuditLog
          const sql = yield* SqlClient.SqlClient
          const accountId = yield* freshAccount
          const entry = yield* audit
            .append(view(accountId, 0))
            .pipe(Effect.provideService(CurrentPrincipal, contactOf(accountId)))
          const update = yield* Effect.exit(sql`update portico.audit_log set action = 'export' where id = ${entry.id}`)
          const remove = yield* Effect.exit(sql`delete from portico.audit_log where id = ${entry.id}`)
          const truncate = yield* Effect.exit(sql`truncate portico.audit_log`)
          assert.isTrue(Exit.isFailure(update))
          assert.isTrue(Exit.isFailure(remove))
          assert.isTrue(Exit.isFailure(truncate))
          const asPortal = yield* Effect.exit(
            sql.withTransaction(
              Effect.andThen(
                sql`set local role portico_portal`,
                sql`delete from portico.audit_log where id = ${entry.id}`
              )
            )
          )
          assert.isTrue(Exit.isFailure(asPortal))
          assert.deepStrictEqual((yield* audit.verify(accountId)).broken, [])
        })
      )

      it.effect("a denied attempt is recorded although its transaction rolled back", () =>
        Effect.gen(function* () {
          const audit = yield* AuditLog
          const sql = yield* SqlClient.SqlClient
          const accountId = yield* freshAccount
          const principal = contactOf(accountId)
          const attempt = audit.audited(
            { action: "download", records: [{ kind: "document", id: "doc-foreign" }], accountId },
            Effect.gen(function* () {
              // A write the rollback must undo, then the refusal.
              yield* audit.append({ action: "view", outcome: "success", accountId })
              return yield* new NotFound({ kind: "document", id: "doc-foreign" })
            })
          )
          const error = yield* Effect.flip(attempt).pipe(Effect.provideService(CurrentPrincipal, principal))
          assert.strictEqual(error._tag, "NotFound")
          const ok = yield* audit
            .audited({ action: "view", records: [{ kind: "invoice", id: "inv-1" }], accountId }, sql`select 1`)
            .pipe(Effect.provideService(CurrentPrincipal, principal))
          assert.strictEqual(ok.length, 1)
          const entries = yield* audit.entries(accountId).pipe(Effect.provideService(CurrentPrincipal, principal))
          assert.deepStrictEqual(
            entries.map((e) => [e.seq, e.action, e.outcome, e.reason]),
            [
              [1, "download", "denied", "NotFound"],
              [2, "view", "success", null]
            ]
          )
        })
      )

      it.effect("tampering as the owner is detected: random chains, random edits, deletions and reorderings", () =>
        Effect.gen(function* () {
          const context = yield* Effect.context<AuditLog | SyncStore | SqlClient.SqlClient>()
          const run = (length: number, index: number, kind: "edit" | "delete" | "reorder") =>
            Effect.gen(function* () {
              const audit = yield* AuditLog
              const accountId = yield* freshAccount
              const principal = contactOf(accountId)
              const entries: Array<{ id: string; seq: number }> = []
              for (let n = 0; n < length; n++) {
                entries.push(
                  yield* audit.append(view(accountId, n)).pipe(Effect.provideService(CurrentPrincipal, principal))
                )
              }
              const target = entries[index]!
              if (kind === "edit") {
                yield* tamper((sql) => sql`update portico.audit_log set outcome = 'denied' where id = ${target.id}`)
              } else if (kind === "delete") {
                yield* tamper((sql) => sql`delete from portico.audit_log where id = ${target.id}`)
              } else {
                const other = entries[index + 1]!
                yield* tamper((sql) =>
                  Effect.all([
                    sql`update portico.audit_log set seq = 1000000 where id = ${target.id}`,
                    sql`update portico.audit_log set seq = ${target.seq} where id = ${other.id}`,
                    sql`update portico.audit_log set seq = ${other.seq} where id = ${target.id}`
                  ])
                )
              }
              const report = yield* audit.verify(accountId)
              assert.strictEqual(report.broken.length, 1)
              const found = report.broken[0]!.break
              if (kind === "edit") assert.deepStrictEqual(found, { index, entryId: target.id, reason: "hash-mismatch" })
              if (kind === "delete" && index < length - 1) {
                assert.deepStrictEqual(found, { index, entryId: entries[index + 1]!.id, reason: "sequence-gap" })
              }
              if (kind === "delete" && index === length - 1) {
                assert.deepStrictEqual(found, { index, entryId: null, reason: "truncated" })
              }
              if (kind === "reorder") assert.deepStrictEqual(found, { index, entryId: target.id, reason: "reordered" })
            })
          yield* Effect.promise(() =>
            fc.assert(
              fc.asyncProperty(
                fc
                  .integer({ min: 2, max: 6 })
                  .chain((length) =>
                    fc.tuple(
                      fc.constant(length),
                      fc.nat(length - 1),
                      fc.constantFrom("edit" as const, "delete" as const, "reorder" as const)
                    )
                  )
                  .filter(([length, index, kind]) => kind !== "reorder" || index < length - 1),
                ([length, index, kind]) => Effect.runPromiseWith(context)(run(length, index, kind))
              ),
              { numRuns: 15 }
            )
          )
        })
      )
    })
  })
}
