// The gap table, per-grant detail pages and the appendix (policy, inputs, rejected, verification).
import type { Gap } from '../../model/gap.js';
import { CONTENT_WIDTH, COLORS, type ReportWriter } from './writer.js';
import { cmp, gapsWorstFirst, grantsWorstFirst, LIMITS, type ReportInput } from './input.js';

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
    w.text(
      `The ${shown.length} most severe of ${gaps.length} gaps are listed; gaps.csv and gaps.json in the bundle hold all of them.`,
      {
        bold: true,
        gap: 6,
      },
    );
  }
  if (gaps.length === 0) {
    w.text('No gaps were found.');
    return;
  }
  // Four wide columns, and the references and evidence on a full-width line under each gap: in
  // seven columns the control ids broke mid-token ("NHI1:2 025") and a gap took a third of a page.
  w.table(
    [
      { header: 'Rule / severity', width: 92 },
      { header: 'Subject / target', width: 110 },
      { header: 'Time (UTC)', width: 58, mono: true },
      { header: 'Facts', width: CONTENT_WIDTH - 260 },
    ],
    shown.map((gap) => [
      `${gap.rule}\n${gap.severity.toUpperCase()}${gap.certainty === 'uncertain' ? ' (uncertain)' : ''}${gap.baseline ? `\n${gap.baseline}` : ''}`,
      `${gap.subject ?? '(source-level)'}\n${gap.target ?? '-'}`,
      gap.at.replace('T', '\n').replace('.000Z', 'Z'),
      `${gap.message}${gap.coverage !== 'covered' ? ` [source coverage: ${gap.coverage}]` : ''}`,
    ]),
    6.5,
    {
      caption: 'Gaps',
      marks: shown.map((gap) => COLORS[gap.severity]),
      details: shown.map((gap) =>
        [
          `DORA / RTS 2024/1774: ${controlsText(gap) || 'none cited'}`,
          otherControlsText(gap) ? `Other: ${otherControlsText(gap)}` : '',
          `Evidence: ${gap.evidence.slice(0, 8).join(', ') || 'none (the finding is an absence)'}` +
            (gap.evidence.length > 8 ? ` and ${gap.evidence.length - 8} more in gaps.json` : ''),
        ]
          .filter(Boolean)
          .join('\n'),
      ),
    },
  );
}

export function drawGrantPages(w: ReportWriter, input: ReportInput): void {
  const gapsByGrant = new Map<string, Gap[]>();
  for (const gap of input.gaps)
    if (gap.grantId) gapsByGrant.set(gap.grantId, [...(gapsByGrant.get(gap.grantId) ?? []), gap]);
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
    const gaps = gapsByGrant.get(grant.id) ?? [];
    const facts = [
      `grant ${grant.id}${grant.breakGlass ? '   BREAK-GLASS' : ''}`,
      `requested  ${grant.requestedAt ?? '-'}   tickets ${grant.tickets.join(', ') || '-'}`,
      ...(grant.approvals.length
        ? grant.approvals.map((a) => `approved   ${a.at} by ${a.by}`)
        : ['approved   -']),
      ...grant.denials.map((d) => `denied     ${d.at} by ${d.by}`),
      `issued     ${grant.issuedAt ?? '-'}   expires ${grant.expiresAt ?? '-'}`,
      `ended      ${grant.endedAt ?? '-'} (${grant.endReason})`,
      `sessions   ${grant.sessions.length}, activity ${grant.sessions.reduce((n, s) => n + s.activityCount, 0)} events`,
    ];
    // The grant's own events and the activity its gaps cite (activity is summarized per session,
    // so a cited API call is not among eventIds), in time order.
    const cited = gaps.flatMap((gap) => gap.evidence).filter((id) => !grant.eventIds.includes(id));
    const rows = [...new Set([...grant.eventIds, ...cited])]
      .sort(
        (a, b) => cmp(input.events.get(a)?.at ?? '', input.events.get(b)?.at ?? '') || cmp(a, b),
      )
      .slice(0, LIMITS.eventsPerGrant);

    // Keep a grant on one page when it fits on a fresh one; a longer one continues with a caption.
    const estimate = 30 + facts.length * 10 + gaps.length * 20 + 20 + rows.length * 26;
    w.ensureSpace(Math.min(estimate, 400));
    const title = `${grant.subject.id} (${grant.subject.kind}) → ${grant.target.name || grant.target.id}`;
    w.text(title, { size: 11, bold: true, gap: 2 });
    w.text(facts.join('\n'), { size: 7.5, mono: true, gap: 4 });
    for (const gap of gaps) {
      w.text(`${gap.severity.toUpperCase()} ${gap.rule}: ${gap.message}`, {
        size: 8,
        color: COLORS[gap.severity],
        gap: 1,
      });
    }

    const reasons = new Map(grant.links.map((l) => [l.eventId, l.reason]));
    w.y += 3;
    w.table(
      [
        { header: 'Time (UTC)', width: 58, mono: true },
        { header: 'Stage / action', width: 92 },
        { header: 'Summary', width: 134 },
        { header: 'Source file and locator', width: 152, mono: true },
        { header: 'Event id / link', width: CONTENT_WIDTH - 436, mono: true },
      ],
      rows.map((id) => {
        const event = input.events.get(id);
        const link = `${id}\n${reasons.get(id) ?? (cited.includes(id) ? 'cited by a gap' : '')}`;
        if (!event) return ['', '(event not in this report)', '', '', link];
        return [
          event.at.replace('T', '\n').replace('Z', ''),
          `${event.stage}\n${event.action}`,
          event.summary,
          `${event.source.file}\n${event.source.locator}`,
          link,
        ];
      }),
      6.5,
      { caption: `${grant.id}: ${grant.subject.id} → ${grant.target.name || grant.target.id}` },
    );
    if (grant.eventIds.length > LIMITS.eventsPerGrant) {
      w.text(
        `${grant.eventIds.length - LIMITS.eventsPerGrant} more events of this grant are in grants.json and timeline.jsonl.`,
        { size: 7.5, gap: 6 },
      );
    }
    w.y += 8;
  }
}

