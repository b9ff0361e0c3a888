// Shared fast-check arbitraries for Portico's tests: money, dates, documents and invoice event histories.
export * from "./Dates.ts"
export * from "./Documents.ts"
export * from "./InvoiceEvents.ts"
export * from "./Money.ts"
