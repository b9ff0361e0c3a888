// Invoice and credit-note lines and tax lines move into their document's row, as JSON arrays in the domain's
// own shape. They were only ever written with their document (replaced whole when the ERP changed it) and
// read with it, yet each line was a row of its own: a heap tuple, a primary-key entry and a foreign-key check
// per line. Measured on 200,000 lines, the line tables cost more than the invoice rows themselves; inline,
// a line costs a fraction of that, and reading an invoice is one row instead of three queries. The documents'
// row-level security now covers their lines too.
import { migration } from "../Migration.ts"
import { systemRole } from "./0002_row_level_security.ts"

/** A line row as the domain's DocumentLine (absent optionals left out, decimals as their exact text). */
const lineJson = (currency: string) => `jsonb_strip_nulls(jsonb_build_object(
  'lineNumber', l.line_number, 'description', l.description, 'productCode', l.product_code, 'unit', l.unit,
  'quantity', l.quantity::text, 'unitPrice', l.unit_price::text, 'discountPercent', l.discount_percent::text,
  'discountAmount', l.discount_amount::text, 'taxRate', l.tax_rate::text, 'taxCode', l.tax_code,
  'statedNet', case when l.stated_net_minor is null then null
    else jsonb_build_object('currency', ${currency}, 'minor', l.stated_net_minor) end))`

/** A tax line row as the domain's TaxLine. */
const taxJson = (currency: string) => `jsonb_build_object('code', t.code, 'rate', t.rate::text,
  'taxable', jsonb_build_object('currency', ${currency}, 'minor', t.taxable_minor),
  'tax', jsonb_build_object('currency', ${currency}, 'minor', t.tax_minor))`

/** Moves one document kind's lines into its rows, checks every line arrived, drops the old tables. */
const inline = (documents: string, owner: string, lineTable: string, taxTable: string) => [
  `alter table portico.${documents} add column lines jsonb not null default '[]',
    add column tax_lines jsonb not null default '[]'`,
  // Forced row-level security hides every row from an owner that is not a superuser: the move runs as the
  // system role (which has a policy on every table), and the count check below runs as it too, so rows
  // that could not be seen fail the migration instead of being dropped.
  `set local role ${systemRole}`,
  `update portico.${documents} d set
    lines = coalesce((select jsonb_agg(${lineJson("d.currency")} order by l.line_number)
      from portico.${lineTable} l where l.${owner} = d.id), '[]'),
    tax_lines = coalesce((select jsonb_agg(${taxJson("d.currency")} order by t.position)
      from portico.${taxTable} t where t.${owner} = d.id), '[]')
    where exists (select 1 from portico.${lineTable} l where l.${owner} = d.id)
      or exists (select 1 from portico.${taxTable} t where t.${owner} = d.id)`,
  `do $$
  begin
    if (select count(*) from portico.${lineTable}) <>
        (select coalesce(sum(jsonb_array_length(lines)), 0) from portico.${documents})
      or (select count(*) from portico.${taxTable}) <>
        (select coalesce(sum(jsonb_array_length(tax_lines)), 0) from portico.${documents}) then
      raise exception 'moving % lines into their rows lost some; nothing was changed', '${documents}';
    end if;
  end
  $$`,
  `reset role`,
  `drop table portico.${lineTable}, portico.${taxTable}`
]

/** core/0004_inline_document_lines: lines and tax lines as JSON arrays in invoices and credit notes. */
export const inlineDocumentLines = migration("core/0004_inline_document_lines", [
  ...inline("invoices", "invoice_id", "invoice_lines", "invoice_tax_lines"),
  ...inline("credit_notes", "credit_note_id", "credit_note_lines", "credit_note_tax_lines")
])
