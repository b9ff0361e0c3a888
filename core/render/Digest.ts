// The SHA-256 every rendered download carries, so the audit entry of a download can name exactly the bytes
// that were sent.

import { createHash } from "node:crypto"

/** Lower-case hex SHA-256 of `bytes` (the value of `Rendered.sha256`). */
export const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex")
