// What a sync run reports: per-entity counts, the records it quarantined, warnings, duration and lag; the
// progress it announces after each committed batch; and the typed error a failed run ends with.
import { Schema } from "effect"
import { EntityName } from "../erp/Entity.ts"

/** What started a run. */
export const SyncTrigger = Schema.Literals(["on-demand", "schedule", "webhook"])
export type SyncTrigger = typeof SyncTrigger.Type

/** The counts of one entity in one run. `read` = inserted + updated + unchanged + superseded + quarantined. */
export const EntityReport = Schema.Struct({
  entity: EntityName,
  read: Schema.Int,
  inserted: Schema.Int,
  updated: Schema.Int,
  unchanged: Schema.Int,
  /** Earlier copies of a record that appeared again later in the same batch (the later copy was written). */
  superseded: Schema.Int,
  quarantined: Schema.Int,
  /** Figures reported but accepted (stated totals that differ from the lines, for example). */
  warnings: Schema.Int,
  /** Invoice state machine events recorded (InvoiceIssued, PaymentApplied, CreditApplied, PaymentReversed). */
  events: Schema.Int,
  /** Committed batches. */
  batches: Schema.Int,
  /** Why the entity was not synced, when it was not (the source does not offer it, for example). */
  skipped: Schema.optionalKey(Schema.String)
})
export type EntityReport = typeof EntityReport.Type

/** A record that went to the quarantine in this run. */
export const QuarantineNotice = Schema.Struct({
  entity: EntityName,
  externalId: Schema.optionalKey(Schema.String),
  reason: Schema.String
})
export type QuarantineNotice = typeof QuarantineNotice.Type

/** A figure that was accepted but reported. */
export const SyncWarning = Schema.Struct({
  entity: EntityName,
  externalId: Schema.String,
  message: Schema.String
})
export type SyncWarning = typeof SyncWarning.Type

/** The result of a run (also recorded in `portico.sync_runs`). Lists are capped at 200 entries; counts are not. */
export const SyncRun = Schema.Struct({
  runId: Schema.String,
  source: Schema.String,
  trigger: SyncTrigger,
  status: Schema.Literals(["succeeded", "failed", "interrupted"]),
  startedAt: Schema.Number,
  finishedAt: Schema.Number,
  durationMs: Schema.Number,
  /** finishedAt − the newest source timestamp seen (records whose revision is a timestamp), when known. */
  lagMs: Schema.optionalKey(Schema.Number),
  entities: Schema.Array(EntityReport),
  quarantined: Schema.Array(QuarantineNotice),
  warnings: Schema.Array(SyncWarning)
})
export type SyncRun = typeof SyncRun.Type

/** Announced after each committed batch. */
export interface SyncProgress {
  readonly runId: string
  readonly source: string
  readonly entity: EntityName
  /** The entity's counts so far. */
  readonly report: EntityReport
  /** Records committed in the whole run so far. */
  readonly committed: number
}

/** Sum of the counts over entities. */
export const totalsOf = (run: Pick<SyncRun, "entities">) =>
  run.entities.reduce(
    (acc, e) => ({
      read: acc.read + e.read,
      inserted: acc.inserted + e.inserted,
      updated: acc.updated + e.updated,
      unchanged: acc.unchanged + e.unchanged,
      superseded: acc.superseded + e.superseded,
      quarantined: acc.quarantined + e.quarantined,
      warnings: acc.warnings + e.warnings,
      events: acc.events + e.events
    }),
    { read: 0, inserted: 0, updated: 0, unchanged: 0, superseded: 0, quarantined: 0, warnings: 0, events: 0 }
  )

/**
 * A run that could not finish: the source failed with a non-retryable error (or kept failing), or the
 * store refused a write. Everything committed before stays, and so do the cursors of committed batches:
 * the next run continues from there. `run` holds the counts up to the failure.
 */
export class SyncFailed extends Schema.TaggedError<SyncFailed>()("SyncFailed", {
  source: Schema.String,
  entity: Schema.optionalKey(EntityName),
  cause: Schema.Literals(["source", "store"]),
  detail: Schema.String,
  run: SyncRun
}) {
  override get message(): string {
    const where = this.entity === undefined ? "" : ` while syncing ${this.entity}`
    return `sync of "${this.source}" failed${where}: ${this.detail}`
  }
}
