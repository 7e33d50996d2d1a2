// The gap table, per-grant detail pages and the appendix (policy, inputs, rejected, verification).
import type { Gap } from '../../model/gap.js';
import { CONTENT_WIDTH, COLORS, type ReportWriter } from './writer.js';
import { gapsWorstFirst, grantsWorstFirst, LIMITS, type ReportInput } from './input.js';

function controlsText(gap: Gap): string {
  const parts = [
    gap.controls.dora.length ? `DORA ${gap.controls.dora.join(', ')}` : '',
    gap.controls.rts2024_1774.length ? `RTS ${gap.controls.rts2024_1774.join(', ')}` : '',
  ];
  return parts.filter(Boolean).join('; ');
}

function otherControlsText(gap: Gap): string {
  const parts = [
    gap.controls.owaspNhi2025.length ? `OWASP NHI ${gap.controls.owaspNhi2025.join(', ')}` : '',
    gap.controls.nistCsf2.length ? `CSF ${gap.controls.nistCsf2.join(', ')}` : '',
    gap.controls.iso27001_2022.length ? `ISO ${gap.controls.iso27001_2022.join(', ')}` : '',
    gap.controls.nist80053r5.length ? `800-53 ${gap.controls.nist80053r5.join(', ')}` : '',
  ];
  return parts.filter(Boolean).join('; ');
}

export function drawGapTable(w: ReportWriter, input: ReportInput): void {
  w.newPage();
  w.heading('Gaps');
  const gaps = gapsWorstFirst(input.gaps);
  const shown = gaps.slice(0, LIMITS.gapRows);
  if (gaps.length > shown.length) {
    w.text(`The ${shown.length} most severe of ${gaps.length} gaps are listed; gaps.csv and gaps.json in the bundle hold all of them.`, {
      bold: true,
      gap: 6,
    });
  }
  if (gaps.length === 0) {
    w.text('No gaps were found.');
    return;
  }
  w.table(
    [
      { header: 'Rule / severity', width: 78 },
      { header: 'Subject / target', width: 78 },
      { header: 'Time (UTC)', width: 52, mono: true },
      { header: 'Facts', width: 140 },
      { header: 'DORA / RTS 2024/1774', width: 70 },
      { header: 'Other references', width: 44 },
      { header: 'Evidence', width: CONTENT_WIDTH - 462, mono: true },
    ],
    shown.map((gap) => [
      `${gap.rule}\n${gap.severity}${gap.certainty === 'uncertain' ? ' (uncertain)' : ''}${gap.baseline ? `\n${gap.baseline}` : ''}`,
      `${gap.subject ?? '-'}\n${gap.target ?? '-'}`,
      gap.at.replace('T', ' ').replace('.000Z', 'Z'),
      `${gap.message}${gap.coverage !== 'covered' ? ` [source coverage: ${gap.coverage}]` : ''}`,
      controlsText(gap),
      otherControlsText(gap),
      gap.evidence.slice(0, 6).join('\n') + (gap.evidence.length > 6 ? `\n+${gap.evidence.length - 6} more` : ''),
    ]),
    6.5,
  );
}

