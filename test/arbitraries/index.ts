// Shared fast-check arbitraries for Portico's tests: money, dates, documents, accounts and invoice histories.
export * from "./Accounts.ts"
export * from "./Dates.ts"
export * from "./Documents.ts"
export * from "./InvoiceEvents.ts"
export * from "./Money.ts"
