// The day the bundled demo files are written around: the loader moves every date by (today - anchor), so
// the demo always has invoices 10 days overdue, due in 20 days, paid 3 days ago.

import { localDate } from "../../../core/domain/LocalDate.ts"

/** The demo files' "today". */
export const demoAnchor = localDate("2026-01-15")
