// The reminders plugin's settings: the default dunning sequence, when the daily run happens, and the token
// that guards the preview route.
import { Cron, Effect, Result, Schema } from "effect"

/** Days relative to the due date: -3 is three days before it, 7 a week after. */
export const Offset = Schema.Int.check(Schema.isBetween({ minimum: -365, maximum: 365 }))

/** A sequence of up to 12 distinct offsets. */
export const SequenceSchema = Schema.Array(Offset).check(
  Schema.isMaxLength(12),
  Schema.makeFilter(
    (offsets: ReadonlyArray<number>) => new Set(offsets).size === offsets.length || "expected distinct offsets"
  )
)

const CronExpression = Schema.String.check(
  Schema.makeFilter(
    (value: string) =>
      Result.isSuccess(Cron.parse(value)) || `expected a cron expression such as "0 6 * * *", got "${value}"`
  )
)

const TimeZone = Schema.String.check(
  Schema.makeFilter((value: string) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: value })
      return true
    } catch {
      return `expected an IANA time zone such as "Europe/Berlin", got "${value}"`
    }
  })
)

/** The plugin's config, as in the `plugins.reminders` section of the config file. */
export const RemindersConfig = Schema.Struct({
  /** The default sequence (default: 3 days before the due date, then 1, 7 and 14 days after). */
  sequence: SequenceSchema.pipe(Schema.withDecodingDefaultKey(Effect.succeed([-3, 1, 7, 14]))),
  /** When the daily run happens (default 06:00), in `timeZone`. */
  cron: CronExpression.pipe(Schema.withDecodingDefaultKey(Effect.succeed("0 6 * * *"))),
  /** The time zone whose calendar day a run works on (default UTC). */
  timeZone: TimeZone.pipe(Schema.withDecodingDefaultKey(Effect.succeed("UTC"))),
  /** The bearer token the preview route requires; without one the route is not mounted. */
  previewToken: Schema.optionalKey(Schema.RedactedFromValue(Schema.String.check(Schema.isMinLength(24)))),
  /** How many days the preview looks ahead unless asked otherwise (default 30). */
  previewDays: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 366 })).pipe(
    Schema.withDecodingDefaultKey(Effect.succeed(30))
  )
})
export type RemindersConfig = typeof RemindersConfig.Type
