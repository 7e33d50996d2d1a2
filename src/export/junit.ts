// JUnit XML for CI: one test case per grant (a failure per gap), source-level gaps on their own.
import type { Gap } from '../model/gap.js';
import type { Grant } from '../model/grant.js';
import { writeFileAtomically } from './atomic-file.js';

/** XML 1.0 cannot carry most C0 controls even as references: they become U+FFFD. */
function xmlText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/\p{Surrogate}/gu, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

function failure(gap: Gap): string {
  const message = `[${gap.severity}] ${gap.rule}: ${gap.message}`;
  const details = [
    `gap ${gap.id}`,
    `at ${gap.at}`,
    gap.subject ? `subject ${gap.subject}` : null,
    gap.target ? `target ${gap.target}` : null,
    `certainty ${gap.certainty}, coverage ${gap.coverage}`,
    gap.baseline ? `baseline ${gap.baseline}` : null,
    gap.controls.dora.length ? `DORA ${gap.controls.dora.join(', ')}` : null,
    gap.evidence.length ? `evidence ${gap.evidence.join(' ')}` : null,
  ].filter((line): line is string => line !== null);
  return (
    `      <failure message="${xmlText(message)}" type="${xmlText(gap.rule)}">` +
    `${xmlText(details.join('\n'))}</failure>\n`
  );
}

function testCase(classname: string, name: string, gaps: Gap[]): string {
  const open = `    <testcase classname="${xmlText(classname)}" name="${xmlText(name)}"`;
  if (gaps.length === 0) return `${open}/>\n`;
  return `${open}>\n${gaps.map(failure).join('')}    </testcase>\n`;
}

/** The JUnit document: suite "grants" and suite "sources" (gaps without a known grant). */
export function junitXml(grants: Grant[], gaps: Gap[]): string {
  const grantIds = new Set(grants.map((g) => g.id));
  const byGrant = new Map<string, Gap[]>();
  const standalone: Gap[] = [];
  for (const gap of gaps) {
    if (gap.grantId !== null && grantIds.has(gap.grantId)) {
      const list = byGrant.get(gap.grantId) ?? [];
      list.push(gap);
      byGrant.set(gap.grantId, list);
    } else {
      standalone.push(gap);
    }
  }

  const grantCases = grants.map((g) => {
    const name = `${g.id} ${g.subject.id} -> ${g.target.id}`;
    return testCase('dora-evidence.grants', name, byGrant.get(g.id) ?? []);
  });
  const sourceCases = standalone.map((gap) => {
    const about = gap.grantId ?? gap.target ?? gap.subject ?? 'sources';
    return testCase('dora-evidence.sources', `${gap.rule} ${about} ${gap.at} ${gap.id}`, [gap]);
  });
  const grantFailures = grants.filter((g) => (byGrant.get(g.id) ?? []).length > 0).length;

  const suite = (name: string, cases: string[], failures: number): string =>
    `  <testsuite name="${name}" tests="${cases.length}" failures="${failures}" errors="0"` +
    ` skipped="0">\n${cases.join('')}  </testsuite>\n`;
  const total = grantCases.length + sourceCases.length;
  const failures = grantFailures + sourceCases.length;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="dora-evidence" tests="${total}" failures="${failures}" errors="0">\n` +
    suite('dora-evidence.grants', grantCases, grantFailures) +
    suite('dora-evidence.sources', sourceCases, sourceCases.length) +
    '</testsuites>\n'
  );
}

/** Writes the JUnit report atomically (it is a CI artifact, replaced on every run). */
export async function writeJunit(grants: Grant[], gaps: Gap[], file: string): Promise<void> {
  await writeFileAtomically(file, junitXml(grants, gaps), true);
}
