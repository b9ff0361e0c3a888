// The ordered list of the core's migrations.
import type { Migration } from "../Migration.ts"
import { initial } from "./0001_initial.ts"
import { rowLevelSecurity } from "./0002_row_level_security.ts"
import { auditLog } from "./0003_audit_log.ts"
import { inlineDocumentLines } from "./0004_inline_document_lines.ts"
import { jsonDocumentText } from "./0005_json_document_text.ts"

/** Every core migration, oldest first. Never edit an entry once released: add a new one. */
export const coreMigrations: ReadonlyArray<Migration> = [
  initial,
  rowLevelSecurity,
  auditLog,
  inlineDocumentLines,
  jsonDocumentText
]
