// One vitest configuration for the whole suite: unit, property and integration tests.
// The `portico-source` condition makes `portico/...` imports (as in the docs) resolve to the TypeScript sources.
import { defineConfig } from "vitest/config"

export default defineConfig({
  resolve: { conditions: ["portico-source"] },
  ssr: { resolve: { conditions: ["portico-source"] } },
  test: {
    include: ["test/**/*.test.ts", "docs/**/*.test.ts"],
    reporters: ["default", "./test/support/SummaryReporter.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000
  }
})
