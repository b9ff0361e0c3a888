// `portico check --config FILE`: for each configured source, runs the adapter's check (can we connect, are
// the credentials right, do the files have the mapped columns) and discover (which entities, how many), and
// prints a readable report. Exit 0 when every source is ready, 1 when one is not, 2 for a bad config file.
import { Console, Effect } from "effect"
import { Command } from "effect/cli"
import type { CheckResult, DiscoverResult } from "../../../erp/ErpAdapter.ts"
import type { AdapterChoices, ResolvedSource } from "../../../sync/SourceConfig.ts"
import { VerificationFailed } from "../../CliFailure.ts"
import { builtInAdapters } from "./BuiltInAdapters.ts"
import { loadSources, sourceFlags } from "./internal/SyncSetup.ts"

/** The outcome of checking one source. */
export type SourceCheck =
  | { readonly _tag: "Checked"; readonly check: CheckResult; readonly discover: DiscoverResult }
  | { readonly _tag: "Unreachable"; readonly message: string }

/** The lines `portico check` prints for one source. */
export const checkReport = (source: ResolvedSource, outcome: SourceCheck): ReadonlyArray<string> => {
  const title = `source "${source.id}" (${source.displayName}, adapter ${source.adapterId})`
  if (outcome._tag === "Unreachable") return [title, `  FAIL  ${outcome.message}`]
  const width = Math.max(...outcome.discover.entities.map((e) => e.entity.length), 8)
  return [
    title,
    ...outcome.check.checks.map((item) => `  ${item.ok ? "ok  " : "FAIL"}  ${item.name}: ${item.message}`),
    "  entities:",
    ...outcome.discover.entities.map(
      (e) =>
        `    ${e.entity.padEnd(width)}  ${e.available ? "available" : "-        "}${e.count === undefined ? "" : `  ${e.count} records`}${e.note === undefined ? "" : `  ${e.note}`}`
    )
  ]
}

const checkSource = (source: ResolvedSource) =>
  Effect.scoped(
    Effect.gen(function* () {
      const adapter = yield* source.adapter
      const check = yield* adapter.check()
      const discover = yield* adapter.discover()
      return { _tag: "Checked", check, discover } satisfies SourceCheck
    })
  ).pipe(
    Effect.catchTag("ErpError", (error) => Effect.succeed<SourceCheck>({ _tag: "Unreachable", message: error.message }))
  )

/** Builds `portico check` over a set of adapters (the built-in ones for the `portico` command). */
export const makeCheckCommand = (adapters: AdapterChoices) =>
  Command.make(
    "check",
    sourceFlags,
    Effect.fn("portico.check")(function* (flags) {
      const { sources } = yield* loadSources(flags, adapters)
      let ready = 0
      for (const source of sources) {
        const outcome = yield* checkSource(source)
        for (const line of checkReport(source, outcome)) yield* Console.log(line)
        if (outcome._tag === "Checked" && outcome.check.ok) ready += 1
      }
      const summary = `${ready} of ${sources.length} source(s) ready`
      if (ready < sources.length) return yield* new VerificationFailed({ detail: `check failed: ${summary}` })
      yield* Console.log(`ok: ${summary}`)
    })
  ).pipe(
    Command.withDescription("Check that each configured ERP source is reachable and matches its settings"),
    Command.withExamples([
      { command: "portico check --config portico.json", description: "Check every source in the file" },
      { command: "portico check -c portico.json --source epicor-main", description: "Check one source" }
    ])
  )

/** `portico check --config FILE [--source ID]...` with the built-in adapters. */
export const checkCommand = makeCheckCommand(builtInAdapters)
