// Documents in the adapter contract: the metadata a source reports for an attachment (its size and hash only
// when the source states them), and reading the bytes the optional `content` operation streams, within a limit.
import { Effect, Schema, Stream } from "effect"
import { Document } from "../domain/Document.ts"
import type { ErpError } from "./ErpError.ts"

/**
 * A document as a source reports it: the stored Document's fields, with `size` and `sha256` optional. Most
 * sources do not state a hash; the sync engine computes both from the bytes `content` delivers, and refuses
 * bytes that disagree with what the source did state.
 */
export const DocumentMetadata = Schema.Struct({
  ...Document.fields,
  size: Schema.optionalKey(Document.fields.size),
  sha256: Schema.optionalKey(Document.fields.sha256)
})
export type DocumentMetadata = typeof DocumentMetadata.Type

/** A document record as `read` (or a push) gave it: `content` finds the bytes from its raw `data`. */
export interface DocumentRecord {
  readonly externalId: string
  readonly data: unknown
}

/** The default limit on one document's bytes: 25 MiB. */
export const defaultMaxDocumentBytes = 25 * 1024 * 1024

/** A document's bytes went past the limit; the read stopped there. */
export class ContentTooLarge extends Schema.TaggedError<ContentTooLarge>()("ContentTooLarge", {
  maxBytes: Schema.Int
}) {
  override get message(): string {
    return `the content is larger than the limit of ${this.maxBytes} bytes`
  }
}

/**
 * Collects a `content` stream into one array, failing with ContentTooLarge as soon as it passes `maxBytes`
 * (the stream is not pulled further, so an endless or huge source costs at most the limit).
 */
export const readContent = (
  content: Stream.Stream<Uint8Array, ErpError>,
  maxBytes: number
): Effect.Effect<Uint8Array, ErpError | ContentTooLarge> =>
  Effect.suspend(() => {
    const chunks: Array<Uint8Array> = []
    let size = 0
    return Stream.runForEach(content, (chunk) => {
      size += chunk.byteLength
      if (size > maxBytes) return Effect.fail(new ContentTooLarge({ maxBytes }))
      chunks.push(chunk)
      return Effect.void
    }).pipe(
      Effect.map(() => {
        const bytes = new Uint8Array(size)
        let offset = 0
        for (const chunk of chunks) {
          bytes.set(chunk, offset)
          offset += chunk.byteLength
        }
        return bytes
      })
    )
  })
