// A self-contained invoice page for the PDF tests and benchmark: inline styles, no external resources,
// numbers and dates the tests look for in the extracted text.

/** One invoice line. */
export interface FixtureLine {
  readonly description: string
  readonly quantity: number
  readonly unitPrice: string
  readonly amount: string
}

/** What the fixture invoice shows. */
export interface FixtureInvoice {
  readonly number: string
  readonly issued: string
  readonly due: string
  readonly customer: string
  readonly lines: ReadonlyArray<FixtureLine>
  readonly subtotal: string
  readonly tax: string
  readonly total: string
  /** Extra markup placed after the totals (images and links in the offline tests). */
  readonly extra?: string
}

const escapeHtml = (text: string): string =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;")

/** An invoice with `count` lines whose amounts add up to the totals shown. */
export const sampleInvoice = (count = 8, number = "INV-2026-00042"): FixtureInvoice => {
  const lines = Array.from({ length: count }, (_, index) => {
    const quantity = (index % 4) + 1
    const cents = 1250 + index * 375
    return {
      description: `Service line ${index + 1}: maintenance of pump unit ${String.fromCharCode(65 + (index % 26))}`,
      quantity,
      unitPrice: (cents / 100).toFixed(2),
      amount: ((cents * quantity) / 100).toFixed(2)
    }
  })
  const subtotalCents = lines.reduce((sum, line) => sum + Math.round(Number(line.amount) * 100), 0)
  const taxCents = Math.round(subtotalCents * 0.2)
  return {
    number,
    issued: "2026-11-02",
    due: "2026-12-02",
    customer: "Acme Industrial Supplies Ltd",
    lines,
    subtotal: (subtotalCents / 100).toFixed(2),
    tax: (taxCents / 100).toFixed(2),
    total: ((subtotalCents + taxCents) / 100).toFixed(2)
  }
}

/** The invoice as a complete HTML document. */
export const invoiceHtml = (invoice: FixtureInvoice): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Invoice ${escapeHtml(invoice.number)}</title>
<style>
  @page { margin: 18mm 16mm; }
  body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10.5pt; color: #1d2430; margin: 0; }
  header { display: flex; justify-content: space-between; align-items: flex-start; border-bottom: 2px solid #2f5d8a; padding-bottom: 10px; }
  .brand { font-size: 18pt; font-weight: bold; color: #2f5d8a; }
  h1 { font-size: 16pt; margin: 0 0 4px; text-align: right; }
  .meta { text-align: right; line-height: 1.5; }
  .parties { display: flex; justify-content: space-between; margin: 18px 0; }
  table { width: 100%; border-collapse: collapse; }
  th { background: #2f5d8a; color: #fff; text-align: left; padding: 6px 8px; font-weight: 600; }
  td { padding: 6px 8px; border-bottom: 1px solid #d7dde5; }
  tr:nth-child(even) td { background: #f3f6f9; }
  .num { text-align: right; white-space: nowrap; }
  .totals { margin-top: 14px; margin-left: auto; width: 45%; }
  .totals tr td { border: none; background: none; }
  .grand td { font-weight: bold; font-size: 12pt; border-top: 2px solid #2f5d8a; }
  footer { margin-top: 28px; font-size: 9pt; color: #5b6675; }
</style>
</head>
<body>
<header>
  <div><div class="brand">Portico Pumps GmbH</div><div>Industriestraße 12, 70565 Stuttgart</div></div>
  <div class="meta"><h1>Invoice ${escapeHtml(invoice.number)}</h1>
    <div>Issued ${escapeHtml(invoice.issued)}</div><div>Due ${escapeHtml(invoice.due)}</div></div>
</header>
<section class="parties">
  <div><strong>Bill to</strong><br>${escapeHtml(invoice.customer)}<br>1 Harbour Road, Leeds LS1 4AB</div>
  <div class="num"><strong>Account</strong><br>C-100234</div>
</section>
<table>
  <thead><tr><th>Description</th><th class="num">Qty</th><th class="num">Unit price</th><th class="num">Amount</th></tr></thead>
  <tbody>
${invoice.lines
  .map(
    (line) =>
      `    <tr><td>${escapeHtml(line.description)}</td><td class="num">${line.quantity}</td><td class="num">${line.unitPrice}</td><td class="num">${line.amount}</td></tr>`
  )
  .join("\n")}
  </tbody>
</table>
<table class="totals">
  <tr><td>Subtotal</td><td class="num">${invoice.subtotal}</td></tr>
  <tr><td>VAT 20%</td><td class="num">${invoice.tax}</td></tr>
  <tr class="grand"><td>Total due (EUR)</td><td class="num">${invoice.total}</td></tr>
</table>
${invoice.extra ?? ""}
<footer>Please pay by ${escapeHtml(invoice.due)} quoting ${escapeHtml(invoice.number)}. IBAN DE89 3704 0044 0532 0130 00.</footer>
</body>
</html>`
