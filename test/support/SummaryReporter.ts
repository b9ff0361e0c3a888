// Prints the closing line CI reads: `N passed, N failed, N skipped`, counting test cases across the run.
// Failed modules (a file that did not even load) and unhandled errors count as failures so they cannot hide.
import type { Reporter, TestModule } from "vitest/node"

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0
    let failed = 0
    let skipped = 0
    for (const module of testModules) {
      let cases = 0
      for (const test of module.children.allTests()) {
        cases++
        const state = test.result().state
        if (state === "passed") passed++
        else if (state === "failed") failed++
        else skipped++
      }
      if (cases === 0 && module.state() === "failed") failed++
    }
    failed += unhandledErrors.length
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`)
  }
}
