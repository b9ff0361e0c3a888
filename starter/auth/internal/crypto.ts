// Small crypto helpers for sign-in: random tokens, hashes for storage, MACs and constant-time comparison.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto"

/** A fresh unguessable token: 32 random bytes, base64url (43 characters). */
export const randomToken = (): string => randomBytes(32).toString("base64url")

/** The hex sha256 of a token: what the database keeps instead of the token. */
export const sha256Hex = (value: string): string => createHash("sha256").update(value, "utf8").digest("hex")

/** base64url HMAC-SHA256 of `value` under `key`. */
export const mac = (key: Buffer, value: string): string =>
  createHmac("sha256", key).update(value, "utf8").digest("base64url")

/** Compares two strings in time independent of where they differ (lengths are not secret here). */
export const sameString = (a: string, b: string): boolean => {
  const left = Buffer.from(a, "utf8")
  const right = Buffer.from(b, "utf8")
  return left.length === right.length && timingSafeEqual(left, right)
}
