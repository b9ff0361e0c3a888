// The ERP sources a served portal keeps in sync: each source with a `schedule` is synced in the background
// for as long as the server runs, and sources with a `webhook` accept pushes on `/webhooks/sync/:source`.
import { Effect, Layer, Schedule } from "effect"
import type { ResolvedSource } from "../../core/sync/SourceConfig.ts"
import { SyncEngine } from "../../core/sync/SyncEngine.ts"
import { type WebhookSource, webhookRoute } from "../../core/sync/WebhookRoute.ts"

/** Builds the sources' adapters, starts their schedules and gives the webhook route (if any source has one). */
export const sourceSync = (sources: ReadonlyArray<ResolvedSource>) =>
  Layer.unwrap(
    Effect.gen(function* () {
      const engine = yield* SyncEngine
      const hooks = new Map<string, WebhookSource>()
      for (const source of sources) {
        const adapter = yield* source.adapter
        if (source.schedule !== undefined) {
          yield* Effect.forkScoped(
            engine.schedule(adapter, Schedule.spaced(source.schedule), {
              trigger: "schedule",
              onRun: (exit) =>
                exit._tag === "Success"
                  ? Effect.logInfo(`sync of ${source.id} done`)
                  : Effect.logWarning(`sync of ${source.id} failed; the next run is on schedule`)
            })
          )
        }
        if (source.webhook !== undefined) {
          hooks.set(source.id, {
            adapter,
            secrets: source.webhook.secrets,
            ...(source.webhook.toleranceSeconds === undefined
              ? {}
              : { toleranceSeconds: source.webhook.toleranceSeconds })
          })
        }
      }
      return hooks.size === 0 ? Layer.empty : webhookRoute(hooks)
    })
  )
