// Whom to tell about an invoice: the contacts linked to its account, with their channel preferences and the
// portal's notification settings (which switch whole topics off, and ask for plain-text mail).
import { Effect, Option, Schema } from "effect"
import type { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { defaultNotificationSettings as defaultSettings } from "../../../core/portal/NotificationSettings.ts"
import { defaultPreferences, MessageLocale, type NotificationPreferences, type Topic } from "../Topics.ts"

/** A contact to tell, with what it chose. */
export interface Recipient {
  readonly contactId: string
  readonly email: string
  readonly name: string
  readonly preferences: NotificationPreferences
  readonly plainText: boolean
}

interface Row {
  readonly id: string
  readonly email: string
  readonly name: string
  readonly locale: string | null
  readonly invoice_issued_email: boolean | null
  readonly invoice_issued_in_app: boolean | null
  readonly status_changed_email: boolean | null
  readonly status_changed_in_app: boolean | null
  readonly reminder_email: boolean | null
  readonly reminder_in_app: boolean | null
  readonly settings: unknown
}

const PortalSwitches = Schema.Struct({
  invoiceIssued: Schema.optionalKey(Schema.Boolean),
  paymentReceived: Schema.optionalKey(Schema.Boolean),
  dueReminders: Schema.optionalKey(Schema.Boolean),
  plainText: Schema.optionalKey(Schema.Boolean)
})
const decodeSwitches = Schema.decodeUnknownOption(PortalSwitches)
const decodeLocale = Schema.decodeUnknownOption(MessageLocale)

/** The portal setting that switches a topic: status changes follow "payment received" (most of them are). */
const portalSwitch = (topic: Topic): "invoiceIssued" | "paymentReceived" | "dueReminders" =>
  topic === "invoice-issued" ? "invoiceIssued" : topic === "status-changed" ? "paymentReceived" : "dueReminders"

const preferencesOf = (row: Row): NotificationPreferences => {
  const locale = row.locale === null ? Option.none() : decodeLocale(row.locale)
  return {
    invoiceIssued: {
      email: row.invoice_issued_email ?? defaultPreferences.invoiceIssued.email,
      inApp: row.invoice_issued_in_app ?? defaultPreferences.invoiceIssued.inApp
    },
    statusChanged: {
      email: row.status_changed_email ?? defaultPreferences.statusChanged.email,
      inApp: row.status_changed_in_app ?? defaultPreferences.statusChanged.inApp
    },
    reminder: {
      email: row.reminder_email ?? defaultPreferences.reminder.email,
      inApp: row.reminder_in_app ?? defaultPreferences.reminder.inApp
    },
    ...(Option.isSome(locale) ? { locale: locale.value } : {})
  }
}

/**
 * The contacts of `accountId` that want `topic` at all (the portal's switch for it is on, or never set), in
 * id order. Runs in the caller's (system) transaction; needs the portal's migrations (portal/0001_profile).
 */
export const readRecipients = (
  sql: SqlClient.SqlClient,
  accountId: string,
  topic: Topic
): Effect.Effect<ReadonlyArray<Recipient>, SqlError> =>
  Effect.map(
    sql<Row>`select c.id, c.email, coalesce(d.name, c.name) as name, p.locale,
        p.invoice_issued_email, p.invoice_issued_in_app, p.status_changed_email, p.status_changed_in_app,
        p.reminder_email, p.reminder_in_app, s.settings
      from portico.contact_account_links l
      join portico.contacts c on c.id = l.contact_id
      left join portico.portal_contact_details d on d.contact_id = c.id
      left join portico.notification_preferences p on p.contact_id = c.id
      left join portico.portal_notification_settings s on s.contact_id = c.id
      where l.account_id = ${accountId}
      order by c.id`,
    (rows) =>
      rows.flatMap((row): ReadonlyArray<Recipient> => {
        const switches = Option.getOrElse(decodeSwitches(row.settings), (): typeof PortalSwitches.Type => ({}))
        const wanted = switches[portalSwitch(topic)] ?? defaultSettings[portalSwitch(topic)]
        if (!wanted) return []
        return [
          {
            contactId: row.id,
            email: row.email,
            name: row.name,
            preferences: preferencesOf(row),
            plainText: switches.plainText ?? defaultSettings.plainText
          }
        ]
      })
  )
