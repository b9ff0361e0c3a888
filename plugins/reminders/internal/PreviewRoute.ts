// GET /plugins/reminders/preview?accountId=&days=&from=: the planned reminders as JSON, for the business's
// staff and tools. Guarded by a bearer token from the config (compared in constant time).
import { timingSafeEqual } from "node:crypto"
import { Clock, Effect, Redacted, Schema } from "effect"
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http"
import { LocalDate } from "../../../core/domain/LocalDate.ts"
import { dayIn, Reminders } from "../Reminders.ts"

const isLocalDate = Schema.is(LocalDate)

const sameToken = (given: string, expected: string): boolean => {
  const a = Buffer.from(given, "utf8")
  const b = Buffer.from(expected, "utf8")
  return a.length === b.length && timingSafeEqual(a, b)
}

const problem = (status: number, error: string) => HttpServerResponse.jsonUnsafe({ error }, { status })

/** The preview route; `token` is the bearer token it requires. */
export const previewRoute = (options: {
  readonly token: Redacted.Redacted<string>
  readonly defaultDays: number
  readonly timeZone: string
}) =>
  HttpRouter.route(
    "GET",
    "/preview",
    Effect.gen(function* () {
      const request = yield* HttpServerRequest.HttpServerRequest
      const header = request.headers.authorization ?? ""
      const given = header.startsWith("Bearer ") ? header.slice("Bearer ".length) : ""
      if (!sameToken(given, Redacted.value(options.token))) return problem(401, "unauthorized")
      const query = new URL(request.url, "http://portal.invalid").searchParams
      const daysText = query.get("days")
      const days = daysText === null ? options.defaultDays : Number(daysText)
      if (!Number.isInteger(days) || days < 1 || days > 366) return problem(400, "days must be 1 to 366")
      const fromText = query.get("from")
      if (fromText !== null && !isLocalDate(fromText)) return problem(400, "from must be a date YYYY-MM-DD")
      const from = fromText ?? dayIn(yield* Clock.currentTimeMillis, options.timeZone)
      const accountId = query.get("accountId")
      const reminders = yield* Reminders
      const planned = yield* reminders
        .preview({ from, days, ...(accountId === null ? {} : { accountId }) })
        .pipe(Effect.result)
      if (planned._tag === "Failure") {
        yield* Effect.logWarning("reminders preview: the store failed", planned.failure.message)
        return problem(503, "store-unavailable")
      }
      return HttpServerResponse.jsonUnsafe({ from, days, reminders: planned.success })
    })
  )
