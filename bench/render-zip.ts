// One ZIP export of the render benchmark, run by bench/render.ts in a process of its own: `count` copies of
// a PDF written by the streaming writer (or built in memory with jszip), and one JSON line with the
// process's memory. It loads nothing but the variant's modules, so its memory is the export's.
//
//   node [--max-old-space-size=64 ...] bench/render-zip.ts <stream|jszip> <count> <pdf path> [--live]
//
// No static imports besides Node's own: the process's memory before the first module is its baseline.
import { readFileSync } from "node:fs"
import type { NamedDocument } from "../renderers/zip/ZipExport.ts"

/** What the child prints. Memory in bytes. */
export interface ZipRun {
  readonly variant: "stream" | "jszip"
  readonly count: number
  readonly bytes: number
  readonly seconds: number
  /** RSS of the process before it loaded anything (Node and its TypeScript stripping). */
  readonly bare: number
  /** RSS with the variant's modules loaded, before the first document. */
  readonly baseline: number
  /** The process's maxRSS. */
  readonly peak: number
  /** With `--live`: heap used plus array buffers after full collections, every 1,000 documents. */
  readonly live?: ReadonlyArray<{ readonly documents: number; readonly bytes: number }>
}

const bare = process.memoryUsage().rss
const modifiedAt = new Date("2026-11-21T00:00:00Z")

// Each document is its own copy of the PDF with a trailing comment naming it, as if rendered or fetched one by
// one: no variant can share one buffer across entries.
const documentAt = (base: Uint8Array, index: number): NamedDocument => {
  const suffix = Buffer.from(`\n% portico bench document ${index}\n`)
  const bytes = new Uint8Array(base.byteLength + suffix.byteLength)
  bytes.set(base)
  bytes.set(suffix, base.byteLength)
  const number = `INV-${String(index).padStart(6, "0")}`
  return {
    fileName: `invoice-${number}.pdf`,
    contentType: "application/pdf",
    bytes,
    documentNumber: number,
    kind: "Invoice"
  }
}

// Two full collections, then what is alive: only with --expose-gc, which --live runs get. One collection
// leaves array buffers that died young counted until the next one (V8 sweeps them afterwards).
const liveBytes = (): number | undefined => {
  const gc: unknown = Reflect.get(globalThis, "gc")
  if (typeof gc !== "function") return undefined
  gc()
  gc()
  const memory = process.memoryUsage()
  return memory.heapUsed + memory.arrayBuffers
}

const loadStream = async () => {
  const [Effect, Stream, { zipStream }] = await Promise.all([
    import("effect/Effect"),
    import("effect/Stream"),
    import("../renderers/zip/ZipExport.ts")
  ])
  return async (base: Uint8Array, count: number, live: Array<{ documents: number; bytes: number }> | undefined) => {
    const documents = Stream.unfold(0, (index) =>
      Effect.sync(() => {
        if (live !== undefined && index > 0 && index % 1000 === 0) {
          const bytes = liveBytes()
          if (bytes !== undefined) live.push({ documents: index, bytes })
        }
        return index < count ? ([documentAt(base, index), index + 1] as const) : undefined
      })
    )
    let bytes = 0
    await Effect.runPromise(
      Stream.runForEach(zipStream(documents, { modifiedAt }), (chunk) =>
        Effect.sync(() => {
          bytes += chunk.byteLength
        })
      )
    )
    return bytes
  }
}

const loadJszip = async () => {
  const [{ default: JSZip }, { manifestCsv }, { sha256Hex }] = await Promise.all([
    import("jszip"),
    import("../renderers/zip/Manifest.ts"),
    import("../core/render/Digest.ts")
  ])
  return async (base: Uint8Array, count: number) => {
    const zip = new JSZip()
    const manifest = []
    for (let index = 0; index < count; index++) {
      const document = documentAt(base, index)
      zip.file(document.fileName, document.bytes, { binary: true, compression: "STORE", date: modifiedAt })
      manifest.push({
        fileName: document.fileName,
        documentNumber: document.documentNumber ?? "",
        kind: document.kind ?? "",
        contentType: document.contentType,
        sha256: sha256Hex(document.bytes),
        size: document.bytes.byteLength
      })
    }
    zip.file("manifest.csv", manifestCsv(manifest), { compression: "DEFLATE", date: modifiedAt })
    const archive = await zip.generateAsync({ type: "nodebuffer" })
    return archive.byteLength
  }
}

const main = async (variant: string | undefined, count: number, pdfPath: string, live: boolean) => {
  if (variant !== "stream" && variant !== "jszip") throw new Error(`unknown variant ${variant}`)
  const base = new Uint8Array(readFileSync(pdfPath))
  const samples = live ? [] : undefined
  const run = variant === "stream" ? await loadStream() : await loadJszip()
  const baseline = process.memoryUsage().rss
  const started = performance.now()
  const bytes = await run(base, count, samples)
  const seconds = (performance.now() - started) / 1000
  const peak = process.resourceUsage().maxRSS * 1024
  const result: ZipRun = {
    variant,
    count,
    bytes,
    seconds,
    bare,
    baseline,
    peak,
    ...(samples === undefined ? {} : { live: samples })
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

if (import.meta.main) {
  const [variant, count, pdfPath, flag] = process.argv.slice(2)
  if (pdfPath === undefined) {
    process.stderr.write("usage: node bench/render-zip.ts <stream|jszip> <count> <pdf path> [--live]\n")
    process.exit(2)
  }
  await main(variant, Number(count), pdfPath, flag === "--live")
}
