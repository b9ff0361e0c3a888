// Bulk export: a stream of named documents in, a ZIP archive out as a stream of bytes, in constant memory.
// yazl writes the archive; the next document is pulled from the source only when the previous one has been
// handed to the output, which the consumer drains at its own pace. Already-compressed types (PDF, images)
// are stored, not recompressed. A manifest CSV closes the archive. If the source or the writer fails, the
// byte stream fails and the central directory is never written: a consumer cannot mistake a half archive
// for a whole one.
import { PassThrough, pipeline, Readable } from "node:stream"
import * as NodeStream from "@effect/platform-node/NodeStream"
// Effect's modules one by one, not its index (which loads every module, about 11 MiB more): a process that
// only writes archives then holds only what writing them needs. The rest of the export path does the same.
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { ZipFile } from "yazl"
import { sha256Hex } from "../../core/render/Digest.ts"
import { UniqueFileNames } from "../../core/render/FileName.ts"
import { ManifestWriter, manifestFileName } from "./Manifest.ts"

/** One document for an archive. */
export interface NamedDocument {
  /** The wanted file name; made safe and unique in the archive ("invoice.pdf", "invoice (2).pdf"). */
  readonly fileName: string
  readonly contentType: string
  readonly bytes: Uint8Array
  /** The document's number for the manifest ("INV-1001"). */
  readonly documentNumber?: string
  /** The document's kind for the manifest ("Invoice", "CreditNote"). */
  readonly kind?: string
  /** The hex SHA-256 the bytes must have (from the store or the PDF renderer); checked when given. */
  readonly sha256?: string
}

/** Settings of an export archive. */
export interface ZipExportOptions {
  /** The modification time of every entry; default the Clock's now. */
  readonly modifiedAt?: Date
  /** Leave out the manifest CSV. */
  readonly manifest?: boolean
}

