#!/usr/bin/env node
// Entry point: loads the compiled CLI and hands it the process arguments.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);
