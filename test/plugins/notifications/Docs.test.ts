// The settings example in docs/plugins.md's notifications and reminders section decodes with both plugins'
// config Schemas and means what the tables beside it say.
import { readFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import { Redacted, Schema } from "effect"
import { NotificationsConfig } from "../../../plugins/notifications/index.ts"
import { RemindersConfig } from "../../../plugins/reminders/index.ts"

const doc = readFileSync(new URL("../../../docs/plugins.md", import.meta.url), "utf8")
const example =
  /\n## Notifications and reminders\n[\s\S]*?### Settings[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)?.[1] ?? "{}"

describe("docs/plugins.md: notifications and reminders", () => {
  it("the settings example decodes with both plugins' Schemas", () => {
    const settings: { notifications?: unknown; reminders?: unknown } = JSON.parse(example)
    const notifications = Schema.decodeUnknownSync(NotificationsConfig)(settings.notifications)
    const reminders = Schema.decodeUnknownSync(RemindersConfig)(settings.reminders)
    assert.strictEqual(notifications.baseUrl, "https://billing.example.com")
    const smtp = notifications.smtp
    assert.isDefined(smtp)
    assert.strictEqual(smtp === undefined ? "" : Redacted.value(smtp.url), "smtps://portal:secret@mail.example.com:465")
    assert.strictEqual(String(smtp?.url).includes("secret"), false)
    assert.deepStrictEqual(
      [notifications.locale, notifications.maxEventAgeDays, notifications.maxAttempts, notifications.retryBaseSeconds],
      ["de", 14, 6, 30]
    )
    assert.deepStrictEqual([...reminders.sequence], [-3, 1, 7, 14])
    assert.deepStrictEqual(
      [reminders.cron, reminders.timeZone, reminders.previewDays],
      ["0 6 * * *", "Europe/Berlin", 30]
    )
  })

  it("the defaults are the documented ones", () => {
    const notifications = Schema.decodeUnknownSync(NotificationsConfig)({
      baseUrl: "https://billing.example.com",
      smtp: { url: "smtp://127.0.0.1:2525", from: "billing@example.com" }
    })
    assert.deepStrictEqual(
      [
        notifications.locale,
        notifications.maxEventAgeDays,
        notifications.maxAttempts,
        notifications.retryBaseSeconds,
        notifications.relayCron
      ],
      ["en", 14, 6, 30, "*/10 * * * *"]
    )
    const reminders = Schema.decodeUnknownSync(RemindersConfig)({})
    assert.deepStrictEqual(
      [[...reminders.sequence], reminders.cron, reminders.timeZone, reminders.previewDays, reminders.previewToken],
      [[-3, 1, 7, 14], "0 6 * * *", "UTC", 30, undefined]
    )
  })

  it("refuses a sequence with a repeated offset, a bad cron expression and an unknown time zone", () => {
    for (const bad of [{ sequence: [1, 1] }, { cron: "every day" }, { timeZone: "Mars/Olympus" }]) {
      assert.throws(() => Schema.decodeUnknownSync(RemindersConfig)(bad))
    }
  })
})
