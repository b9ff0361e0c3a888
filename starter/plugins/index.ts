// The starter's plugin selection: the plugins it ships and the `plugins` config section that picks them.
export * from "./StarterPlugins.ts"
