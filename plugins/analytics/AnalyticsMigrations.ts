// Indexes the analytics queries need, on the core's audit log and invoices. Partial indexes hold only the rows
// a figure reads (successful entries, first invoice views, open invoices), so they stay small and cheap to keep.
import { migration } from "../../core/store/Migration.ts"

/** The expression that names the invoice an entry is about: its first record, when that is an invoice. */
export const viewedInvoice = `(records -> 0 ->> 'id')`

/** analytics/0001_audit_indexes: the indexes, by the figure that uses them. */
export const auditIndexes = migration("analytics/0001_audit_indexes", [
  // Sign-ins per period, views and downloads per account: one action over a time range.
  `create index analytics_audit_action_time on portico.audit_log (action, occurred_at) where outcome = 'success'`,
  // Time to first view, unseen overdue invoices: the earliest successful view of one invoice.
  `create index analytics_audit_invoice_views on portico.audit_log (${viewedInvoice}, occurred_at)
    where action = 'view' and outcome = 'success' and (records -> 0 ->> 'kind') = 'invoice'`,
  // Invoices issued in a period, across accounts (the core's issue-date index leads with the account).
  `create index analytics_invoices_issued on portico.invoices (issue_date, id)`,
  // Overdue invoices as of a date, across accounts.
  `create index analytics_invoices_unsettled on portico.invoices (due_date)
    where status in ('open', 'partially-paid')`
])

/** Every migration of the analytics plugin, oldest first. */
export const analyticsMigrations = [auditIndexes]
