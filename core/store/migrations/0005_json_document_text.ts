// Document lines, tax lines and invoice event payloads become `json` instead of `jsonb`. They are written
// whole and read whole, never queried inside: `json` keeps the text as sent after checking it is JSON, while
// `jsonb` parses it into a tree on every write. Measured on the 1,000,000-line ingest, building those trees
// was the largest single cost of the sync's writes (about 4.5 of 6 seconds for the lines alone); reading
// them back is cheaper too, as the text is sent as stored.
import { migration } from "../Migration.ts"

const toJson = (table: string, columns: ReadonlyArray<string>) =>
  `alter table portico.${table} ${columns.map((c) => `alter column ${c} type json using ${c}::json`).join(", ")}`

/** core/0005_json_document_text: lines, tax lines and event payloads stored as checked JSON text. */
export const jsonDocumentText = migration("core/0005_json_document_text", [
  `alter table portico.invoices alter column lines drop default, alter column tax_lines drop default`,
  `alter table portico.credit_notes alter column lines drop default, alter column tax_lines drop default`,
  toJson("invoices", ["lines", "tax_lines"]),
  toJson("credit_notes", ["lines", "tax_lines"]),
  toJson("invoice_events", ["payload"]),
  `alter table portico.invoices alter column lines set default '[]', alter column tax_lines set default '[]'`,
  `alter table portico.credit_notes alter column lines set default '[]', alter column tax_lines set default '[]'`
])
