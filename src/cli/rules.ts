// `rules`: lists the gap rules with default severity, rationale and control references.
import { RULES } from '../rules/index.js';

export interface RulesOptions {
  json?: boolean;
}

export async function run(options: RulesOptions): Promise<number> {
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ rules: RULES }, null, 2)}\n`);
    return 0;
  }
  for (const rule of RULES) {
    process.stdout.write(`${rule.id}  [${rule.severity}]  ${rule.title}\n`);
    process.stdout.write(`  why: ${rule.rationale}\n`);
    process.stdout.write(`  fix: ${rule.remediation}\n`);
    process.stdout.write(
      `  DORA ${rule.controls.dora.join(', ') || '-'}; RTS 2024/1774 ${rule.controls.rts2024_1774.join(', ') || '-'}\n`,
    );
    const other = [
      rule.controls.owaspNhi2025.length ? `OWASP NHI ${rule.controls.owaspNhi2025.join(', ')}` : '',
      rule.controls.nistCsf2.length ? `NIST CSF ${rule.controls.nistCsf2.join(', ')}` : '',
      rule.controls.iso27001_2022.length
        ? `ISO 27001 ${rule.controls.iso27001_2022.join(', ')}`
        : '',
      rule.controls.nist80053r5.length ? `800-53 ${rule.controls.nist80053r5.join(', ')}` : '',
    ].filter(Boolean);
    if (other.length) process.stdout.write(`  also: ${other.join('; ')}\n`);
    if (rule.policyParameters.length)
      process.stdout.write(`  firm policy (not law): ${rule.policyParameters.join(', ')}\n`);
    for (const limitation of rule.limitations)
      process.stdout.write(`  limitation: ${limitation}\n`);
    process.stdout.write('\n');
  }
  return 0;
}
