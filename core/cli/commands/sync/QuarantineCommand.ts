// `portico quarantine list`: the source records a sync could not accept, with why, newest last; `--json`
// gives them with their raw content for scripts.
import { Console, Effect, Layer, Option } from "effect"
import { Command, Flag } from "effect/cli"
import { CurrentPrincipal, system } from "../../../access/Principal.ts"
import { connect } from "../../../store/Database.ts"
import { applied } from "../../../store/Migrator.ts"
import { Store } from "../../../store/Store.ts"
import { type QuarantinedRecord, SyncState } from "../../../store/SyncState.ts"
import { CommandFailed } from "../../CliFailure.ts"
import { databaseFlags, storeConfigFrom } from "../../DatabaseOptions.ts"
import { failureDetail } from "../../internal/failureDetail.ts"

/** One line per record: id, source, entity, external id, when, and the reason. */
export const quarantineLines = (records: ReadonlyArray<QuarantinedRecord>): ReadonlyArray<string> =>
  records.length === 0
    ? ["no quarantined records"]
    : [
        ...records.map(
          (r) =>
            `#${r.id}  ${r.source}  ${r.entity}  ${r.externalId ?? "(no id)"}  ${r.createdAt.toISOString().slice(0, 16).replace("T", " ")}  ${r.reason}`
        ),
        `${records.length} quarantined record(s)`
      ]

const listCommand = Command.make(
  "list",
  {
    ...databaseFlags,
    source: Flag.String("source").pipe(
      Flag.withAlias("s"),
      Flag.withDescription("Only records of this source"),
      Flag.optional
    ),
    json: Flag.Boolean("json").pipe(
      Flag.withDescription("Print JSON (with each record's raw content)"),
      Flag.withDefault(false)
    ),
    limit: Flag.Int("limit").pipe(
      Flag.withDescription("At most this many records (default 100)"),
      Flag.filter(
        (n) => n >= 1,
        (n) => `--limit must be at least 1, got ${n}`
      ),
      Flag.withDefault(100)
    )
  },
  Effect.fn("portico.quarantine.list")(function* (flags) {
    const config = yield* storeConfigFrom(flags)
    const records = yield* Effect.gen(function* () {
      if ((yield* applied()).length === 0) {
        return yield* new CommandFailed({
          detail: "the database has no Portico schema: run `portico sync` or `portico migrate` first"
        })
      }
      const state = yield* SyncState
      return yield* state.quarantined({
        ...(Option.isSome(flags.source) ? { source: flags.source.value } : {}),
        limit: flags.limit
      })
    }).pipe(
      Effect.provideService(CurrentPrincipal, system("portico quarantine list")),
      Effect.provide(SyncState.layer.pipe(Layer.provide(Store.layer), Layer.provideMerge(connect(config)))),
      Effect.catchTags({
        SqlError: (error) =>
          Effect.fail(new CommandFailed({ detail: `quarantine list failed: ${failureDetail(error)}` })),
        EmbeddedStartError: (error) =>
          Effect.fail(new CommandFailed({ detail: `quarantine list failed: ${failureDetail(error)}` }))
      })
    )
    if (flags.json) {
      yield* Console.log(
        JSON.stringify(
          records.map((r) => ({
            id: r.id,
            source: r.source,
            entity: r.entity,
            externalId: r.externalId,
            reason: r.reason,
            raw: r.raw,
            createdAt: r.createdAt.toISOString()
          })),
          null,
          2
        )
      )
      return
    }
    for (const line of quarantineLines(records)) yield* Console.log(line)
  })
).pipe(
  Command.withDescription("List the source records a sync quarantined, with their reasons"),
  Command.withExamples([
    { command: "portico quarantine list --config portico.json", description: "Every unresolved record" },
    { command: "portico quarantine list -c portico.json --source csv-demo --json", description: "As JSON, one source" }
  ])
)

/** `portico quarantine <subcommand>`. */
export const quarantineCommand = Command.make("quarantine").pipe(
  Command.withDescription("Inspect source records that failed decoding or the billing rules"),
  Command.withSubcommands([listCommand])
)
