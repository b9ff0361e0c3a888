// The port through which the use cases turn a view model into a file: HTML for the screen, PDF for a
// download (with its SHA-256 for the audit trail), CSV for an export. The starter implements it with the
// HTML, PDF and CSV renderers; core never imports a renderer.
import { Context, type Effect, type Stream } from "effect"
import type { RenderError } from "../render/Renderer.ts"
import type { ViewModel } from "../render/ViewModels.ts"

/** A rendered file. */
export interface DocumentFile {
  readonly fileName: string
  readonly contentType: string
  readonly bytes: Uint8Array
  /** Lower-case hex SHA-256 of `bytes`. */
  readonly sha256: string
}

/** Renders documents to files, in the portal's theme and language. */
export class DocumentFiles extends Context.Service<
  DocumentFiles,
  {
    /** The document as a standalone HTML page. */
    readonly html: (document: ViewModel) => Effect.Effect<string, RenderError>
    /** The document as a PDF. */
    readonly pdf: (document: ViewModel) => Effect.Effect<DocumentFile, RenderError>
    /** The document as CSV (its table). */
    readonly csv: (document: ViewModel) => Effect.Effect<DocumentFile, RenderError>
    /** Files as one ZIP archive, streamed; `documentNumber` names each file in the archive's manifest. */
    readonly archive: (
      files: ReadonlyArray<DocumentFile & { readonly documentNumber?: string }>
    ) => Stream.Stream<Uint8Array, RenderError>
  }
>()("portico/core/portal/DocumentFiles") {}
