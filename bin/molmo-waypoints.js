#!/usr/bin/env node
// The installed entry point: runs the compiled CLI (npm ci builds dist/ through the prepare script).
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));
