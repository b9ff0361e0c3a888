// The notifications plugin's settings: where deep links point, how mail leaves (SMTP, or the host's
// transport), the default language, which events are too old to announce, and how delivery retries.
import { Cron, Effect, Result, Schema } from "effect"
import { MessageLocale } from "./Topics.ts"

/** A cron expression effect's Cron parses (five or six fields, UTC). */
export const CronExpression = Schema.String.check(
  Schema.makeFilter(
    (value: string) =>
      Result.isSuccess(Cron.parse(value)) || `expected a cron expression such as "0 6 * * *", got "${value}"`
  )
)

const PositiveInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))

/** SMTP: `url` such as `smtps://user:pass@mail.example.com:465` (a secret, never printed), the sender. */
export const SmtpSettings = Schema.Struct({
  url: Schema.RedactedFromValue(
    Schema.String.check(Schema.isPattern(/^smtps?:\/\//, { expected: "an smtp:// or smtps:// URL" }))
  ),
  from: Schema.String.check(Schema.isNonEmpty())
})

/** The plugin's config, as in the `plugins.notifications` section of the config file. */
export const NotificationsConfig = Schema.Struct({
  /** The portal's public base URL; every message links to `<baseUrl>/invoices/<id>`. */
  baseUrl: Schema.String.check(
    Schema.isPattern(/^https?:\/\/[^\s]+$/, { expected: "an http(s) URL such as https://portal.example.com" })
  ),
  /**
   * How mail leaves. Absent: through the `EmailTransport` the host provides (the starter's demo mailbox, for
   * example); a host that provides none makes the plugin fail at start.
   */
  smtp: Schema.optionalKey(SmtpSettings),
  /** The language of messages to contacts that chose none (default "en"). */
  locale: MessageLocale.pipe(Schema.withDecodingDefaultKey(Effect.succeed("en" as const))),
  /** Invoice events that took effect more than this many days ago are not announced (an initial import). */
  maxEventAgeDays: PositiveInt.pipe(Schema.withDecodingDefaultKey(Effect.succeed(14))),
  /** Delivery attempts per e-mail before it is dead-lettered (default 6). */
  maxAttempts: PositiveInt.pipe(Schema.withDecodingDefaultKey(Effect.succeed(6))),
  /** The first retry's delay in seconds, doubling up to an hour (default 30). */
  retryBaseSeconds: PositiveInt.pipe(Schema.withDecodingDefaultKey(Effect.succeed(30))),
  /** How often the relay looks for invoice events the bus did not deliver (a cron expression, UTC). */
  relayCron: CronExpression.pipe(Schema.withDecodingDefaultKey(Effect.succeed("*/10 * * * *")))
})
export type NotificationsConfig = typeof NotificationsConfig.Type
