// Registers the conformance checks as vitest tests for one adapter: `conformanceSuite("csv", { fixture })`.
// Data comes from fast-check; a failure names the check, what the adapter did, and the smallest input.
import { describe, it } from "@effect/vitest"
import { Effect, Exit, Option, type Scope, Stream } from "effect"
import * as fc from "fast-check"
import type { AdapterManifest, EntityName } from "../../core/erp/index.ts"
import { type ArbitraryOptions, datasetOf, recordOf } from "./Arbitraries.ts"
import {
  badRecord,
  ConformanceFailure,
  documentContent,
  fullRead,
  incrementalRead,
  interruptedRead,
  pageBoundary,
  secretsStayHidden
} from "./Checks.ts"
import type { SourceFixture } from "./SourceFixture.ts"

/** How to run the suite for one adapter. */
export interface ConformanceOptions {
  /** Builds a fresh, empty source and the adapter reading it, for one run; released (scope) after it. */
  readonly fixture: (context: { readonly sourceId: string }) => Effect.Effect<SourceFixture, unknown, Scope.Scope>
  /** The adapter's manifest: the kit checks that it declares every entity the fixture serves. */
  readonly manifest?: AdapterManifest<unknown>
  /** fast-check runs per property (default 8; each run builds a source). */
  readonly runs?: number
  /** Largest generated source (default 12 records). */
  readonly maxRecords?: number
  /** Tuning for generated text and currencies (the source id is the kit's). */
  readonly arbitraries?: Omit<ArbitraryOptions, "sourceId">
  /** Per-test timeout in ms (default 120 s). */
  readonly timeout?: number
}

const sourceId = "conformance"

const run = <A>(
  options: ConformanceOptions,
  body: (fixture: SourceFixture) => Effect.Effect<A, ConformanceFailure, Scope.Scope>
) =>
  Effect.runPromiseExit(
    Effect.scoped(
      Effect.flatMap(
        Effect.mapError(
          options.fixture({ sourceId }),
          (error) =>
            new ConformanceFailure({
              check: "fixture",
              message: `building the source fixture failed: ${String(error)}`
            })
        ),
        body
      )
    )
  ).then((exit) => {
    if (Exit.isSuccess(exit)) return exit.value
    const failure = exit.cause.reasons.find((reason) => reason._tag === "Fail")
    // fast-check and vitest report thrown errors: throw the failure itself so its message reaches the integrator.
    throw failure === undefined ? new ConformanceFailure({ check: "run", message: String(exit.cause) }) : failure.error
  })

/** The entities a fixture serves, read once from a throwaway instance. */
const entitiesOf = (options: ConformanceOptions) => run(options, (fixture) => Effect.succeed(fixture))

/**
 * Registers the ERP adapter conformance tests for `name`: full read, incremental read, page boundaries,
 * interrupted and resumed reads, rejected records, and secrets kept out of logs and errors; and, when the
 * manifest declares `documentContent`, document bytes delivered exactly through `content`.
 */
