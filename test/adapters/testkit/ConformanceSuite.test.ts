// The conformance kit tested on an in-memory adapter: the correct one passes the whole suite, and each
// deliberately broken one fails the check that covers its fault, with a message that names the fault.
import { assert, describe, it } from "@effect/vitest"
import { Effect, type Scope } from "effect"
import * as fc from "fast-check"
import {
  badRecord,
  type ConformanceFailure,
  conformanceSuite,
  datasetOf,
  fullRead,
  incrementalRead,
  interruptedRead,
  recordOf,
  type SourceFixture,
  secretsStayHidden
} from "../../../adapters/testkit/index.ts"
import type { CanonicalRecord } from "../../../core/erp/index.ts"
import { type Fault, memoryFixture, memoryManifest } from "./MemorySource.ts"

conformanceSuite("memory (reference)", { fixture: memoryFixture("none"), manifest: memoryManifest, runs: 10 })

const sourceId = "conformance"
const sample = (n: number, first = 1): ReadonlyArray<CanonicalRecord> =>
  fc.sample(datasetOf(["accounts", "invoices", "payments"], n, first, { sourceId }), {
    numRuns: 1,
    seed: n + first
  })[0] ?? []

const failureOf = (
  fault: Fault,
  check: (fixture: SourceFixture) => Effect.Effect<void, ConformanceFailure, Scope.Scope>
) => Effect.scoped(Effect.flatMap(memoryFixture(fault)({ sourceId }), (fixture) => Effect.flip(check(fixture))))

describe("conformance kit failure messages", () => {
  it.effect("a full read that drops a record names what is missing", () =>
    Effect.gen(function* () {
      const failure = yield* failureOf("full-read-drops-last", (f) => fullRead(f, sample(6)))
      assert.match(failure.message, /expected \d+ record\(s\), read \d+\. Missing: /)
    })
  )

  it.effect("a decoder that changes a field shows the source and the decoded value", () =>
    Effect.gen(function* () {
      const records = fc.sample(datasetOf(["invoices"], 2, 1, { sourceId }), { numRuns: 1, seed: 7 })[0] ?? []
      const failure = yield* failureOf("wrong-decoding", (f) => fullRead(f, records))
      assert.include(failure.message, "decoded differently from the source")
      assert.include(failure.message, '"number":"INV-1-X"')
    })
  )

  it.effect("an incremental read that ignores its cursor is told it must return only the changes", () =>
    Effect.gen(function* () {
      const failure = yield* failureOf("incremental-ignores-cursor", (f) =>
        incrementalRead(f, sample(4), sample(2, 100))
      )
      assert.include(failure.message, "Not expected:")
      assert.include(failure.message, "must return the new and changed records and nothing else")
    })
  )

  it.effect("a cursor that points at its own record instead of after it is caught on resume", () =>
    Effect.gen(function* () {
      const failure = yield* failureOf("cursor-repeats-record", (f) => interruptedRead(f, sample(5), [2]))
      assert.match(failure.message, /resum/)
      assert.include(failure.message, "Each item's cursor must point just after that item")
    })
  )

  it.effect("a corrupt record that disappears is reported", () =>
    Effect.gen(function* () {
      const bad = fc.sample(recordOf("invoices", "BAD-1", { sourceId }), { numRuns: 1, seed: 3 })[0]
      if (bad === undefined) return assert.fail("no sample")
      const failure = yield* failureOf("swallows-bad-records", (f) => badRecord(f, sample(3), bad))
      assert.include(failure.message, "was read and decoded without complaint")
    })
  )

  it.effect("secrets in an error or a log line are found, and the message says where", () =>
    Effect.gen(function* () {
      const inError = yield* failureOf("secret-in-error", (f) => secretsStayHidden(f, sample(2)))
      assert.include(inError.message, "check() contains a secret")
      assert.include(inError.message, "Schema.Redacted")
      const inLog = yield* failureOf("secret-in-log", (f) => secretsStayHidden(f, sample(2)))
      assert.include(inLog.message, "a log line contains a secret")
    })
  )
})
