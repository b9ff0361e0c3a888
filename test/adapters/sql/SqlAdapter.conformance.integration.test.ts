// The SQL adapter passes the ERP adapter conformance kit against a real PostgreSQL database: one scratch
// database for the file, a fresh schema per run (created and dropped by the fixture), read through a
// SELECT-only role.
import { afterAll, describe } from "@effect/vitest"
import { Effect, Exit, Scope } from "effect"
import { sqlManifest } from "../../../adapters/sql/SqlAdapter.ts"
import { conformanceSuite } from "../../../adapters/testkit/index.ts"
import { postgresAvailability } from "../../support/Requirements.ts"
import { erpDatabase } from "./support/ErpDatabase.ts"
import { sqlSourceFixture } from "./support/SqlSourceFixture.ts"

const availability = await postgresAvailability()
const scope = Effect.runSync(Scope.make())
const database = availability.available ? await Effect.runPromise(Scope.provide(erpDatabase(), scope)) : undefined
afterAll(() => Effect.runPromise(Scope.close(scope, Exit.void)))

describe.skipIf(database === undefined)("SQL adapter (PostgreSQL)", () => {
  conformanceSuite("sql", {
    manifest: sqlManifest,
    fixture: ({ sourceId }) =>
      database === undefined
        ? Effect.fail("PostgreSQL is not available")
        : sqlSourceFixture(database, { sourceId, batchSize: 3 })
  })
})
