// `portico audit verify`: checks the audit log's hash chains and names the first broken link of each.
import { Console, Effect, FileSystem, Layer, Option } from "effect"
import { Command, Flag } from "effect/cli"
import { AuditLog, type VerifyReport } from "../audit/AuditLog.ts"
import { connect } from "../store/Database.ts"
import { applied } from "../store/Migrator.ts"
import { Store } from "../store/Store.ts"
import { CommandFailed, UsageError, VerificationFailed } from "./CliFailure.ts"
import { databaseFlags, describeDatabase, storeConfigFrom } from "./DatabaseOptions.ts"
import { failureDetail } from "./internal/failureDetail.ts"

const chainName = (accountId: string | null): string =>
  accountId === null ? "the system chain" : `account ${accountId}`

/** The lines `audit verify` prints for a report: one per broken chain, then a summary. */
export const reportLines = (report: VerifyReport, account?: string): ReadonlyArray<string> => [
  ...report.broken.map(({ accountId, break: at }) =>
    at.entryId === null
      ? `BROKEN ${chainName(accountId)}: ${at.reason} after entry #${at.index} (entries are missing from the end)`
      : `BROKEN ${chainName(accountId)}: entry ${at.entryId} (#${at.index + 1} in the chain): ${at.reason}`
  ),
  report.chains === 0 && account !== undefined
    ? `ok: account ${account} has no audit entries`
    : report.broken.length === 0
      ? `ok: ${report.chains} chain(s), ${report.entries} entries verified, no broken link`
      : `FAILED: ${report.broken.length} of ${report.chains} chain(s) broken (${report.entries} entries checked)`
]

const verifyCommand = Command.make(
  "verify",
  {
    ...databaseFlags,
    account: Flag.String("account").pipe(
      Flag.withDescription("Verify only this account's chain (default: every chain, the system chain included)"),
      Flag.optional
    )
  },
  Effect.fn("portico.audit.verify")(function* (flags) {
    const config = yield* storeConfigFrom(flags)
    // Opening a missing folder would create an empty store there: a verification must not create anything.
    if (config.url === undefined && config.dataDir !== undefined) {
      const fs = yield* FileSystem.FileSystem
      const exists = yield* fs.exists(config.dataDir).pipe(Effect.orElseSucceed(() => false))
      if (!exists) {
        return yield* new UsageError({
          detail: `no embedded store at ${config.dataDir}; pass --database-url or --config, or run \`portico migrate\` to create it`
        })
      }
    }
    yield* Console.log(`verifying the audit log in the ${describeDatabase(config)}`)
    const report = yield* Effect.gen(function* () {
      if ((yield* applied()).length === 0) {
        return yield* new CommandFailed({ detail: "the database has no Portico schema: run `portico migrate` first" })
      }
      const audit = yield* AuditLog
      return yield* audit.verify(Option.getOrUndefined(flags.account))
    }).pipe(
      Effect.provide(AuditLog.layer.pipe(Layer.provide(Store.layer), Layer.provideMerge(connect(config)))),
      Effect.catchTags({
        SqlError: (error) => Effect.fail(new CommandFailed({ detail: `audit verify failed: ${failureDetail(error)}` })),
        EmbeddedStartError: (error) =>
          Effect.fail(new CommandFailed({ detail: `audit verify failed: ${failureDetail(error)}` }))
      })
    )
    const lines = reportLines(report, Option.getOrUndefined(flags.account))
    for (const line of lines.slice(0, -1)) yield* Console.error(line)
    if (report.broken.length > 0) return yield* new VerificationFailed({ detail: lines.at(-1) ?? "" })
    yield* Console.log(lines.at(-1) ?? "")
  })
).pipe(
  Command.withDescription("Verify the audit log's hash chains; exit 1 and name the first broken entry if any"),
  Command.withExamples([
    { command: "portico audit verify", description: "Verify every chain in the embedded store" },
    {
      command: "portico audit verify --account acc-42 --database-url postgres://portico@db/portico",
      description: "Verify one account's chain on a PostgreSQL server"
    }
  ])
)

/** `portico audit <subcommand>`. */
export const auditCommand = Command.make("audit").pipe(
  Command.withDescription("Inspect the append-only audit log"),
  Command.withSubcommands([verifyCommand])
)
