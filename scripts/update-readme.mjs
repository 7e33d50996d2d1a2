#!/usr/bin/env node
// Rewrites the README's importer reference from the importers' metadata (run after npm run build).
import { readFileSync, writeFileSync } from 'node:fs';
import { withImporterSection } from '../dist/importers/docs.js';

const file = new URL('../README.md', import.meta.url);
writeFileSync(file, withImporterSection(readFileSync(file, 'utf8')));
