// Decides whether an integration test can run: under CI a missing PostgreSQL or Chromium is a failure,
// elsewhere the test is skipped with a line that says why.
import { existsSync } from "node:fs"
import { connect } from "node:net"

/** True when running under CI, where nothing may be skipped for lack of a service. */
export const isCI = process.env.CI === "true" || process.env.CI === "1"

/** Where the PostgreSQL server for integration tests listens (override with PORTICO_TEST_PG_URL). */
export const postgresUrl = process.env.PORTICO_TEST_PG_URL ?? "postgres://root@127.0.0.1:5432/test"

const reachable = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host, port })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1000, () => done(false))
    socket.once("connect", () => done(true))
    socket.once("error", () => done(false))
  })

/** The outcome of looking for a service: available, or missing with the reason. */
export type Availability = { readonly available: true } | { readonly available: false; readonly reason: string }

const decide = (available: boolean, what: string, hint: string): Availability => {
  if (available) return { available: true }
  const reason = `${what} is not available (${hint})`
  if (isCI) throw new Error(`${reason}: CI=true, so this is a failure, not a skip`)
  process.stderr.write(`[skip] ${reason}; skipping the tests that need it\n`)
  return { available: false, reason }
}

/** Checks the PostgreSQL server; throws under CI when it is missing. Call at module top level. */
export const postgresAvailability = async (): Promise<Availability> => {
  const url = new URL(postgresUrl)
  const ok = await reachable(url.hostname, Number(url.port || 5432))
  return decide(ok, `PostgreSQL at ${url.host}`, "start it with `pg_ctlcluster $(ls /etc/postgresql) main start`")
}

/** Where Chromium is installed, if anywhere (PORTICO_CHROMIUM overrides). */
export const chromiumPath = (): string | undefined => {
  const candidates = [
    process.env.PORTICO_CHROMIUM,
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome"
  ]
  return candidates.find((path): path is string => path !== undefined && existsSync(path))
}

/** Checks for Chromium; throws under CI when it is missing. */
export const chromiumAvailability = (): Availability =>
  decide(chromiumPath() !== undefined, "Chromium", "install it with `apt-get install -y chromium`")
