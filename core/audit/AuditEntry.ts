// One audit log entry and its hash: who did what to which records, when, from where, with what outcome,
// chained to the previous entry of the same account by a sha256 over a canonical encoding.
import { createHash } from "node:crypto"
import { Schema } from "effect"

/** What was done: "sign-in", "view", "download", "export", "payment", "settings-change", or a plugin's own. */
export const AuditAction = Schema.String.check(
  Schema.isPattern(/^[a-z][a-z0-9-]{0,63}$/, { expected: "a kebab-case action such as download" })
)
export type AuditAction = typeof AuditAction.Type

/** The actions the core records. */
export const coreActions = [
  "sign-in",
  "sign-out",
  "view",
  "download",
  "export",
  "payment",
  "settings-change",
  "link-created",
  "link-revoked"
] as const

/** How the attempt ended; denied attempts are recorded even though their transaction rolled back. */
export const AuditOutcome = Schema.Literals(["success", "denied", "error"])
export type AuditOutcome = typeof AuditOutcome.Type

/** Who acted: a contact, a signed link, or the system (its id is the job's stated reason). */
export const AuditActor = Schema.Struct({
  kind: Schema.Literals(["contact", "link", "system"]),
  id: Schema.String
})
export type AuditActor = typeof AuditActor.Type

/** A record the action touched: `{ kind: "invoice", id: "inv-1" }`. */
export const AuditRecord = Schema.Struct({ kind: Schema.String, id: Schema.String })
export type AuditRecord = typeof AuditRecord.Type

/** A stored entry. `accountId` null is the system chain (entries about no account). */
export const AuditEntry = Schema.Struct({
  id: Schema.String,
  accountId: Schema.NullOr(Schema.String),
  /** 1, 2, 3, ... within the entry's chain. */
  seq: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
  actor: AuditActor,
  action: AuditAction,
  records: Schema.Array(AuditRecord),
  outcome: AuditOutcome,
  /** Why it was denied or failed (an error tag), or a note. */
  reason: Schema.NullOr(Schema.String),
  ip: Schema.NullOr(Schema.String),
  userAgent: Schema.NullOr(Schema.String),
  /** An ISO-8601 UTC instant with milliseconds. */
  occurredAt: Schema.String,
  prevHash: Schema.String,
  hash: Schema.String
})
export type AuditEntry = typeof AuditEntry.Type

/** What an entry says, before it is sealed into a chain. */
export type AuditFacts = Omit<AuditEntry, "seq" | "prevHash" | "hash">

/** The `prevHash` of a chain's first entry. */
export const genesisHash = "0".repeat(64)

/** The chain an entry belongs to: its account, or "" for the system chain. */
export const chainOf = (entry: { readonly accountId: string | null }): string => entry.accountId ?? ""

/**
 * The canonical encoding that is hashed: a JSON array of every field in a fixed order (arrays keep their
 * order through JSON and jsonb, object keys would not), prefixed with an encoding version.
 */
export const canonicalEncoding = (entry: Omit<AuditEntry, "hash">): string =>
  JSON.stringify([
    "portico-audit-v1",
    chainOf(entry),
    entry.seq,
    entry.id,
    entry.actor.kind,
    entry.actor.id,
    entry.action,
    entry.records.map((record) => [record.kind, record.id]),
    entry.outcome,
    entry.reason,
    entry.ip,
    entry.userAgent,
    entry.occurredAt,
    entry.prevHash
  ])

/** The hex sha256 of an entry's canonical encoding (its `prevHash` included). */
export const hashEntry = (entry: Omit<AuditEntry, "hash">): string =>
  createHash("sha256").update(canonicalEncoding(entry), "utf8").digest("hex")

/** Seals facts as the entry after `previous` (the chain's last entry, or undefined for the first). */
export const seal = (facts: AuditFacts, previous: { readonly seq: number; readonly hash: string } | undefined) => {
  const unsealed = { ...facts, seq: (previous?.seq ?? 0) + 1, prevHash: previous?.hash ?? genesisHash }
  return { ...unsealed, hash: hashEntry(unsealed) } satisfies AuditEntry
}
