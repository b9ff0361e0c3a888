// The core's migrations, in the order they run. Plugins append their own lists after this one.
export { initial } from "./0001_initial.ts"
export { invoiceLinkRole, portalRole, rowLevelSecurity, systemRole } from "./0002_row_level_security.ts"
export { auditLog } from "./0003_audit_log.ts"
export { coreMigrations } from "./coreMigrations.ts"
