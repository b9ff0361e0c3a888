// Where the pool's browser comes from: a configured binary, the usual install paths, or a remote endpoint;
// and the one place that launches or connects to it.
import { existsSync } from "node:fs"
import { Duration, Effect, Redacted, Result } from "effect"
import { type Browser, chromium } from "playwright-core"
import type { PdfConfig } from "../PdfConfig.ts"
import { BrowserUnavailable } from "../PdfErrors.ts"

/** Flags for a headless Chromium that renders trusted HTML offline in a container. */
export const launchArgs: ReadonlyArray<string> = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run"
]

/** Where distributions and Google put Chromium, tried in order after the `executablePath` setting. */
export const installPaths: ReadonlyArray<string> = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/opt/google/chrome/chrome"
]

/** A browser binary to launch, or a remote browser to connect to. */
export type BrowserSource =
  | { readonly _tag: "Local"; readonly executablePath: string }
  | { readonly _tag: "Remote"; readonly endpoint: Redacted.Redacted<string>; readonly protocol: "playwright" | "cdp" }

const howToInstall =
  "Install Chromium with `apt-get install -y chromium`, set `executablePath` in the PDF renderer config, " +
  "or point `remote.endpoint` at a browser server (`chromium.launchServer` or a CDP endpoint)."

/**
 * Picks the browser: a remote endpoint when configured, else `executablePath` (which must exist: a wrong setting
 * is reported, not papered over), else the first install path present.
 */
export const locateBrowser = (
  config: Pick<PdfConfig, "executablePath" | "remote">,
  exists: (path: string) => boolean = existsSync
): Result.Result<BrowserSource, BrowserUnavailable> => {
  if (config.remote !== undefined) {
    return Result.succeed({ _tag: "Remote", endpoint: config.remote.endpoint, protocol: config.remote.protocol })
  }
  if (config.executablePath !== undefined) {
    return exists(config.executablePath)
      ? Result.succeed({ _tag: "Local", executablePath: config.executablePath })
      : Result.fail(
          new BrowserUnavailable({
            reason: "NotFound",
            message: `The configured executablePath ${config.executablePath} does not exist. ${howToInstall}`
          })
        )
  }
  const found = installPaths.find(exists)
  return found !== undefined
    ? Result.succeed({ _tag: "Local", executablePath: found })
    : Result.fail(
        new BrowserUnavailable({
          reason: "NotFound",
          message: `No Chromium found (looked in ${installPaths.join(", ")}). ${howToInstall}`
        })
      )
}

/** Launches the local binary or connects to the remote endpoint, within `timeout`. */
export const openBrowser = (
  source: BrowserSource,
  timeout: Duration.Duration
): Effect.Effect<Browser, BrowserUnavailable> => {
  const millis = Duration.toMillis(timeout)
  switch (source._tag) {
    case "Local":
      return Effect.tryPromise({
        try: () => chromium.launch({ executablePath: source.executablePath, args: [...launchArgs], timeout: millis }),
        catch: (cause) =>
          new BrowserUnavailable({
            reason: "LaunchFailed",
            message: `Chromium at ${source.executablePath} did not start: ${String(cause)}. ${howToInstall}`,
            cause
          })
      })
    case "Remote":
      return Effect.tryPromise({
        try: () =>
          source.protocol === "cdp"
            ? chromium.connectOverCDP(Redacted.value(source.endpoint), { timeout: millis })
            : chromium.connect(Redacted.value(source.endpoint), { timeout: millis }),
        catch: (cause) =>
          new BrowserUnavailable({
            reason: "ConnectFailed",
            // The endpoint may carry a token, so the message does not repeat it.
            message: `Could not connect to the remote browser (${source.protocol}): ${firstLine(cause).replaceAll(
              Redacted.value(source.endpoint),
              "<endpoint>"
            )}`,
            cause
          })
      })
  }
}

const firstLine = (cause: unknown): string => String(cause).split("\n")[0] ?? ""
