// The starter's plugin selection: the plugins it ships, the `plugins` config section that picks them, and
// `pluginTiers`, which switches them per account tier.
export * from "./PluginTiers.ts"
export * from "./StarterPlugins.ts"
