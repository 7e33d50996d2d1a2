#!/usr/bin/env node
// Entry point: loads the compiled CLI and hands it the process arguments.
import { main, tuneHeapGrowth } from '../dist/cli/main.js';

tuneHeapGrowth();
process.exitCode = await main(process.argv);
