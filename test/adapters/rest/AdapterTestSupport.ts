// Small helpers for the HTTP adapter tests: read a whole stream, decode it (failing loudly on a rejection),
// and capture log lines so tests can check that no secret is ever logged and wait for a retry to begin.
import { Deferred, Effect, type Layer, Logger, Option, Result, Stream } from "effect"
import type { CreditNote, Invoice } from "../../../core/domain/index.ts"
import type { CanonicalRecord, Cursor, EntityName, ErpAdapterShape, ReadItem } from "../../../core/erp/index.ts"

/** Every item of `entity`, from the start or after `cursor`. */
export const readAll = (adapter: ErpAdapterShape, entity: EntityName, cursor: Option.Option<Cursor> = Option.none()) =>
  Stream.runCollect(adapter.read(entity, cursor))

/** The canonical values of source records (typed `unknown` so tests compare against plain literals). */
export const decodeAll = (adapter: ErpAdapterShape, items: ReadonlyArray<ReadItem>): Array<unknown> =>
  items.map((item) => {
    if (item._tag !== "SourceRecord") throw new Error(`unexpected rejected record: ${item.rejection.message}`)
    const result = adapter.decode(item)
    if (Result.isFailure(result)) throw new Error(`unexpected decode failure: ${result.failure.message}`)
    return result.success.value
  })

/** The external ids of the items, in order. */
export const idsOf = (items: ReadonlyArray<ReadItem>): Array<string | undefined> => items.map((item) => item.externalId)

/** Log lines written while the layer is provided; `warned` completes at the first warning. */
export interface CapturedLogs {
  readonly lines: Array<string>
  readonly warned: Deferred.Deferred<void>
  readonly layer: Layer.Layer<never>
}

export const captureLogs = (): CapturedLogs => {
  const lines: Array<string> = []
  const warned = Deferred.makeUnsafe<void>()
  const logger = Logger.make((options) => {
    const text = `${options.logLevel}: ${
      Array.isArray(options.message) ? options.message.map(String).join(" ") : String(options.message)
    }`
    lines.push(text)
    if (options.logLevel === "Warn") Deferred.doneUnsafe(warned, Effect.void)
  })
  return { lines, warned, layer: Logger.layer([logger]) }
}

/** Fails the test unless `text` contains none of the secrets. */
export const assertNoSecrets = (text: string, secrets: ReadonlyArray<string>): void => {
  for (const secret of secrets) {
    if (text.includes(secret)) throw new Error(`a secret leaked into: ${text}`)
  }
}

/** A `fetch` that records the Clock time of each call (virtual under TestClock) before delegating to the real one. */
export interface RecordingFetch {
  readonly fetch: typeof globalThis.fetch
  readonly calls: Array<{ readonly url: string; readonly at: number }>
}

export const recordingFetch = (now: () => number): RecordingFetch => {
  const calls: Array<{ readonly url: string; readonly at: number }> = []
  const fetch: typeof globalThis.fetch = (input, init) => {
    calls.push({ url: input instanceof Request ? input.url : String(input), at: now() })
    return globalThis.fetch(input, init)
  }
  return { fetch, calls }
}

const decodedRecords = (adapter: ErpAdapterShape, items: ReadonlyArray<ReadItem>): Array<CanonicalRecord> =>
  items.map((item) => {
    if (item._tag !== "SourceRecord") throw new Error(`unexpected rejected record: ${item.rejection.message}`)
    const result = adapter.decode(item)
    if (Result.isFailure(result)) throw new Error(`unexpected decode failure: ${result.failure.message}`)
    return result.success
  })

/** The decoded invoices (any other entity fails the test). */
export const decodeInvoices = (adapter: ErpAdapterShape, items: ReadonlyArray<ReadItem>): Array<Invoice> =>
  decodedRecords(adapter, items).map((record) => {
    if (record.entity !== "invoices") throw new Error(`expected an invoice, decoded ${record.entity}`)
    return record.value
  })

/** The decoded credit notes (any other entity fails the test). */
export const decodeCreditNotes = (adapter: ErpAdapterShape, items: ReadonlyArray<ReadItem>): Array<CreditNote> =>
  decodedRecords(adapter, items).map((record) => {
    if (record.entity !== "credit-notes") throw new Error(`expected a credit note, decoded ${record.entity}`)
    return record.value
  })
