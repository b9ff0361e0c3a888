// What a contact can be told about (topics), how (channels), and its preferences for each pair. The portal's
// own notification settings (core/portal) switch whole topics off; these choose the channels.
import { Schema } from "effect"

/** A new invoice, a change of an invoice's status, a dunning reminder. */
export const Topic = Schema.Literals(["invoice-issued", "status-changed", "reminder"])
export type Topic = typeof Topic.Type

/** E-mail through the outbox, or a notification listed in the portal. */
export const Channel = Schema.Literals(["email", "in-app"])
export type Channel = typeof Channel.Type

/** The languages messages are written in. */
export const MessageLocale = Schema.Literals(["en", "de", "fr", "nl"])
export type MessageLocale = typeof MessageLocale.Type

/** Which channels a contact wants for one topic. */
export const ChannelChoice = Schema.Struct({ email: Schema.Boolean, inApp: Schema.Boolean })
export type ChannelChoice = typeof ChannelChoice.Type

/** A contact's preferences: a channel choice per topic, and the language of its messages (absent: the default). */
export const NotificationPreferences = Schema.Struct({
  invoiceIssued: ChannelChoice,
  statusChanged: ChannelChoice,
  reminder: ChannelChoice,
  locale: Schema.optionalKey(MessageLocale)
})
export type NotificationPreferences = typeof NotificationPreferences.Type

/** What a contact gets before it chooses: every topic on both channels. */
export const defaultPreferences: NotificationPreferences = {
  invoiceIssued: { email: true, inApp: true },
  statusChanged: { email: true, inApp: true },
  reminder: { email: true, inApp: true }
}

/** The channel choice of `topic`. */
export const choiceFor = (preferences: NotificationPreferences, topic: Topic): ChannelChoice => {
  switch (topic) {
    case "invoice-issued":
      return preferences.invoiceIssued
    case "status-changed":
      return preferences.statusChanged
    case "reminder":
      return preferences.reminder
  }
}
