// The SQL adapter's public API: the adapter definition and layer, its config, the query check, the dialect.
export * from "./ReadOnlySelect.ts"
export * from "./SqlAdapter.ts"
export * from "./SqlAdapterConfig.ts"
export * from "./SqlDialect.ts"
