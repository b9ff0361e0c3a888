// The portal's side of notifications: a signed-in contact lists its unread in-app notifications and marks
// them read, and reads or changes its channel preferences. Every call runs in the contact's own scope, so
// row-level security (its own rows, on the accounts in scope) holds even if a condition here were wrong.
import { Clock, Context, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { CurrentPrincipal } from "../../core/access/Principal.ts"
import { databaseScope, Store } from "../../core/store/Store.ts"
import type { Topic } from "./Topics.ts"
import { defaultPreferences, type NotificationPreferences } from "./Topics.ts"

/** One in-app notification. */
export interface InAppNotification {
  readonly id: string
  readonly topic: Topic
  readonly accountId: string
  readonly invoiceId: string
  readonly title: string
  readonly body: string
  /** The deep link to the invoice. */
  readonly link: string
  readonly createdAt: Date
  readonly readAt: Date | null
}

/** Only a signed-in contact has notifications and preferences (not a signed link, not the system). */
export class NotAContact extends Schema.TaggedError<NotAContact>()("NotAContact", { principal: Schema.String }) {
  override get message(): string {
    return `notifications belong to a signed-in contact, not to a ${this.principal}`
  }
}

interface Row {
  readonly id: string
  readonly topic: Topic
  readonly account_id: string
  readonly invoice_id: string
  readonly title: string
  readonly body: string
  readonly link: string
  readonly created_at: Date
  readonly read_at: Date | null
}

const toNotification = (row: Row): InAppNotification => ({
  id: row.id,
  topic: row.topic,
  accountId: row.account_id,
  invoiceId: row.invoice_id,
  title: row.title,
  body: row.body,
  link: row.link,
  createdAt: new Date(row.created_at),
  readAt: row.read_at === null ? null : new Date(row.read_at)
})

type Scoped<A> = Effect.Effect<A, SqlError | NotAContact, CurrentPrincipal>

/** In-app notifications and preferences of the signed-in contact. */
export class InAppNotifications extends Context.Service<
  InAppNotifications,
  {
    /** The contact's unread notifications on the accounts in its scope, newest first (at most `limit`, 50). */
    readonly unread: (limit?: number) => Scoped<ReadonlyArray<InAppNotification>>
    /** Marks the contact's notifications `ids` read; gives the ids it marked (others are not its own or read). */
    readonly markRead: (ids: ReadonlyArray<string>) => Scoped<ReadonlyArray<string>>
    /** The contact's preferences (the defaults until it saves some). */
    readonly preferences: Scoped<NotificationPreferences>
    readonly savePreferences: (preferences: NotificationPreferences) => Scoped<void>
  }
>()("portico/plugins/notifications/InAppNotifications") {
  static readonly layer = Layer.effect(
    InAppNotifications,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const store = yield* Store
      const signedIn = Effect.gen(function* () {
        const principal = yield* CurrentPrincipal
        if (principal._tag !== "ContactPrincipal") return yield* new NotAContact({ principal: principal._tag })
        return { contactId: principal.contactId, accountIds: databaseScope(principal).accountIds }
      })

      const unread = Effect.fn("InAppNotifications.unread")(function* (limit = 50) {
        const { contactId, accountIds } = yield* signedIn
        const rows = yield* store.withScope(
          sql<Row>`select id, topic, account_id, invoice_id, title, body, link, created_at, read_at
            from portico.in_app_notifications
            where contact_id = ${contactId} and account_id = any(${accountIds}::text[]) and read_at is null
            order by created_at desc, id
            limit ${Math.max(1, Math.min(limit, 500))}`
        )
        return rows.map(toNotification)
      })

      const markRead = Effect.fn("InAppNotifications.markRead")(function* (ids: ReadonlyArray<string>) {
        const { contactId, accountIds } = yield* signedIn
        const at = new Date(yield* Clock.currentTimeMillis).toISOString()
        const rows = yield* store.withScope(
          sql<{ id: string }>`update portico.in_app_notifications set read_at = ${at}::timestamptz
            where id = any(${ids}::text[]) and contact_id = ${contactId}
              and account_id = any(${accountIds}::text[]) and read_at is null
            returning id`
        )
        return rows.map((row) => row.id)
      })

      const preferences: Scoped<NotificationPreferences> = Effect.gen(function* () {
        const { contactId } = yield* signedIn
        const rows = yield* store.withScope(
          sql<{
            locale: string | null
            invoice_issued_email: boolean
            invoice_issued_in_app: boolean
            status_changed_email: boolean
            status_changed_in_app: boolean
            reminder_email: boolean
            reminder_in_app: boolean
          }>`select * from portico.notification_preferences where contact_id = ${contactId}`
        )
        const row = rows[0]
        if (row === undefined) return defaultPreferences
        const locale = row.locale
        const saved: NotificationPreferences = {
          invoiceIssued: { email: row.invoice_issued_email, inApp: row.invoice_issued_in_app },
          statusChanged: { email: row.status_changed_email, inApp: row.status_changed_in_app },
          reminder: { email: row.reminder_email, inApp: row.reminder_in_app },
          ...(locale === "en" || locale === "de" || locale === "fr" || locale === "nl" ? { locale } : {})
        }
        return saved
      }).pipe(Effect.withSpan("InAppNotifications.preferences"))

      const savePreferences = Effect.fn("InAppNotifications.savePreferences")(function* (
        next: NotificationPreferences
      ) {
        const { contactId } = yield* signedIn
        const at = new Date(yield* Clock.currentTimeMillis).toISOString()
        yield* store.withScope(
          sql`insert into portico.notification_preferences (contact_id, locale, invoice_issued_email,
              invoice_issued_in_app, status_changed_email, status_changed_in_app, reminder_email, reminder_in_app,
              updated_at)
            values (${contactId}, ${next.locale ?? null}, ${next.invoiceIssued.email}, ${next.invoiceIssued.inApp},
              ${next.statusChanged.email}, ${next.statusChanged.inApp}, ${next.reminder.email}, ${next.reminder.inApp},
              ${at}::timestamptz)
            on conflict (contact_id) do update set locale = excluded.locale,
              invoice_issued_email = excluded.invoice_issued_email, invoice_issued_in_app = excluded.invoice_issued_in_app,
              status_changed_email = excluded.status_changed_email, status_changed_in_app = excluded.status_changed_in_app,
              reminder_email = excluded.reminder_email, reminder_in_app = excluded.reminder_in_app,
              updated_at = excluded.updated_at`
        )
      })

      return InAppNotifications.of({ unread, markRead, preferences, savePreferences })
    })
  )
}
