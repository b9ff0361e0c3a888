// The PDF renderer's shared tests on a Chromium launched by the pool on this machine.
import { describe } from "@effect/vitest"
import { PdfRenderer } from "../../../renderers/pdf/PdfRenderer.ts"
import { chromiumAvailability } from "../../support/Requirements.ts"
import { pdfRendererConformance } from "./PdfRendererConformance.ts"
import { testPdfConfig } from "./PdfTestSupport.ts"

const availability = chromiumAvailability()

describe.skipIf(!availability.available)("PdfRenderer on Chromium", () => {
  pdfRendererConformance("on a local Chromium", PdfRenderer.layer(testPdfConfig()))
})
