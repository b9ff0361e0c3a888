// Bulk export: a stream of named documents in, a ZIP archive out as a stream of bytes, in constant memory.
// Each document becomes a local header and its bytes, pulled from the source only when the consumer asks for
// more, so the consumer's pace drives the source; already-compressed types (PDF, images) are stored, not
// recompressed. The manifest CSV and the central directory close the archive only after the last document:
// if the source fails, the byte stream fails before them, and a consumer cannot mistake a half archive for a
// whole one. Per document, only its central directory record and manifest row stay until the end.
import { deflateRaw } from "node:zlib"
// Effect's modules one by one, not its index (which loads every module, about 11 MiB more): a process that
// only writes archives then holds only what writing them needs. The rest of the export path does the same.
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { sha256Hex } from "../../core/render/Digest.ts"
import { UniqueFileNames } from "../../core/render/FileName.ts"
import { crc32Of, maxEntryBytes, ZipWriter } from "./internal/ZipWriter.ts"
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

/**
 * The archive could not be written: a document's bytes do not match its SHA-256, a document is too large for
 * an entry (4 GiB), or compressing one failed.
 */
export class ZipExportError extends Schema.TaggedError<ZipExportError>()("ZipExportError", {
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {}

// Formats whose bytes are already compressed: deflating them again costs CPU and saves nothing.
const storedTypes =
  /^(application\/(pdf|zip|gzip|x-gzip|x-7z-compressed|x-rar-compressed|x-bzip2|x-xz|zstd|vnd\.openxmlformats-[\w.-]+|vnd\.oasis\.opendocument\.[\w.-]+|epub\+zip)|image\/(png|jpeg|gif|webp|avif|heic)|audio\/.*|video\/.*|font\/(woff|woff2))(;|$)/i

/** Whether a content type is stored as is (PDF, images, archives…) rather than deflated. */
export const isAlreadyCompressed = (contentType: string): boolean => storedTypes.test(contentType.trim())

const deflate = (name: string, bytes: Uint8Array): Effect.Effect<Uint8Array, ZipExportError> =>
  Effect.callback<Uint8Array, ZipExportError>((resume) => {
    deflateRaw(bytes, (cause, deflated) =>
      resume(
        cause === null
          ? Effect.succeed(deflated)
          : Effect.fail(new ZipExportError({ message: `cannot compress ${name}: ${cause.message}`, cause }))
      )
    )
  })

/** One archive entry: the document's bytes, deflated unless `store`. */
const entryOf = (name: string, bytes: Uint8Array, store: boolean) =>
  Effect.gen(function* () {
    if (bytes.byteLength > maxEntryBytes) {
      return yield* new ZipExportError({ message: `${name} is ${bytes.byteLength} bytes, more than an entry holds` })
    }
    const data = store ? bytes : yield* deflate(name, bytes)
    return { name, method: store ? 0 : 8, data, crc32: crc32Of(bytes), size: bytes.byteLength } as const
  })

/**
 * Writes `documents` into a ZIP archive, streamed. The source is pulled one document at a time, when the
 * consumer has taken the previous one's bytes; per document, only a central directory record (about 100
 * bytes) and a manifest row stay until the archive ends. Archives past 65,535 entries or 4 GiB are ZIP64.
 */
export const zipStream = <E, R>(
  documents: Stream.Stream<NamedDocument, E, R>,
  options: ZipExportOptions = {}
): Stream.Stream<Uint8Array, E | ZipExportError, R> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const modifiedAt = options.modifiedAt ?? new Date(yield* Clock.currentTimeMillis)
      const writer = new ZipWriter({ modifiedAt })
      const names = new UniqueFileNames()
      const withManifest = options.manifest ?? true
      if (withManifest) names.reserve(manifestFileName)
      const manifest = new ManifestWriter()

      const addDocument = Effect.fnUntraced(function* (document: NamedDocument) {
        const sha256 = sha256Hex(document.bytes)
        if (document.sha256 !== undefined && document.sha256.toLowerCase() !== sha256) {
          return yield* new ZipExportError({
            message: `${document.fileName}: the bytes have SHA-256 ${sha256}, not the ${document.sha256} they came with`
          })
        }
        const name = names.next(document.fileName)
        const entry = yield* entryOf(name, document.bytes, isAlreadyCompressed(document.contentType))
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
        return writer.entry(entry)
      })

      // Only after the last document: the manifest (about 170 bytes a row, compressed in one piece), then the
      // central directory.
      const closing = Effect.gen(function* () {
        const last = withManifest
          ? writer.entry(yield* entryOf(manifestFileName, Buffer.concat([...manifest.chunks()]), false))
          : []
        return [...last, ...writer.end()]
      })

      return Stream.concat(
        Stream.flattenIterable(Stream.mapEffect(documents, addDocument)),
        Stream.flattenIterable(Stream.fromEffect(closing))
      )
    })
  )
