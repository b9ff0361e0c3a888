// What an adapter author gives the conformance kit: a real source the kit can fill and change, and the
// adapter configured to read it.
import type { Effect, Scope } from "effect"
import type { CanonicalRecord, EntityName, ErpAdapterShape, ErpError } from "../../core/erp/index.ts"

/**
 * A source that holds documents stores, for each, the bytes `documentBytes(document)` (see Arbitraries.ts);
 * when the adapter's manifest declares `documentContent` the kit reads them back through `content`.
 *
 * A real source (files in a temp folder, a database schema, an HTTP server on 127.0.0.1) for one test run.
 * The kit builds one per run with `fixture({ sourceId })`; decoded records must carry that source id
 * (`source.source`) and canonical ids `sourceId:externalId` (see `canonicalId` in core/erp).
 */
export interface SourceFixture {
  /** The source id the fixture was built for; optional, and when given the kit checks it is the one it asked for. */
  readonly sourceId?: string
  /** The entities this source can hold. The kit generates records of these only. */
  readonly entities: ReadonlyArray<EntityName>
  /** The adapter, configured to read this source. Built after `seed`, and again when the kit needs a fresh one. */
  readonly adapter: Effect.Effect<ErpAdapterShape, ErpError, Scope.Scope>
  /** Replaces the source's content with exactly these records. */
  readonly seed: (records: ReadonlyArray<CanonicalRecord>) => Effect.Effect<void, unknown>
  /**
   * Applies changes: each record is new (an unseen external id) or a new version of an existing one.
   * The kit sends updates only when `supportsUpdates` is true.
   */
  readonly apply: (changes: ReadonlyArray<CanonicalRecord>) => Effect.Effect<void, unknown>
  /**
   * Adds `record` to the source in a form the adapter must reject (a bad date, an unknown currency, a row
   * with a missing column). Returns the external id the rejection should carry, when the adapter can tell.
   */
  readonly corrupt: (record: CanonicalRecord) => Effect.Effect<{ readonly externalId?: string }, unknown>
  /**
   * Removes the bytes of a seeded document from the source (deletes its file, makes its URL answer 404,
   * clears its content column), so the kit can check that `content` then fails with an ErpError. Optional.
   */
  readonly removeContent?: (record: CanonicalRecord) => Effect.Effect<void, unknown>
  /** Whether `apply` can change existing records and an incremental read then returns the new versions. */
  readonly supportsUpdates: boolean
  /**
   * Records per page (request, batch, chunk) when the source pages: the kit then reads sources of exactly
   * k·pageSize and k·pageSize ± 1 records of `pagedEntity`.
   */
  readonly pageSize?: number
  /** The entity used for the page-boundary check (default: the first of `entities`). */
  readonly pagedEntity?: EntityName
  /**
   * What the source can carry of a canonical record (an ERP without PO numbers drops `poNumber`); the kit
   * compares what it reads with `represent(seeded)`. Default: the record itself.
   */
  readonly represent?: (record: CanonicalRecord) => CanonicalRecord
  /** Every secret in the adapter's configuration; none may appear in logs or error messages. */
  readonly secrets: ReadonlyArray<string>
  /**
   * The adapter configured with the same secrets but made to fail (wrong credentials, a closed port), so the
   * kit can check that errors are ErpErrors without secrets in them. Optional for sources without secrets.
   */
  readonly failing?: Effect.Effect<ErpAdapterShape, ErpError, Scope.Scope>
}
