// Documents from CSV: an index file with one row per document (read like the accounts file, one row per
// record) whose `fileColumn` names the document's file, relative to the configured folder. `content` streams
// that file, refusing any path that leads outside the folder (`..`, an absolute path, a symbolic link out).
import { createReadStream } from "node:fs"
import { realpath } from "node:fs/promises"
import { isAbsolute, relative, resolve, sep } from "node:path"
import { Effect, Result, Schema, Stream } from "effect"
import {
  applyMapping,
  buildDocument,
  type CanonicalRecord,
  canonical,
  type DocumentRecord,
  type ErpError,
  ErpErrors,
  type FieldMapping,
  RecordRejected,
  sourcePaths
} from "../../core/erp/index.ts"
import type { DocumentsFile } from "./CsvConfig.ts"
import { readFailure } from "./internal/CsvRows.ts"

/** The parts of the documents file's read plan that are not its dialect: one row per document, by `key`. */
export const documentsPlan = (file: DocumentsFile) => ({
  name: "documents",
  groupBy: file.key,
  columns: [file.key, file.fileColumn, ...sourcePaths(file.mapping)],
  multiRow: false,
  classify: () => "documents" as const,
  primary: "documents" as const
})

const RowData = Schema.Struct({
  rows: Schema.NonEmptyArray(Schema.Struct({ line: Schema.Int, values: Schema.Record(Schema.String, Schema.String) }))
})
const decodeRowData = Schema.decodeUnknownResult(RowData)

/** The one row of a document record, as column → text. */
const rowOf = (data: unknown) =>
  Result.mapBoth(decodeRowData(data), {
    onFailure: () => new RecordRejected({ path: "", reason: "not a row of the documents file" }),
    onSuccess: (rows) => rows.rows[0]
  })

/** Decodes a documents-file record with `mapping` (formats applied). */
export const decodeCsvDocument = (
  mapping: FieldMapping,
  sourceId: string,
  record: { readonly externalId: string; readonly data: unknown }
): Result.Result<CanonicalRecord, RecordRejected> =>
  Result.gen(function* () {
    const row = yield* rowOf(record.data)
    const fields = yield* Result.mapError(
      applyMapping(mapping, row.values),
      (rejection) =>
        new RecordRejected({
          path: `line ${row.line}: ${rejection.path}`,
          reason: rejection.reason,
          ...(rejection.value === undefined ? {} : { value: rejection.value })
        })
    )
    return canonical("documents", yield* buildDocument(fields, { sourceId, externalId: record.externalId }))
  })

/** Whether `path` is `folder` or inside it. */
const inside = (folder: string, path: string): boolean => {
  const rel = relative(folder, path)
  return rel !== "" && !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel)
}

/** The bytes of a document record: the file its `fileColumn` names, inside `folder`. */
export const csvDocumentContent =
  (file: DocumentsFile) =>
  (record: DocumentRecord): Stream.Stream<Uint8Array, ErpError> =>
    Stream.unwrap(
      Effect.gen(function* () {
        const operation = `content of document ${record.externalId}`
        const row = yield* Effect.mapError(Effect.fromResult(rowOf(record.data)), (rejection) =>
          ErpErrors.schemaMismatch({ message: rejection.message, operation })
        )
        const name = row.values[file.fileColumn]?.trim() ?? ""
        if (name === "") {
          return yield* ErpErrors.notFound({
            message: `line ${row.line}: column "${file.fileColumn}" names no file`,
            operation
          })
        }
        const folder = yield* Effect.tryPromise({
          try: () => realpath(file.folder),
          catch: (error) => readFailure(file.folder, error)
        })
        const refused = ErpErrors.schemaMismatch({
          message: `line ${row.line}: the file "${name}" is outside the documents folder; refusing to read it`,
          operation
        })
        const wanted = resolve(folder, name)
        if (!inside(folder, wanted)) return yield* refused
        // The real path too: a symbolic link inside the folder must not lead out of it.
        const real = yield* Effect.tryPromise({
          try: () => realpath(wanted),
          catch: (error) => readFailure(wanted, error)
        })
        if (!inside(folder, real)) return yield* refused
        // Without an encoding, a file stream yields Buffers (Uint8Arrays).
        return Stream.fromAsyncIterable<Uint8Array, ErpError>(createReadStream(real), (error) =>
          readFailure(real, error)
        )
      })
    )
