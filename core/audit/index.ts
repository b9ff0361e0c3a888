// The audit log: entries, chain verification and the service.
export * from "./AuditChain.ts"
export * from "./AuditEntry.ts"
export * from "./AuditLog.ts"
