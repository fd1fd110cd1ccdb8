// Test processes get a data dir of their own: nothing a test starts writes into ~/.dispatch.
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

if (!process.env.DISPATCH_HOME) process.env.DISPATCH_HOME = mkdtempSync(join(tmpdir(), 'dispatch-test-home-'));
