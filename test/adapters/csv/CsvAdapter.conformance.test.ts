// The CSV adapter against the conformance kit, on real files: a German Windows-1252 export and a
// UTF-8-with-BOM export in ISO dates and dot decimals.
import { csvManifest } from "../../../adapters/csv/index.ts"
import { conformanceSuite } from "../../../adapters/testkit/index.ts"
import { csvFixture, german } from "./CsvFixture.ts"

conformanceSuite("csv (windows-1252, ';', 1.234,56, dd.mm.yyyy)", {
  fixture: csvFixture(german),
  manifest: csvManifest
})

conformanceSuite("csv (utf-8 with BOM, ',', 1,234.56, iso dates, LF)", {
  fixture: csvFixture({
    encoding: "utf-8",
    bom: true,
    delimiter: ",",
    decimalSeparator: ".",
    thousandsSeparator: ",",
    dateFormat: "iso",
    lineBreak: "\n"
  }),
  manifest: csvManifest,
  runs: 5
})
