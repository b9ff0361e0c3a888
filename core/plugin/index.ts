// The plugin contract and its composition.
export * from "./Plugin.ts"
export * from "./PluginErrors.ts"
export * from "./PluginRegistry.ts"
