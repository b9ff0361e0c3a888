// The adapters the `portico` command line can sync from, by the name a config file's `adapter` field uses.
// A fixed map in code (the CLI is a composition root, like a starter's main.ts): nothing is loaded by path.
import { CsvAdapter } from "../../../../adapters/csv/index.ts"
import { EpicorAdapter } from "../../../../adapters/epicor/index.ts"
import { RestAdapter } from "../../../../adapters/rest/index.ts"
import { sqlAdapter } from "../../../../adapters/sql/index.ts"
import { type AdapterChoices, choice, rebasePaths } from "../../../sync/SourceConfig.ts"

/** csv, rest, epicor and sql. CSV file paths in settings are relative to the config file. */
export const builtInAdapters: AdapterChoices = {
  csv: choice(CsvAdapter, rebasePaths),
  rest: choice(RestAdapter),
  epicor: choice(EpicorAdapter),
  sql: choice(sqlAdapter)
}