export const conformanceSuite = (name: string, options: ConformanceOptions): void => {
  const runs = options.runs ?? 8
  const max = options.maxRecords ?? 12
  const timeout = options.timeout ?? 120_000
  const arbitraryOptions: ArbitraryOptions = { ...options.arbitraries, sourceId }
  const dataset = (entities: ReadonlyArray<EntityName>, min: number, first = 1) =>
    fc.integer({ min, max: Math.max(min, max) }).chain((n) => datasetOf(entities, n, first, arbitraryOptions))
  const property =
    <T>(
      arbitrary: (fixture: SourceFixture) => fc.Arbitrary<T>,
      check: (fixture: SourceFixture, value: T) => Effect.Effect<void, ConformanceFailure, Scope.Scope>
    ) =>
    async () => {
      const probe = await entitiesOf(options)
      await fc.assert(
        fc.asyncProperty(arbitrary(probe), (value) => run(options, (fixture) => check(fixture, value))),
        { numRuns: runs, endOnFailure: false }
      )
    }

  describe(`${name} conforms to the ERP adapter contract`, () => {
    it(
      "declares what it serves, and check() passes on a healthy source",
      async () => {
        await run(options, (fixture) =>
          Effect.gen(function* () {
            const check = "manifest and check"
            const adapter = yield* Effect.mapError(
              fixture.adapter,
              (e) => new ConformanceFailure({ check, message: e.message })
            )
            const manifest = options.manifest
            if (manifest !== undefined) {
              if (adapter.adapterId !== manifest.id) {
                return yield* new ConformanceFailure({
                  check,
                  message: `adapterId "${adapter.adapterId}" differs from the manifest id "${manifest.id}"`
                })
              }
              const undeclared = fixture.entities.filter(
                (entity) => manifest.capabilities.entities[entity] === undefined
              )
              if (undeclared.length > 0) {
                return yield* new ConformanceFailure({
                  check,
                  message: `the adapter reads ${undeclared.join(", ")} but its manifest's capabilities.entities do not declare them`
                })
              }
              if (adapter.content !== undefined && manifest.capabilities.documentContent !== true) {
                return yield* new ConformanceFailure({
                  check,
                  message: "the adapter has a content operation but its manifest does not declare documentContent"
                })
              }
              if (adapter.writeBack !== undefined && manifest.capabilities.writeBack.length === 0) {
                return yield* new ConformanceFailure({
                  check,
                  message: "the adapter has writeBack but its manifest declares no writeBack capability"
                })
              }
            }
            if (fixture.sourceId !== undefined && fixture.sourceId !== sourceId) {
              return yield* new ConformanceFailure({
                check,
                message: `the fixture says its source is "${fixture.sourceId}", the kit asked for "${sourceId}"`
              })
            }
            if (adapter.sourceId !== sourceId) {
              return yield* new ConformanceFailure({
                check,
                message: `adapter.sourceId is "${adapter.sourceId}", the fixture was asked for "${sourceId}"`
              })
            }
            const result = yield* Effect.mapError(
              adapter.check(),
              (e) => new ConformanceFailure({ check, message: `check() failed: ${e.message}` })
            )
            if (!result.ok || result.checks.length === 0) {
              return yield* new ConformanceFailure({
                check,
                message: `check() on a healthy source must be ok and say what it checked; got ${JSON.stringify(result)}`
              })
            }
            const discovered = yield* Effect.mapError(
              adapter.discover(),
              (e) => new ConformanceFailure({ check, message: `discover() failed: ${e.message}` })
            )
            const missing = fixture.entities.filter(
              (entity) => !discovered.entities.some((d) => d.entity === entity && d.available)
            )
            if (missing.length > 0) {
              return yield* new ConformanceFailure({
                check,
                message: `discover() does not list ${missing.join(", ")} as available`
              })
            }
            const empty = yield* Effect.mapError(
              Stream.runCollect(adapter.read(fixture.entities[0] ?? "invoices", Option.none())),
              (e) => new ConformanceFailure({ check, message: `reading an empty source failed: ${e.message}` })
            )
            if (empty.length !== 0) {
              return yield* new ConformanceFailure({
                check,
                message: `the fixture's source starts non-empty (${empty.length} items) or the adapter invents records`
              })
            }
          })
        )
      },
      timeout
    )

    it(
      "a full read returns exactly the source",
      property((f) => dataset(f.entities, 0), fullRead),
      timeout
    )

    it(
      "after changes, an incremental read returns exactly the changes",
      property(
        (f) =>
          dataset(f.entities, 1).chain((initial) => {
            const inserts = dataset(f.entities, 1, 1000)
            if (!f.supportsUpdates) return fc.tuple(fc.constant(initial), inserts)
            const updates = fc
              .subarray([...initial], { minLength: 0 })
              .chain((picked) =>
                fc.tuple(...picked.map((r) => recordOf(r.entity, r.value.source.externalId, arbitraryOptions)))
              )
            return fc.tuple(
              fc.constant(initial),
              fc.tuple(inserts, updates).map(([a, b]) => [...a, ...b])
            )
          }),
        (fixture, [initial, changes]) => incrementalRead(fixture, initial, changes)
      ),
      timeout
    )

    it(
      "page boundaries: exact multiples of the page size, and one more or less",
      async () => {
        const probe = await entitiesOf(options)
        const entity = probe.pagedEntity ?? probe.entities[0] ?? "invoices"
        const page = probe.pageSize
        const sizes =
          page === undefined
            ? [0, 1, 2]
            : [page - 1, page, page + 1, 2 * page - 1, 2 * page, 2 * page + 1].filter((n) => n >= 0)
        for (const size of sizes) {
          const [records] = fc.sample(datasetOf([entity], size, 1, arbitraryOptions), { numRuns: 1, seed: size })
          await run(options, (fixture) => pageBoundary(fixture, records ?? []))
        }
      },
      timeout
    )

    it(
      "a read interrupted at any point and resumed from its last cursor loses and duplicates nothing",
      property(
        (f) =>
          fc.tuple(dataset(f.entities, 1), fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 })),
        (fixture, [records, takes]) => interruptedRead(fixture, records, takes)
      ),
      timeout
    )

    it(
      "a malformed record comes out rejected with a reason and its raw data; the others are intact",
      property(
        (f) =>
          fc
            .constantFrom(...f.entities)
            .chain((entity) => fc.tuple(dataset([entity], 0), recordOf(entity, `BAD-${entity}`, arbitraryOptions))),
        (fixture, [good, bad]) => badRecord(fixture, good, bad)
      ),
      timeout
    )

    if (options.manifest?.capabilities.documentContent === true) {
      it(
        "document content: every document's bytes come back exactly; bytes gone from the source are an ErpError",
        async () => {
          const probe = await entitiesOf(options)
          if (!probe.entities.includes("documents")) {
            throw new ConformanceFailure({
              check: "document content",
              message:
                "the manifest declares documentContent but the fixture serves no documents: add documents to its entities and store documentBytes(document) for each"
            })
          }
          await fc.assert(
            fc.asyncProperty(dataset(["documents"], 1), (records) =>
              run(options, (fixture) => documentContent(fixture, records))
            ),
            { numRuns: runs, endOnFailure: false }
          )
        },
        timeout
      )
    }

    it(
      "secrets never appear in logs, check results or errors",
      property((f) => dataset(f.entities, 1), secretsStayHidden),
      timeout
    )
  })
}
