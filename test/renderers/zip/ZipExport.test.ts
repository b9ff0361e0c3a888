// The streamed ZIP export: every document and the manifest read back with jszip; PDFs stored, text
// deflated; names safe and unique; a failure half way fails the stream and leaves no central directory;
// and the source is pulled lazily, so memory holds a bounded number of documents whatever the count.
import { createHash } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import { parse } from "csv-parse/sync"
import { Effect, Stream } from "effect"
import JSZip from "jszip"
import { type NamedDocument, ZipExportError, zipStream } from "../../../renderers/zip/ZipExport.ts"
import { centralEntries, hasEndOfCentralDirectory } from "./ZipEntries.ts"

const modifiedAt = new Date("2026-11-21T10:00:00Z")
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex")

// Deterministic incompressible bytes without 0x50 ("P"), so a local-header signature "PK\x03\x04" can only
// come from the writer itself.
const documentBytes = (seed: number, size: number): Uint8Array => {
  const bytes = new Uint8Array(size)
  let state = (seed * 2654435761 + 1) >>> 0
  for (let index = 0; index < size; index++) {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    const byte = state & 0xff
    bytes[index] = byte === 0x50 ? 0x51 : byte
  }
  return bytes
}

const pdf = (index: number, fileName = `invoice-${index}.pdf`): NamedDocument => ({
  fileName,
  contentType: "application/pdf",
  bytes: documentBytes(index, 2000 + index),
  documentNumber: `INV-${index}`,
  kind: "Invoice"
})

const collect = <E>(stream: Stream.Stream<Uint8Array, E>) =>
  Effect.map(Stream.runCollect(stream), (chunks) => Buffer.concat(chunks.map((chunk) => Buffer.from(chunk))))

