export * from "./CsvFormat.ts"
export * from "./CsvRenderer.ts"
export * from "./CsvWriter.ts"
