// Finding the browser: remote endpoint first, then the configured binary, then the usual install paths;
// a typed error that says how to install one when there is none.
import { describe, expect, it } from "@effect/vitest"
import { Redacted, Result } from "effect"
import { installPaths, launchArgs, locateBrowser } from "../../../renderers/pdf/internal/BrowserSource.ts"

const present =
  (...paths: ReadonlyArray<string>) =>
  (path: string) =>
    paths.includes(path)

describe("locateBrowser", () => {
  it("uses the configured executablePath when it exists", () => {
    const found = locateBrowser(
      { executablePath: "/srv/chrome/chrome" },
      present("/srv/chrome/chrome", "/usr/bin/chromium")
    )
    expect(found).toEqual(Result.succeed({ _tag: "Local", executablePath: "/srv/chrome/chrome" }))
  })

  it("reports a configured executablePath that does not exist instead of silently using another", () => {
    const found = locateBrowser({ executablePath: "/nowhere/chrome" }, present("/usr/bin/chromium"))
    expect(Result.isFailure(found)).toBe(true)
    if (Result.isFailure(found)) {
      expect(found.failure.reason).toBe("NotFound")
      expect(found.failure.message).toContain("/nowhere/chrome")
    }
  })

  it.each(installPaths)("finds %s among the usual install paths", (path) => {
    expect(locateBrowser({}, present(path))).toEqual(Result.succeed({ _tag: "Local", executablePath: path }))
  })

  it("prefers the usual paths in order", () => {
    expect(locateBrowser({}, present("/opt/google/chrome/chrome", "/usr/bin/chromium"))).toEqual(
      Result.succeed({ _tag: "Local", executablePath: "/usr/bin/chromium" })
    )
  })

  it("fails with BrowserUnavailable saying how to install Chromium when none is found", () => {
    const found = locateBrowser({}, present())
    expect(Result.isFailure(found)).toBe(true)
    if (Result.isFailure(found)) {
      expect(found.failure._tag).toBe("BrowserUnavailable")
      expect(found.failure.reason).toBe("NotFound")
      expect(found.failure.message).toContain("apt-get install -y chromium")
      expect(found.failure.message).toContain("executablePath")
      expect(found.failure.message).toContain("remote.endpoint")
    }
  })

  it("uses a remote endpoint when one is configured, without looking for a binary", () => {
    const endpoint = Redacted.make("ws://127.0.0.1:9222/x")
    const found = locateBrowser({ remote: { endpoint, protocol: "cdp" } }, present())
    expect(found).toEqual(Result.succeed({ _tag: "Remote", endpoint, protocol: "cdp" }))
  })
})

describe("launchArgs", () => {
  it("are the flags for a quiet headless render host", () => {
    expect(launchArgs).toEqual([
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run"
    ])
  })
})
