// The demo's master secret when none is configured: made once and kept beside the embedded database
// (`.portico/secret`, readable by the owner only), so demo sessions and links survive a restart.
import { randomBytes } from "node:crypto"
import { Effect, FileSystem, Path, Redacted } from "effect"

/** The secret in `<folder>/secret`, created on first use. */
export const demoSecret = Effect.fn("DemoSecret.read")(function* (folder: string) {
  const fs = yield* FileSystem.FileSystem
  const path = yield* Path.Path
  const file = path.join(folder, "secret")
  if (yield* fs.exists(file)) return Redacted.make((yield* fs.readFileString(file)).trim())
  yield* fs.makeDirectory(folder, { recursive: true })
  const secret = randomBytes(32).toString("base64url")
  yield* fs.writeFileString(file, `${secret}\n`, { mode: 0o600 })
  return Redacted.make(secret)
})
