// The running counts of one sync run, turned into progress notices, the final report, or a SyncFailed.
import type { EntityName } from "../../erp/Entity.ts"
import {
  type EntityReport,
  type QuarantineNotice,
  SyncFailed,
  type SyncProgress,
  type SyncRun,
  type SyncTrigger,
  type SyncWarning
} from "../SyncRun.ts"
import type { BatchResult } from "./BatchProcessor.ts"

/** How many quarantine notices and warnings a report lists (the counts are always complete). */
export const listedLimit = 200

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** Mutable counts, owned by one run's fiber. */
export class RunTally {
  private readonly entities = new Map<EntityName, Mutable<EntityReport>>()
  private readonly notices: Array<QuarantineNotice> = []
  private readonly warnings: Array<SyncWarning> = []
  private newest: number | undefined
  private committed = 0
  readonly runId: string
  readonly source: string
  readonly trigger: SyncTrigger
  readonly startedAt: number

  constructor(runId: string, source: string, trigger: SyncTrigger, startedAt: number) {
    this.runId = runId
    this.source = source
    this.trigger = trigger
    this.startedAt = startedAt
  }

  private entry(entity: EntityName): Mutable<EntityReport> {
    const existing = this.entities.get(entity)
    if (existing !== undefined) return existing
    const created: Mutable<EntityReport> = {
      entity,
      read: 0,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      superseded: 0,
      quarantined: 0,
      warnings: 0,
      events: 0,
      batches: 0
    }
    this.entities.set(entity, created)
    return created
  }

  begin(entity: EntityName): void {
    this.entry(entity)
  }

  skip(entity: EntityName, why: string): void {
    this.entry(entity).skipped = why
  }

  add(entity: EntityName, read: number, batch: BatchResult): void {
    const e = this.entry(entity)
    e.read += read
    e.inserted += batch.inserted
    e.updated += batch.updated
    e.unchanged += batch.unchanged
    e.superseded += batch.superseded
    e.quarantined += batch.quarantined
    e.warnings += batch.warnings.length
    e.events += batch.events
    e.batches += 1
    this.committed += read
    for (const notice of batch.notices) if (this.notices.length < listedLimit) this.notices.push(notice)
    for (const warning of batch.warnings) if (this.warnings.length < listedLimit) this.warnings.push(warning)
    if (batch.newest !== undefined && (this.newest === undefined || batch.newest > this.newest)) {
      this.newest = batch.newest
    }
  }

  progress(entity: EntityName): SyncProgress {
    return {
      runId: this.runId,
      source: this.source,
      entity,
      report: { ...this.entry(entity) },
      committed: this.committed
    }
  }

  report(status: SyncRun["status"], finishedAt: number): SyncRun {
    return {
      runId: this.runId,
      source: this.source,
      trigger: this.trigger,
      status,
      startedAt: this.startedAt,
      finishedAt,
      durationMs: finishedAt - this.startedAt,
      ...(this.newest === undefined ? {} : { lagMs: Math.max(0, finishedAt - this.newest) }),
      entities: [...this.entities.values()].map((e) => ({ ...e })),
      quarantined: [...this.notices],
      warnings: [...this.warnings]
    }
  }

  /** A SyncFailed with the counts so far (the engine replaces `run` with the final report). */
  failed(cause: "source" | "store", detail: string, entity?: EntityName): SyncFailed {
    return new SyncFailed({
      source: this.source,
      ...(entity === undefined ? {} : { entity }),
      cause,
      detail,
      run: this.report("failed", this.startedAt)
    })
  }
}
