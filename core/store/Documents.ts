// Scoped document reads: an attachment's metadata and bytes for a download (NotFound outside the principal's
// scope), and the stored versions the sync engine compares with a source's before fetching any bytes.
import { Context, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import type { CurrentPrincipal } from "../access/Principal.ts"
import { type Document, Document as DocumentSchema } from "../domain/Document.ts"
import type { DocumentId } from "../domain/Ids.ts"
import { contentHash } from "./internal/contentHash.ts"
import { DbText, decodeRows } from "./internal/rows.ts"
import { Store, serviceScope } from "./Store.ts"
import { NotFound } from "./StoreErrors.ts"

const Row = Schema.Struct({
  id: Schema.String,
  account_id: Schema.String,
  source: Schema.String,
  external_id: Schema.String,
  invoice_id: DbText,
  file_name: Schema.String,
  content_type: Schema.String,
  size: Schema.Int,
  sha256: Schema.String,
  content: Schema.Uint8Array
})
const decode = decodeRows(Row)
const decodeDocument = Schema.decodeUnknownSync(DocumentSchema)

/** A document and its bytes. */
export interface DocumentContent {
  readonly document: Document
  readonly content: Uint8Array
}

/** The content hash a document's row is written with (SyncStore.upsertDocument): equal for equal metadata and bytes. */
export const documentContentHash = (document: Document): string => contentHash(document)

/** What the store holds of a synced document: enough to tell whether a source's version is the same. */
export interface StoredDocumentVersion {
  readonly size: number
  readonly sha256: string
  /** The content hash its row was written with (see SyncStore.upsertDocument). */
  readonly contentHash: string
}

const VersionRow = Schema.Struct({
  external_id: Schema.String,
  size: Schema.Int,
  sha256: Schema.String,
  content_hash: Schema.String
})
const decodeVersions = decodeRows(VersionRow)

/** Scoped document reads. */
export class Documents extends Context.Service<
  Documents,
  {
    /** The document and its bytes; NotFound when it does not exist or is outside the scope. */
    readonly content: (id: DocumentId) => Effect.Effect<DocumentContent, NotFound | SqlError, CurrentPrincipal>
    /** The stored versions of `source`'s documents among `externalIds` (by external id), without their bytes. */
    readonly versions: (
      source: string,
      externalIds: ReadonlyArray<string>
    ) => Effect.Effect<ReadonlyMap<string, StoredDocumentVersion>, SqlError, CurrentPrincipal>
  }
>()("portico/core/store/Documents") {
  static readonly layer = Layer.effect(
    Documents,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const store = yield* Store
      const content = Effect.fn("Documents.content")(function* (id: DocumentId) {
        return yield* store.withScope(
          Effect.gen(function* () {
            const scope = yield* serviceScope
            const where = [sql`d.id = ${id}`]
            if (scope !== undefined) {
              where.push(sql`d.account_id = any(${scope.accountIds}::text[])`)
              if (scope.invoiceId !== null) where.push(sql`d.invoice_id = ${scope.invoiceId}`)
            }
            const rows = yield* sql`select d.id, d.account_id, d.source, d.external_id, d.invoice_id, d.file_name,
              d.content_type, d.size, d.sha256, d.content from portico.documents d where ${sql.and(where)}`
            const row = decode(rows)[0]
            if (row === undefined) return yield* new NotFound({ kind: "document", id })
            return {
              document: decodeDocument({
                id: row.id,
                accountId: row.account_id,
                source: { source: row.source, externalId: row.external_id },
                ...(row.invoice_id === null ? {} : { invoiceId: row.invoice_id }),
                fileName: row.file_name,
                contentType: row.content_type,
                size: row.size,
                sha256: row.sha256
              }),
              content: row.content
            }
          })
        )
      })
      const versions = Effect.fn("Documents.versions")(function* (source: string, externalIds: ReadonlyArray<string>) {
        if (externalIds.length === 0) return new Map<string, StoredDocumentVersion>()
        const rows = yield* store.withScope(
          sql`select external_id, size, sha256, content_hash from portico.documents
            where source = ${source} and external_id = any(${[...new Set(externalIds)]})`
        )
        return new Map(
          decodeVersions(rows).map((row): [string, StoredDocumentVersion] => [
            row.external_id,
            { size: row.size, sha256: row.sha256, contentHash: row.content_hash }
          ])
        )
      })
      return Documents.of({ content, versions })
    })
  )
}
