// The renderer's settings: defaults for everything, a remote endpoint kept redacted, bad values named.
import { availableParallelism } from "node:os"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Redacted } from "effect"
import { decodePdfConfig } from "../../../renderers/pdf/PdfConfig.ts"

describe("PdfConfig", () => {
  it.effect("fills every default", () =>
    Effect.gen(function* () {
      const config = yield* decodePdfConfig({})
      expect(config.concurrency).toBe(availableParallelism())
      expect(config.pageRendersBeforeRecycle).toBe(100)
      expect(config.browserRendersBeforeRecycle).toBe(2000)
      expect(Duration.toMillis(config.renderTimeout)).toBe(30_000)
      expect(Duration.toMillis(config.launchTimeout)).toBe(30_000)
      expect(config.javaScriptEnabled).toBe(false)
      expect(config.executablePath).toBeUndefined()
      expect(config.remote).toBeUndefined()
    })
  )

  it.effect("keeps a remote endpoint redacted, defaulting to the Playwright protocol", () =>
    Effect.gen(function* () {
      const config = yield* decodePdfConfig({ remote: { endpoint: "ws://fleet:3000/pw?token=s3cret" } })
      expect(config.remote?.protocol).toBe("playwright")
      expect(String(config.remote?.endpoint)).not.toContain("s3cret")
      expect(config.remote === undefined ? undefined : Redacted.value(config.remote.endpoint)).toBe(
        "ws://fleet:3000/pw?token=s3cret"
      )
    })
  )

  it.effect("names the field that does not decode", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(decodePdfConfig({ concurrency: 0 }))
      expect(error._tag).toBe("PdfConfigError")
      expect(error.message).toContain("concurrency")
      const other = yield* Effect.flip(decodePdfConfig({ pageRendersBeforeRecycle: 1.5 }))
      expect(other.message).toContain("pageRendersBeforeRecycle")
    })
  )
})