export function drawGrantPages(w: ReportWriter, input: ReportInput): void {
  const gapsByGrant = new Map<string, Gap[]>();
  for (const gap of input.gaps) if (gap.grantId) gapsByGrant.set(gap.grantId, [...(gapsByGrant.get(gap.grantId) ?? []), gap]);
  const ordered = grantsWorstFirst(input.grants, input.gaps);
  const withGaps = ordered.filter((g) => gapsByGrant.has(g.id)).slice(0, LIMITS.detailGrants);
  const clean = ordered.filter((g) => !gapsByGrant.has(g.id)).slice(0, LIMITS.cleanDetailGrants);
  const omitted = input.grants.length - withGaps.length - clean.length;

  w.newPage();
  w.heading('Grant details');
  w.text(
    `${withGaps.length} grants with gaps (worst first) and ${clean.length} clean grants are shown, each event with its ` +
      `source file and locator.${omitted > 0 ? ` ${omitted} further grants are in grants.csv and grants.json.` : ''}`,
    { size: 8.5, color: COLORS.muted, gap: 8 },
  );

  for (const grant of [...withGaps, ...clean]) {
    w.ensureSpace(140);
    w.text(`${grant.subject.id} (${grant.subject.kind}) → ${grant.target.name || grant.target.id}`, { size: 11, bold: true, gap: 2 });
    const facts = [
      `grant ${grant.id}`,
      `requested ${grant.requestedAt ?? '-'}`,
      `approved ${grant.approvals.map((a) => `${a.by} at ${a.at}`).join(', ') || '-'}`,
      grant.denials.length ? `denied ${grant.denials.map((d) => `${d.by} at ${d.at}`).join(', ')}` : '',
      `issued ${grant.issuedAt ?? '-'}; expires ${grant.expiresAt ?? '-'}; ended ${grant.endedAt ?? '-'} (${grant.endReason})`,
      `tickets ${grant.tickets.join(', ') || '-'}${grant.breakGlass ? '; BREAK-GLASS' : ''}`,
      `sessions ${grant.sessions.length}, activity ${grant.sessions.reduce((n, s) => n + s.activityCount, 0)} events`,
    ].filter(Boolean);
    w.text(facts.join('\n'), { size: 8, mono: true, gap: 4 });
    for (const gap of gapsByGrant.get(grant.id) ?? []) {
      w.text(`${gap.severity.toUpperCase()} ${gap.rule}: ${gap.message}`, { size: 8, color: COLORS[gap.severity], gap: 1 });
    }

    const reasons = new Map(grant.links.map((l) => [l.eventId, l.reason]));
    const rows = grant.eventIds.slice(0, LIMITS.eventsPerGrant).map((id) => {
      const event = input.events.get(id);
      if (!event) return [id, '', '', '', reasons.get(id) ?? ''];
      return [
        event.at.replace('T', ' ').replace('Z', ''),
        `${event.stage}\n${event.action}`,
        event.summary,
        `${event.source.file}\n${event.source.locator}`,
        reasons.get(id) ?? '',
      ];
    });
    w.y += 3;
    w.table(
      [
        { header: 'Time (UTC)', width: 62, mono: true },
        { header: 'Stage / action', width: 80 },
        { header: 'Summary', width: 150 },
        { header: 'Source file and locator', width: 130, mono: true },
        { header: 'Link reason', width: CONTENT_WIDTH - 422 },
      ],
      rows,
      6.5,
    );
    if (grant.eventIds.length > LIMITS.eventsPerGrant) {
      w.text(`${grant.eventIds.length - LIMITS.eventsPerGrant} more events of this grant are in grants.json and timeline.jsonl.`, { size: 7.5, gap: 6 });
    }
    w.y += 8;
  }
}

export function drawAppendix(w: ReportWriter, input: ReportInput): void {
  w.newPage();
  w.heading('Appendix A: inputs and accounting');
  w.text('For every file: records read = normalized + ignored + rejected. sha256 is over the file bytes as received.', {
    size: 8.5,
    color: COLORS.muted,
    gap: 6,
  });
  const files = input.accounting.slice(0, LIMITS.inputRows);
  w.table(
    [
      { header: 'File / sha256', width: 230, mono: true },
      { header: 'Importer', width: 75 },
      { header: 'Read', width: 40 },
      { header: 'Normalized', width: 50 },
      { header: 'Ignored', width: 40 },
      { header: 'Rejected', width: CONTENT_WIDTH - 435 },
    ],
    files.map((f) => [
      `${f.file}\n${f.sha256 || '-'}${f.error ? `\n${f.error}` : ''}`,
      f.importer ?? 'unrecognized',
      String(f.read),
      String(f.normalized),
      String(f.ignored),
      String(f.rejected),
    ]),
    6.5,
  );
  if (input.accounting.length > files.length) w.text(`${input.accounting.length - files.length} more files are listed in accounting.json.`, { gap: 6 });

  w.heading('Appendix B: rejected records', 2);
  if (input.rejected.length === 0) w.text('No record was rejected.', { gap: 6 });
  else {
    w.text(`${input.rejected.length} records were rejected; rejected.jsonl lists each with its reason.`, { gap: 4 });
    w.table(
      [
        { header: 'File and locator', width: 200, mono: true },
        { header: 'Reason', width: CONTENT_WIDTH - 200 },
      ],
      input.rejected.slice(0, LIMITS.rejectedRows).map((r) => [`${r.file}\n${r.locator}`, r.reason]),
      6.5,
    );
  }

  w.heading('Appendix C: effective policy', 2);
  w.text(JSON.stringify(input.policy, null, 2), { size: 6.5, mono: true, gap: 8 });

  w.heading('Appendix D: how to verify this bundle', 2);
  w.text(
    [
      'With this tool:  dora-evidence verify evidence.zip --key signer-you-trust.pub',
      'Without it, after unzip:',
      '  openssl pkeyutl -verify -pubin -inkey signer.pub -rawin -in manifest.json -sigfile manifest.sig',
      '  then check each file of manifest.json "files" with sha256sum.',
      `Produced by dora-evidence ${input.toolVersion}. Trust comes from the public key you obtained separately, not from signer.pub inside the bundle.`,
    ].join('\n'),
    { size: 7.5, mono: true },
  );
}
