export * from "./Arbitraries.ts"
export * from "./Checks.ts"
export * from "./ConformanceSuite.ts"
export * from "./SourceFixture.ts"
