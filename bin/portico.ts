#!/usr/bin/env node
// The `portico` executable (the package's `bin`): runs the command-line tool on Node 24.
import { main, portico } from "../core/cli/Portico.ts"

main(portico)
