// One batch of documents. Their bytes are fetched through the adapter's `content` OUTSIDE the batch's
// transaction (network time must not hold it open), within a size limit and retrying what a retry can help,
// then hashed and written idempotently; a document whose bytes cannot be had, or disagree with what the
// source stated, is quarantined with the reason. A stored document whose stated hash and metadata are
// unchanged is not fetched again.
import { createHash } from "node:crypto"
import { Effect, Result, Schema } from "effect"
import type { SqlError } from "effect/sql/SqlError"
import type { CurrentPrincipal } from "../../access/Principal.ts"
import type { Document } from "../../domain/Document.ts"
import { ContentTooLarge, DocumentMetadata, readContent } from "../../erp/DocumentContent.ts"
import type { ErpAdapterShape } from "../../erp/ErpAdapter.ts"
import { type RetryOptions, retryPolicy } from "../../erp/Retry.ts"
import { documentContentHash, type StoredDocumentVersion } from "../../store/Documents.ts"
import { type QuarantineWrite, SyncBatches } from "../../store/SyncBatches.ts"
import { SyncReads } from "../../store/SyncReads.ts"
import { SyncStore, type UpsertOutcome } from "../../store/SyncStore.ts"
import { type BatchResult, type DecodedBatch, rawText } from "./BatchProcessor.ts"

type Reject = DecodedBatch["rejects"][number]

/** How document bytes are fetched. */
export interface DocumentFetchOptions {
  /** The largest document accepted, in bytes. */
  readonly maxBytes: number
  readonly retry?: RetryOptions | undefined
}

interface Fetched {
  readonly externalId: string
  readonly data: unknown
  readonly document: Document
  readonly content: Uint8Array
}

/** A batch of documents with their bytes, ready to be written. */
export interface FetchedDocuments {
  readonly fetched: ReadonlyArray<Fetched>
  /** Stored documents whose stated hash and metadata match: not fetched, not written. */
  readonly unchanged: number
  readonly rejects: ReadonlyArray<Reject>
}

const isMetadata = Schema.is(DocumentMetadata)

/** How many documents are fetched at once. */
const fetchConcurrency = 4

/** The document `metadata` describes once its bytes are known, or why the bytes do not fit it. */
const completed = (metadata: DocumentMetadata, content: Uint8Array): Result.Result<Document, string> => {
  const sha256 = createHash("sha256").update(content).digest("hex")
  if (metadata.size !== undefined && metadata.size !== content.byteLength) {
    return Result.fail(`the source states ${metadata.size} bytes but its content has ${content.byteLength}`)
  }
  if (metadata.sha256 !== undefined && metadata.sha256 !== sha256) {
    return Result.fail(`the source states sha256 ${metadata.sha256} but its content hashes to ${sha256}`)
  }
  return Result.succeed({ ...metadata, size: content.byteLength, sha256 })
}

/** Whether the store already holds exactly this document: only knowable without the bytes when the source states their hash. */
const unchangedWithoutFetch = (metadata: DocumentMetadata, stored: StoredDocumentVersion | undefined): boolean => {
  if (stored === undefined || metadata.sha256 === undefined || metadata.sha256 !== stored.sha256) return false
  if (metadata.size !== undefined && metadata.size !== stored.size) return false
  return documentContentHash({ ...metadata, size: stored.size, sha256: stored.sha256 }) === stored.contentHash
}

/**
 * Fetches the bytes of a decoded batch of documents. Never fails: a document whose bytes cannot be read (for
 * good, after retries), are over the limit, or disagree with the stated size or hash becomes a reject.
 */
