// The billing core: totals, the invoice state machine, allocation, aging and statements. Pure functions only.
export * from "./Aging.ts"
export * from "./Allocation.ts"
export * from "./InvoiceStateMachine.ts"
export * from "./Statement.ts"
export * from "./Totals.ts"