describe("zipStream", () => {
  it.effect("writes every document and a manifest that jszip reads back", () =>
    Effect.gen(function* () {
      const csv = new TextEncoder().encode("a,b\r\n1,2\r\n".repeat(200))
      const documents: ReadonlyArray<NamedDocument> = [
        pdf(1, "invoice.pdf"),
        pdf(2, "invoice.pdf"),
        pdf(3, "INVOICE.pdf"),
        pdf(4, "../../etc/passwd"),
        pdf(5, "CON.pdf"),
        pdf(6, "manifest.csv"),
        pdf(7, "=cmd|' /C calc'!A0.pdf"),
        {
          fileName: "export.csv",
          contentType: "text/csv; charset=utf-8",
          bytes: csv,
          documentNumber: "",
          kind: "InvoiceList"
        },
        { ...pdf(9, "x\u202efdp.exe"), sha256: sha256(pdf(9).bytes) }
      ]
      const archive = yield* collect(zipStream(Stream.fromIterable(documents), { modifiedAt }))
      const expectedNames = [
        "invoice.pdf",
        "invoice (2).pdf",
        "INVOICE (3).pdf",
        "_._etc_passwd",
        "_CON.pdf",
        "manifest (2).csv",
        "=cmd_' _C calc'!A0.pdf",
        "export.csv",
        "xfdp.exe"
      ]

      const zip = yield* Effect.promise(() => JSZip.loadAsync(archive))
      assert.deepStrictEqual(Object.keys(zip.files), [...expectedNames, "manifest.csv"])
      for (const [index, document] of documents.entries()) {
        const entry = zip.file(expectedNames[index] ?? "")
        assert.isNotNull(entry)
        const bytes = yield* Effect.promise(() => entry?.async("uint8array") ?? Promise.resolve(new Uint8Array()))
        assert.isTrue(Buffer.from(bytes).equals(Buffer.from(document.bytes)), expectedNames[index])
        assert.strictEqual(entry?.date.getTime(), new Date("2026-11-21T10:00:00").getTime())
      }

      const manifestText = yield* Effect.promise(() => zip.file("manifest.csv")?.async("string") ?? Promise.resolve(""))
      const manifest: ReadonlyArray<ReadonlyArray<string>> = parse(manifestText)
      assert.deepStrictEqual(manifest[0], ["file_name", "document_number", "kind", "content_type", "sha256", "size"])
      assert.deepStrictEqual(
        manifest.slice(1),
        documents.map((document, index) => [
          index === 6 ? "'=cmd_' _C calc'!A0.pdf" : (expectedNames[index] ?? ""),
          document.documentNumber ?? "",
          document.kind ?? "",
          document.contentType,
          sha256(document.bytes),
          String(document.bytes.byteLength)
        ])
      )

      const methods = new Map(centralEntries(archive).map((entry) => [entry.name, entry]))
      assert.strictEqual(methods.get("invoice.pdf")?.method, 0, "PDFs are stored")
      assert.strictEqual(methods.get("invoice.pdf")?.compressedSize, documents[0]?.bytes.byteLength)
      assert.strictEqual(methods.get("export.csv")?.method, 8, "text is deflated")
      assert.isBelow(methods.get("export.csv")?.compressedSize ?? Number.POSITIVE_INFINITY, csv.byteLength / 10)
    })
  )

  it.effect("an empty source gives an archive with only the manifest; manifest: false leaves it out", () =>
    Effect.gen(function* () {
      const only = yield* collect(zipStream(Stream.empty, { modifiedAt }))
      assert.deepStrictEqual(
        centralEntries(only).map((entry) => entry.name),
        ["manifest.csv"]
      )
      const none = yield* collect(zipStream(Stream.make(pdf(1)), { modifiedAt, manifest: false }))
      assert.deepStrictEqual(
        centralEntries(none).map((entry) => entry.name),
        ["invoice-1.pdf"]
      )
    })
  )

  it.effect("a source that fails at item 5 fails the stream, and the bytes so far are no valid archive", () =>
    Effect.gen(function* () {
      const source = Stream.range(1, 10).pipe(
        Stream.mapEffect((index) =>
          index === 5 ? Effect.fail("ERP connection lost" as const) : Effect.succeed(pdf(index))
        )
      )
      const received: Array<Buffer> = []
      const error = yield* Effect.flip(
        Stream.runForEach(zipStream(source, { modifiedAt }), (chunk) =>
          Effect.sync(() => received.push(Buffer.from(chunk)))
        )
      )
      assert.strictEqual(error, "ERP connection lost")
      const partial = Buffer.concat(received)
      assert.isFalse(hasEndOfCentralDirectory(partial))
      const opened = yield* Effect.promise(() =>
        JSZip.loadAsync(partial).then(
          () => "opened",
          () => "refused"
        )
      )
      assert.strictEqual(opened, "refused")
    })
  )

  it.effect("bytes that do not match their stated SHA-256 fail the export", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        collect(zipStream(Stream.make(pdf(1), { ...pdf(2), sha256: "0".repeat(64) }), { modifiedAt }))
      )
      assert.instanceOf(error, ZipExportError)
      assert.include(error.message, "invoice-2.pdf")
    })
  )

  // The writer turns a document into its header and bytes when the consumer pulls, and pulls the next one
  // only when those have been taken: the source is never more than one document ahead of the output.
  it.effect("pulls documents lazily: a few thousand 50 KB documents, never more than 1 ahead of the output", () =>
    Effect.gen(function* () {
      const count = 2500
      const size = 50_000
      let produced = 0
      let headersSeen = 0
      let maxAhead = 0
      let bytesOut = 0
      let tail = Buffer.alloc(0)
      const source = Stream.unfold(0, (index) =>
        Effect.sync(() => {
          if (index >= count) return undefined
          produced++
          maxAhead = Math.max(maxAhead, produced - headersSeen)
          const document: NamedDocument = {
            fileName: `doc-${index}.pdf`,
            contentType: "application/pdf",
            bytes: documentBytes(index, size)
          }
          return [document, index + 1] as const
        })
      )

      yield* Stream.runForEach(zipStream(source, { modifiedAt, manifest: false }), (chunk) =>
        Effect.sync(() => {
          bytesOut += chunk.byteLength
          // Count local file headers, including one split across two chunks.
          const window = Buffer.concat([tail, Buffer.from(chunk)])
          for (
            let at = window.indexOf("PK\u0003\u0004", 0, "latin1");
            at !== -1;
            at = window.indexOf("PK\u0003\u0004", at + 1, "latin1")
          ) {
            headersSeen++
          }
          tail = window.subarray(Math.max(0, window.length - 3))
        })
      )
      assert.strictEqual(produced, count)
      assert.strictEqual(headersSeen, count)
      assert.isAtLeast(bytesOut, count * size)
      assert.isAtMost(maxAhead, 1, `the writer ran ${maxAhead} documents ahead of its output`)
    })
  )
})