/** The archive could not be written: the writer failed, or a document's bytes do not match its SHA-256. */
export class ZipExportError extends Schema.TaggedError<ZipExportError>()("ZipExportError", {
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {}

// Formats whose bytes are already compressed: deflating them again costs CPU and saves nothing.
const storedTypes =
  /^(application\/(pdf|zip|gzip|x-gzip|x-7z-compressed|x-rar-compressed|x-bzip2|x-xz|zstd|vnd\.openxmlformats-[\w.-]+|vnd\.oasis\.opendocument\.[\w.-]+|epub\+zip)|image\/(png|jpeg|gif|webp|avif|heic)|audio\/.*|video\/.*|font\/(woff|woff2))(;|$)/i

/** Whether a content type is stored as is (PDF, images, archives…) rather than deflated. */
export const isAlreadyCompressed = (contentType: string): boolean => storedTypes.test(contentType.trim())

/** What yazl's open function of one entry needs, until the entry's bytes have been read; then nothing. */
interface EntrySlot {
  chunks: Iterator<Uint8Array> | undefined
  readonly size: number | undefined
  onEnd: (() => void) | undefined
  onError: ((cause: unknown) => void) | undefined
}

const slotFor = (chunks: Iterable<Uint8Array>, size?: number): EntrySlot => ({
  chunks: chunks[Symbol.iterator](),
  size,
  onEnd: undefined,
  onError: undefined
})

// The function yazl calls to open an entry: a stream that pulls the slot's chunks as the archive takes them.
// yazl keeps this function until the archive ends, so once the bytes are read the slot is emptied and only
// an empty object stays per entry.
const openSlot =
  (slot: EntrySlot) =>
  (open: (error: null, stream: Readable) => void): void => {
    const source = new Readable({
      read() {
        const next = slot.chunks?.next()
        this.push(next === undefined || next.done === true ? null : next.value)
      }
    })
    source.once("end", () => {
      const onEnd = slot.onEnd
      slot.chunks = undefined
      slot.onEnd = undefined
      slot.onError = undefined
      onEnd?.()
    })
    source.once("error", (cause) => slot.onError?.(cause))
    open(null, source)
  }

/**
 * yazl's output as a stream that hands on each chunk yazl wrote (a header, a document's bytes, a descriptor)
 * as it is. Reading a byte-mode stream returns everything it has buffered as one new buffer, which would
 * copy every document once more on its way out; an object-mode view reads chunk by chunk. `pipeline` carries
 * a failure or a destroy from either side to the other, so fromReadable still sees the writer's errors.
 */
const chunksOf = (output: NodeJS.ReadableStream): Readable => {
  const view = new PassThrough({ readableObjectMode: true, readableHighWaterMark: 4, writableHighWaterMark: 1 })
  // The failure itself reaches the consumer through `view`, which pipeline destroys with it.
  pipeline(output, view, () => {})
  return view
}

/**
 * Writes `documents` into a ZIP archive, streamed. The consumer's pace drives the source: a document is pulled
 * when the previous one is in the archive's pipeline, whose buffers hold a few documents at most whatever the
 * count. Per document, only a small entry record and a manifest row stay until the archive ends.
 */
export const zipStream = <E, R>(
  documents: Stream.Stream<NamedDocument, E, R>,
  options: ZipExportOptions = {}
): Stream.Stream<Uint8Array, E | ZipExportError, R> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const modifiedAt = options.modifiedAt ?? new Date(yield* Clock.currentTimeMillis)
      const zip = new ZipFile()
      // yazl reports its own failures as "error" events: the entry being written fails with them, and so
      // does every later one.
      let failure: ZipExportError | undefined
      let current: EntrySlot | undefined
      zip.on("error", (cause: unknown) => {
        failure = new ZipExportError({ message: `the ZIP writer failed: ${String(cause)}`, cause })
        current?.onError?.(failure)
        // Also when no entry is waiting (the central directory is being written): the output fails, not hangs.
        if (zip.outputStream instanceof Readable) zip.outputStream.destroy(failure)
      })
      const names = new UniqueFileNames()
      const withManifest = options.manifest ?? true
      if (withManifest) names.reserve(manifestFileName)
      const manifest = new ManifestWriter()

      // Hands one entry to yazl and waits until its bytes have been read into the archive's pipeline,
      // which (through backpressure) waits on the consumer. yazl keeps every entry, and with it the function
      // that opens the entry's stream, until the central directory is written: that function must reach the
      // bytes only through the slot, and no closure here may capture them directly (a closure keeps its whole
      // scope alive), or every document of the export would stay in memory.
      const addEntry = (name: string, slot: EntrySlot, compress: boolean): Effect.Effect<void, ZipExportError> =>
        Effect.callback<void, ZipExportError>((resume) => {
          if (failure !== undefined) return resume(Effect.fail(failure))
          current = slot
          slot.onEnd = () => resume(Effect.void)
          slot.onError = (cause) =>
            resume(
              Effect.fail(
                cause instanceof ZipExportError ? cause : new ZipExportError({ message: `cannot read ${name}`, cause })
              )
            )
          zip.addReadStreamLazy(
            name,
            { compress, mtime: modifiedAt, mode: 0o100644, ...(slot.size !== undefined ? { size: slot.size } : {}) },
            openSlot(slot)
          )
        })

      const addDocument = (document: NamedDocument): Effect.Effect<void, ZipExportError> =>
        Effect.suspend(() => {
          const sha256 = sha256Hex(document.bytes)
          if (document.sha256 !== undefined && document.sha256.toLowerCase() !== sha256) {
            return Effect.fail(
              new ZipExportError({
                message: `${document.fileName}: the bytes have SHA-256 ${sha256}, not the ${document.sha256} they came with`
              })
            )
          }
          const name = names.next(document.fileName)
          if (withManifest) {
            manifest.add({
              fileName: name,
              documentNumber: document.documentNumber ?? "",
              kind: document.kind ?? "",
              contentType: document.contentType,
              sha256,
              size: document.bytes.byteLength
            })
          }
          return addEntry(
            name,
            slotFor([document.bytes], document.bytes.byteLength),
            !isAlreadyCompressed(document.contentType)
          )
        })

      const write: Effect.Effect<void, E | ZipExportError, R> = Stream.runForEach(documents, addDocument).pipe(
        Effect.andThen(
          withManifest
            ? Effect.suspend(() => addEntry(manifestFileName, slotFor(manifest.chunks()), true))
            : Effect.void
        ),
        // Only a complete run writes the central directory.
        Effect.andThen(Effect.sync(() => zip.end()))
      )

      const output = NodeStream.fromReadable<Uint8Array, ZipExportError>({
        evaluate: () => chunksOf(zip.outputStream),
        onError: (cause) => new ZipExportError({ message: `the ZIP output failed: ${String(cause)}`, cause })
      })

      // fromReadable destroys yazl's output stream when the merged stream ends, fails or is interrupted.
      return Stream.merge(output, Stream.fromEffectDrain(write))
    })
  )
