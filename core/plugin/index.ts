// The plugin contract and its composition.
export * from "./AccountTiers.ts"
export * from "./Plugin.ts"
export * from "./PluginErrors.ts"
export * from "./PluginGate.ts"
export * from "./PluginRegistry.ts"
export * from "./PortalHost.ts"