export function drawAppendix(w: ReportWriter, input: ReportInput): void {
  w.newPage();
  w.heading('Appendix A: inputs and accounting');
  w.text(
    'For every file: records read = normalized + ignored + rejected. sha256 is over the file bytes as received.',
    {
      size: 8.5,
      color: COLORS.muted,
      gap: 6,
    },
  );
  const files = input.accounting.slice(0, LIMITS.inputRows);
  w.table(
    [
      // 264 points hold a 64-digit sha256 on one line at 6.5 pt mono.
      { header: 'File / sha256', width: 264, mono: true },
      { header: 'Importer', width: 70 },
      { header: 'Read', width: 36 },
      { header: 'Normalized', width: 50 },
      { header: 'Ignored', width: 37 },
      { header: 'Rejected', width: CONTENT_WIDTH - 457 },
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
  if (input.accounting.length > files.length)
    w.text(`${input.accounting.length - files.length} more files are listed in accounting.json.`, {
      gap: 6,
    });

  w.heading('Appendix B: rejected records', 2);
  if (input.rejected.length === 0) w.text('No record was rejected.', { gap: 6 });
  else {
    w.text(
      `${input.rejected.length} records were rejected; rejected.jsonl lists each with its reason.`,
      { gap: 4 },
    );
    const byReason = new Map<string, number>();
    for (const r of input.rejected) byReason.set(r.reason, (byReason.get(r.reason) ?? 0) + 1);
    w.table(
      [
        { header: 'Records', width: 50 },
        { header: 'Reason', width: CONTENT_WIDTH - 50 },
      ],
      [...byReason.entries()]
        .sort(([ra, a], [rb, b]) => b - a || (ra < rb ? -1 : 1))
        .slice(0, LIMITS.rejectedRows)
        .map(([reason, count]) => [String(count), reason]),
      6.5,
    );
    w.text(`The first ${Math.min(LIMITS.rejectedRows, input.rejected.length)} of them:`, {
      size: 7.5,
      gap: 3,
    });
    w.table(
      [
        { header: 'File and locator', width: 200, mono: true },
        { header: 'Reason', width: CONTENT_WIDTH - 200 },
      ],
      input.rejected
        .slice(0, LIMITS.rejectedRows)
        .map((r) => [`${r.file}\n${r.locator}`, r.reason]),
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

/** Every event a listed gap cites, with its file and locator: the trail from claim to byte. */
export function drawEvidenceIndex(w: ReportWriter, input: ReportInput): void {
  const ids = [
    ...new Set(
      gapsWorstFirst(input.gaps)
        .slice(0, LIMITS.gapRows)
        .flatMap((gap) => gap.evidence),
    ),
  ];
  const shown = ids.slice(0, LIMITS.evidenceRows);
  w.newPage();
  w.heading('Appendix E: evidence cited by gaps');
  w.text(
    `Each event id a gap cites, with the source file and the locator of its record (line, row or JSON ` +
      `pointer). ${ids.length > shown.length ? `The first ${shown.length} of ${ids.length} are listed; ` : ''}` +
      'timeline.jsonl holds every event with the same id.',
    { size: 8.5, color: COLORS.muted, gap: 6 },
  );
  w.table(
    [
      { header: 'Event id', width: 90, mono: true },
      { header: 'Time (UTC)', width: 62, mono: true },
      { header: 'Stage / action', width: 100 },
      { header: 'Source file and locator', width: CONTENT_WIDTH - 252, mono: true },
    ],
    shown.map((id) => {
      const event = input.events.get(id);
      if (!event) return [id, '', '(not in the timeline)', ''];
      return [
        id,
        event.at.replace('T', '\n').replace('Z', ''),
        `${event.stage}\n${event.action}`,
        `${event.source.file}\n${event.source.locator}`,
      ];
    }),
    6.5,
  );
}
