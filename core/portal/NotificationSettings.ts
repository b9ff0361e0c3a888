// A contact's notification settings: which messages it wants and how. Stored per contact by the portal,
// read by the notifications plugin when it decides whom to tell about an event.
import { Schema } from "effect"

/** What a contact wants to be told about. */
export const NotificationSettings = Schema.Struct({
  /** A new invoice was issued on one of its accounts. */
  invoiceIssued: Schema.Boolean,
  /** A payment was received and applied. */
  paymentReceived: Schema.Boolean,
  /** Reminders before and after an invoice's due date. */
  dueReminders: Schema.Boolean,
  /** A statement at the start of each month. */
  monthlyStatement: Schema.Boolean,
  /** Plain-text mail instead of HTML. */
  plainText: Schema.Boolean
})
export type NotificationSettings = typeof NotificationSettings.Type

/** What a contact gets before it changes anything: invoices, payments and reminders, no statement, HTML mail. */
export const defaultNotificationSettings: NotificationSettings = {
  invoiceIssued: true,
  paymentReceived: true,
  dueReminders: true,
  monthlyStatement: false,
  plainText: false
}
