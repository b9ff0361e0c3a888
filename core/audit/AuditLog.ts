// The audit log service: appends entries to their account's hash chain (serialised per account with an
// advisory lock), wraps actions so successes are recorded atomically and denials even after a rollback,
// and verifies chains from the database.
import { randomUUID } from "node:crypto"
import { Clock, Context, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { CurrentPrincipal, type Principal, system } from "../access/Principal.ts"
import type { AccountId } from "../domain/Ids.ts"
import { Store } from "../store/Store.ts"
import { type ChainBreak, verifyChain } from "./AuditChain.ts"
import {
  type AuditAction,
  type AuditActor,
  AuditEntry,
  type AuditOutcome,
  type AuditRecord,
  chainOf,
  seal
} from "./AuditEntry.ts"

/** What the caller says about an action; who and when come from the principal and the clock. */
export interface AuditInput {
  readonly action: AuditAction
  readonly records?: ReadonlyArray<AuditRecord>
  readonly outcome: AuditOutcome
  readonly reason?: string
  /** The account the action concerns; defaults to the principal's active (or only) account. */
  readonly accountId?: AccountId
  readonly ip?: string
  readonly userAgent?: string
}

/** The result of verifying chains: how much was checked and the first broken link of each broken chain. */
export interface VerifyReport {
  readonly chains: number
  readonly entries: number
  readonly broken: ReadonlyArray<{ readonly accountId: string | null; readonly break: ChainBreak }>
}

/** The tags of failures that are a refusal (recorded as "denied") rather than a fault ("error"). */
const denialTags = new Set([
  "NotFound",
  "PermissionDenied",
  "FeatureDisabled",
  "LinkExpired",
  "LinkRevoked",
  "LinkMalformed",
  "LinkTampered"
])

const tagOf = (error: unknown): string =>
  typeof error === "object" && error !== null && "_tag" in error && typeof error._tag === "string"
    ? error._tag
    : "UnknownError"

/** The actor recorded for a principal. */
export const actorOf = (principal: Principal): AuditActor => {
  switch (principal._tag) {
    case "ContactPrincipal":
      return { kind: "contact", id: principal.contactId }
    case "LinkPrincipal":
      return { kind: "link", id: principal.linkId }
    case "SystemPrincipal":
      return { kind: "system", id: principal.reason }
  }
}

const defaultAccount = (principal: Principal): string | null => {
  switch (principal._tag) {
    case "ContactPrincipal":
      return principal.activeAccountId
    case "LinkPrincipal":
      return principal.accountId
    case "SystemPrincipal":
      return null
  }
}

const Row = Schema.Struct({
  id: Schema.String,
  account_id: Schema.NullOr(Schema.String),
  seq: Schema.Union([Schema.BigInt, Schema.Number, Schema.String]),
  principal_kind: Schema.Literals(["contact", "link", "system"]),
  principal_id: Schema.String,
  action: Schema.String,
  records: Schema.Array(Schema.Struct({ kind: Schema.String, id: Schema.String })),
  outcome: Schema.Literals(["success", "denied", "error"]),
  reason: Schema.NullOr(Schema.String),
  ip: Schema.NullOr(Schema.String),
  user_agent: Schema.NullOr(Schema.String),
  occurred_at: Schema.Date,
  prev_hash: Schema.String,
  hash: Schema.String
})
const decodeRows = Schema.decodeUnknownEffect(Schema.Array(Row))
const decodeEntry = Schema.decodeUnknownSync(AuditEntry)

const toEntry = (row: typeof Row.Type): AuditEntry =>
  decodeEntry({
    id: row.id,
    accountId: row.account_id,
    seq: Number(row.seq),
    actor: { kind: row.principal_kind, id: row.principal_id },
    action: row.action,
    records: row.records,
    outcome: row.outcome,
    reason: row.reason,
    ip: row.ip,
    userAgent: row.user_agent,
    occurredAt: row.occurred_at.toISOString(),
    prevHash: row.prev_hash,
    hash: row.hash
  })

const columns = `id, account_id, seq, principal_kind, principal_id, action, records, outcome, reason, ip, user_agent,
  occurred_at, prev_hash, hash`

/** The append-only, hash-chained audit log. */
export class AuditLog extends Context.Service<
  AuditLog,
  {
    /**
     * Appends an entry for the current principal. Inside `Store.withScope` it joins that transaction (it
     * commits or rolls back with the action); outside, it runs in its own.
     */
    readonly append: (input: AuditInput) => Effect.Effect<AuditEntry, SqlError, CurrentPrincipal>
    /**
     * Runs `effect` in a scoped transaction and records it: a success in the same transaction, a failure
     * after the rollback in a transaction of its own ("denied" for NotFound, PermissionDenied,
     * FeatureDisabled and the signed-link refusals; "error" otherwise, with the error's tag as the reason).
     */
    readonly audited: <A, E, R>(
      input: Omit<AuditInput, "outcome" | "reason">,
      effect: Effect.Effect<A, E, R>
    ) => Effect.Effect<A, E | SqlError, R | CurrentPrincipal>
    /** The entries of one account's chain (or the system chain for null) that the principal may read, in order. */
    readonly entries: (accountId: string | null) => Effect.Effect<ReadonlyArray<AuditEntry>, SqlError, CurrentPrincipal>
    /**
     * Verifies one account's chain, or every chain when no account is given, against the recorded heads.
     * Reads as the system (an operator check), so it needs no principal.
     */
    readonly verify: (accountId?: string | null) => Effect.Effect<VerifyReport, SqlError>
  }
>()("portico/core/audit/AuditLog") {
  static readonly layer = Layer.effect(
    AuditLog,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const store = yield* Store

      const readChain = (chain: string) =>
        sql.unsafe(`select ${columns} from portico.audit_log where chain = $1 order by position`, [chain]).pipe(
          Effect.flatMap(decodeRows),
          Effect.orDie,
          Effect.map((rows) => rows.map(toEntry))
        )

      const append = Effect.fn("AuditLog.append")(function* (input: AuditInput) {
        const principal = yield* CurrentPrincipal
        const occurredAt = new Date(yield* Clock.currentTimeMillis).toISOString()
        const facts = {
          id: randomUUID(),
          accountId: input.accountId ?? defaultAccount(principal),
          actor: actorOf(principal),
          action: input.action,
          records: input.records ?? [],
          outcome: input.outcome,
          reason: input.reason ?? null,
          ip: input.ip ?? null,
          userAgent: input.userAgent ?? null,
          occurredAt
        }
        const chain = chainOf(facts)
        return yield* store.withScope(
          Effect.gen(function* () {
            // One appender per chain at a time: the lock is held to the end of the transaction.
            yield* sql`select pg_advisory_xact_lock(hashtext(${`portico/audit/${chain}`}))`
            const last = yield* sql<{ seq: bigint | number | string; hash: string }>`
              select seq, hash from portico.audit_chain_head(${chain})`
            const previous = last[0] === undefined ? undefined : { seq: Number(last[0].seq), hash: last[0].hash }
            const entry = seal(facts, previous)
            yield* sql`insert into portico.audit_log (id, account_id, seq, principal_kind, principal_id, action,
                records, outcome, reason, ip, user_agent, occurred_at, prev_hash, hash)
              values (${entry.id}, ${entry.accountId}, ${entry.seq}, ${entry.actor.kind}, ${entry.actor.id},
                ${entry.action}, ${JSON.stringify(entry.records)}::jsonb, ${entry.outcome}, ${entry.reason},
                ${entry.ip}, ${entry.userAgent}, ${entry.occurredAt}::timestamptz, ${entry.prevHash}, ${entry.hash})`
            return entry
          })
        )
      })

      const audited = <A, E, R>(input: Omit<AuditInput, "outcome" | "reason">, effect: Effect.Effect<A, E, R>) =>
        store.withScope(Effect.tap(effect, () => append({ ...input, outcome: "success" }))).pipe(
          Effect.tapError((error) => {
            const reason = tagOf(error)
            return append({ ...input, outcome: denialTags.has(reason) ? "denied" : "error", reason })
          })
        )

      const entries = (accountId: string | null) => store.withScope(readChain(accountId ?? ""))

      const verify = Effect.fn("AuditLog.verify")(function* (accountId?: string | null) {
        return yield* store
          .withScope(
            Effect.gen(function* () {
              // Chains known from either side: a head without entries, or entries without a head, is a break.
              const heads = yield* sql<{ chain: string; seq: bigint | number | string | null; hash: string | null }>`
                select c.chain, h.seq, h.hash
                from (select chain from portico.audit_heads union select chain from portico.audit_log) c
                left join portico.audit_heads h on h.chain = c.chain
                ${accountId === undefined ? sql`` : sql`where c.chain = ${accountId ?? ""}`}
                order by c.chain`
              const broken: Array<VerifyReport["broken"][number]> = []
              let count = 0
              for (const head of heads) {
                const chainEntries = yield* readChain(head.chain)
                count += chainEntries.length
                const recorded = { seq: head.seq === null ? 0 : Number(head.seq), hash: head.hash ?? "" }
                const found = verifyChain(chainEntries, recorded)
                if (found !== undefined) broken.push({ accountId: head.chain === "" ? null : head.chain, break: found })
              }
              return { chains: heads.length, entries: count, broken }
            })
          )
          .pipe(Effect.provideService(CurrentPrincipal, system("audit verify")))
      })

      return AuditLog.of({ append, audited, entries, verify })
    })
  )
}
