// Keeps secrets out of messages: finds every Redacted value in a decoded config and scrubs its text from
// strings an adapter did not write itself (a server's error body may echo a token back).
import { Predicate, Redacted, Schema } from "effect"

/** The plain-text values of every `Redacted` inside `config` (nested objects and arrays included). */
export const secretsOf = (config: unknown): ReadonlyArray<string> => {
  const found: Array<string> = []
  const visit = (value: unknown, depth: number): void => {
    if (depth > 16) return
    if (Redacted.isRedacted(value)) {
      const inner = Redacted.value(value)
      if (typeof inner === "string" && inner.length > 0) found.push(inner)
      return
    }
    if (Array.isArray(value)) for (const item of value) visit(item, depth + 1)
    else if (Predicate.isObject(value)) for (const item of Object.values(value)) visit(item, depth + 1)
  }
  visit(config, 0)
  return found
}

/** Replaces every occurrence of each secret in `text` with `<redacted>`. */
export const scrub = (text: string, secrets: ReadonlyArray<string>): string =>
  secrets.reduce((acc, secret) => (secret.length === 0 ? acc : acc.split(secret).join("<redacted>")), text)

/**
 * A secret setting (password, API key, client secret): decodes from the plain string in a JSON config into
 * a `Redacted`, which prints as `<redacted>`. Use this, not `Schema.Redacted`, in adapter config schemas:
 * `Schema.Redacted` expects a value that is already Redacted and rejects the config file's string.
 */
export const Secret = Schema.RedactedFromValue(Schema.String.check(Schema.isNonEmpty()), { disallowEncode: true })