export const fetchDocuments = (
  adapter: ErpAdapterShape,
  decoded: DecodedBatch,
  stored: ReadonlyMap<string, StoredDocumentVersion>,
  options: DocumentFetchOptions
): Effect.Effect<FetchedDocuments> =>
  Effect.gen(function* () {
    const rejects: Array<Reject> = [...decoded.rejects]
    const fetched: Array<Fetched> = []
    let unchanged = 0
    const reject = (record: { readonly externalId: string; readonly data: unknown }, reason: string) =>
      rejects.push({ externalId: record.externalId, reason, raw: rawText(record.data) })
    const content = adapter.content
    yield* Effect.forEach(
      decoded.records,
      (record) =>
        Effect.gen(function* () {
          const metadata = record.value
          if (!isMetadata(metadata)) return reject(record, `read as documents but decoded as another entity`)
          if (unchangedWithoutFetch(metadata, stored.get(record.externalId))) {
            unchanged += 1
            return
          }
          if (content === undefined) {
            return reject(record, `the ${adapter.adapterId} adapter does not deliver document content`)
          }
          const bytes = yield* readContent(content(record), options.maxBytes).pipe(
            // Too large is an answer, not a failure to retry.
            Effect.catchTag("ContentTooLarge", (tooLarge) => Effect.succeed(tooLarge)),
            Effect.retry(retryPolicy(options.retry)),
            Effect.result
          )
          if (Result.isFailure(bytes)) return reject(record, `its content could not be read: ${bytes.failure.message}`)
          if (bytes.success instanceof ContentTooLarge)
            return reject(record, `its content is larger than the limit of ${bytes.success.maxBytes} bytes`)
          const document = completed(metadata, bytes.success)
          if (Result.isFailure(document)) return reject(record, document.failure)
          fetched.push({
            externalId: record.externalId,
            data: record.data,
            document: document.success,
            content: bytes.success
          })
        }),
      { concurrency: fetchConcurrency, discard: true }
    )
    return { fetched, unchanged, rejects }
  })

const count = (outcomes: ReadonlyArray<UpsertOutcome>, outcome: UpsertOutcome) =>
  outcomes.filter((o) => o === outcome).length

/**
 * Writes fetched documents in the caller's transaction: each must belong to a stored account, and to a stored
 * invoice of that account when it names one; rejects are quarantined with the batch.
 */
export const writeDocuments = Effect.fnUntraced(function* (
  source: string,
  batch: FetchedDocuments,
  decoded: DecodedBatch
): Effect.fn.Return<BatchResult, SqlError, SyncBatches | SyncReads | SyncStore | CurrentPrincipal> {
  const batches = yield* SyncBatches
  const reads = yield* SyncReads
  const store = yield* SyncStore
  const documents = batch.fetched.map((f) => f.document)
  const accounts = yield* reads.existing(
    "accounts",
    documents.map((d) => d.accountId)
  )
  const invoices = yield* reads.invoices(documents.flatMap((d) => (d.invoiceId === undefined ? [] : [d.invoiceId])))
  const rejects: Array<Reject> = [...batch.rejects]
  const outcomes: Array<UpsertOutcome> = []
  for (const record of batch.fetched) {
    const { document } = record
    const invoice = document.invoiceId === undefined ? undefined : invoices.get(document.invoiceId)
    const reason = !accounts.has(document.accountId)
      ? `account ${document.accountId} is not in the store (sync accounts first, or check the account number)`
      : document.invoiceId !== undefined && invoice === undefined
        ? `belongs to invoice ${document.invoiceId}, which is not in the store`
        : invoice !== undefined && invoice.accountId !== document.accountId
          ? `belongs to invoice ${document.invoiceId} of another account`
          : undefined
    if (reason !== undefined) {
      rejects.push({ externalId: record.externalId, reason, raw: rawText(record.data) })
      continue
    }
    outcomes.push(yield* store.upsertDocument(document, record.content))
  }
  yield* batches.quarantine(
    rejects.map(
      (r): QuarantineWrite => ({ source, entity: "documents", externalId: r.externalId, reason: r.reason, raw: r.raw })
    )
  )
  return {
    inserted: count(outcomes, "inserted"),
    updated: count(outcomes, "updated"),
    unchanged: count(outcomes, "unchanged") + batch.unchanged,
    superseded: decoded.superseded,
    quarantined: rejects.length,
    warnings: [],
    events: 0,
    notices: rejects.map((r) => ({
      entity: "documents" as const,
      ...(r.externalId === undefined ? {} : { externalId: r.externalId }),
      reason: r.reason
    })),
    domainEvents: [],
    ...(decoded.newest === undefined ? {} : { newest: decoded.newest })
  }
})
