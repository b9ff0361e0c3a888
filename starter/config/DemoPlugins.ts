// The plugins the demo (`npm start`) switches on when its config names none: notifications, whose e-mail the
// demo mailbox shows (`/dev/mail`), and reminders, which go out the same way on their days.
import type { PluginsSection } from "../plugins/StarterPlugins.ts"
import type { PortalConfigFile } from "./PortalConfig.ts"

/**
 * The demo's `plugins` section: notifications without SMTP settings (the demo provides its mailbox as the
 * transport; deep links point at the portal's public URL) and reminders with their default sequence.
 */
export const demoPlugins: PluginsSection = { notifications: {}, reminders: {} }

/** The config file the demo runs with: its own `plugins` section when it has one (or PORTICO_PLUGINS), else the demo's. */
export const withDemoPlugins = (file: PortalConfigFile): PortalConfigFile =>
  file.plugins === undefined ? { ...file, plugins: demoPlugins } : file
