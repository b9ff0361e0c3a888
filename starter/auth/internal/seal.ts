// Sealing small secrets at rest (TOTP keys) with AES-256-GCM under a key derived from the master secret.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto"

/** `iv | tag | ciphertext`, base64url. */
export const seal = (key: Buffer, plain: string): string => {
  const iv = randomBytes(12)
  const cipher = createCipheriv("aes-256-gcm", key, iv)
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url")
}

/** The plain text, or undefined when the box was not sealed with this key (or was altered). */
export const open = (key: Buffer, sealed: string): string | undefined => {
  const bytes = Buffer.from(sealed, "base64url")
  if (bytes.length < 28) return undefined
  const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12))
  decipher.setAuthTag(bytes.subarray(12, 28))
  try {
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8")
  } catch {
    // GCM refuses a box sealed with another key or altered since.
    return undefined
  }
}
