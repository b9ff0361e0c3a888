// The analytics routes, mounted under /plugins/analytics and business-side only (the host's API key; the
// handlers run as a SystemPrincipal): the page (`GET /`) and the same figures as JSON (`GET /report.json`).
// Query: from, to (YYYY-MM-DD, default: the 90 days to today), period (day|week|month, default month), asOf.
import { Clock, Effect, Option, Schema } from "effect"
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http"
import { addDays, fromEpochDay, LocalDate } from "../../core/domain/LocalDate.ts"
import { PortalHost } from "../../core/plugin/PortalHost.ts"
import { reportPage } from "./internal/ReportPage.ts"
import { Period, PortalAnalytics } from "./PortalAnalytics.ts"

/** Where the starter mounts the plugin's routes. */
export const analyticsBasePath = "/plugins/analytics"

const decodeDate = Schema.decodeUnknownOption(LocalDate)
const decodePeriod = Schema.decodeUnknownOption(Period)

/** The report's options from the query string; a malformed value is a problem message. */
const options = Effect.gen(function* () {
  const request = yield* HttpServerRequest.HttpServerRequest
  const query = new URL(request.url, "http://portal.invalid").searchParams
  const today = fromEpochDay(Math.floor((yield* Clock.currentTimeMillis) / 86_400_000))
  const date = (name: string, fallback: LocalDate) => {
    const raw = query.get(name)
    return raw === null || raw === "" ? Option.some(fallback) : decodeDate(raw)
  }
  const to = date("to", today)
  const from = Option.flatMap(to, (end) => date("from", addDays(end, -89)))
  const asOf = date("asOf", today)
  const rawPeriod = query.get("period")
  const period = rawPeriod === null || rawPeriod === "" ? Option.some("month" as const) : decodePeriod(rawPeriod)
  if (Option.isNone(to) || Option.isNone(from) || Option.isNone(asOf) || Option.isNone(period)) {
    return { problem: "from, to and asOf are dates as YYYY-MM-DD; period is day, week or month" } as const
  }
  if (from.value > to.value) return { problem: "from is after to" } as const
  return { from: from.value, to: to.value, asOf: asOf.value, period: period.value } as const
})

/** The routes, for `PluginContributions.routes`. */
export const analyticsRoutes = () => {
  const page = Effect.gen(function* () {
    const host = yield* PortalHost
    return yield* host.business(
      "read portal analytics",
      Effect.gen(function* () {
        const chosen = yield* options
        if ("problem" in chosen) {
          return host.page({
            title: "Portal analytics",
            body: `<h1>Portal analytics</h1><p class="error" role="alert">${chosen.problem}</p>`,
            status: 400
          })
        }
        const report = yield* (yield* PortalAnalytics).report(chosen)
        return host.page({ title: "Portal analytics", body: reportPage(report, `${analyticsBasePath}/`) })
      }).pipe(
        Effect.catchTag("AnalyticsDenied", (error) =>
          Effect.succeed(
            host
              .page({ title: "Forbidden", body: "<h1>Forbidden</h1>", status: 403 })
              .pipe(HttpServerResponse.setHeader("x-refusal", error._tag))
          )
        )
      )
    )
  })

  const json = Effect.gen(function* () {
    const host = yield* PortalHost
    return yield* host.business(
      "read portal analytics",
      Effect.gen(function* () {
        const chosen = yield* options
        if ("problem" in chosen)
          return HttpServerResponse.jsonUnsafe({ error: "invalid", detail: chosen.problem }, { status: 400 })
        const report = yield* (yield* PortalAnalytics).report(chosen)
        return HttpServerResponse.jsonUnsafe(report)
      }).pipe(
        Effect.catchTag("AnalyticsDenied", (error) =>
          Effect.succeed(HttpServerResponse.jsonUnsafe({ error: "forbidden", detail: error.message }, { status: 403 }))
        )
      )
    )
  })

  return [{ route: HttpRouter.route("GET", "/", page) }, { route: HttpRouter.route("GET", "/report.json", json) }]
}
