// Runs the one store suite against embedded PGlite and against the PostgreSQL server.
import { describe } from "@effect/vitest"
import { backends } from "../../support/Databases.ts"
import { storeSuite } from "./storeSuite.ts"

for (const backend of await backends()) {
  describe.skipIf(!backend.availability.available)(backend.name, () => {
    storeSuite(backend.name, () => backend.layer(), { numRuns: backend.name === "pglite" ? 15 : 20 })
  })
}
