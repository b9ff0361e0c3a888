export * from "./CsvAdapter.ts"
export * from "./CsvConfig.ts"
export * from "./Encoding.ts"
