// Sums the test reports in a folder (Jest's --json report, Playwright's JSON reporter) and
// prints one plain line "tests: N passed, N failed". Exits non-zero when a test failed,
// when no test ran, or when an expected report is missing.
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
const expected = ['jest.json', 'playwright.json'];

function readReport(file) {
  const full = path.join(dir, file);
  if (!fs.existsSync(full)) return undefined;
  return JSON.parse(fs.readFileSync(full, 'utf8'));
}

function countJest(report) {
  return {
    passed: report.numPassedTests,
    // A suite that fails to run (syntax error, failing hook) has no failed test of its own.
    failed: report.numFailedTests + report.numRuntimeErrorTestSuites,
    skipped: report.numPendingTests + report.numTodoTests,
  };
}

function countPlaywright(report) {
  const s = report.stats ?? {};
  return {
    passed: (s.expected ?? 0) + (s.flaky ?? 0),
    failed: (s.unexpected ?? 0) + (report.errors?.length ?? 0),
    skipped: s.skipped ?? 0,
  };
}

const counters = { 'jest.json': countJest, 'playwright.json': countPlaywright };
const total = { passed: 0, failed: 0, skipped: 0 };
const missing = [];
for (const file of expected) {
  const report = readReport(file);
  if (!report) {
    missing.push(file);
    continue;
  }
  const counts = counters[file](report);
  console.error(
    `[summary] ${file}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`,
  );
  for (const key of Object.keys(total)) total[key] += counts[key];
}
if (missing.length > 0) {
  console.error(
    `[summary] missing reports (that stage did not finish): ${missing.join(
      ', ',
    )}`,
  );
  total.failed += missing.length;
}

console.log(
  `tests: ${total.passed} passed, ${total.failed} failed` +
    (total.skipped ? `, ${total.skipped} skipped` : ''),
);
process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
