// OSCAL assessment results: schema conformance, stable v5 UUIDs, one finding per gap, determinism.
import { describe, expect, it } from 'vitest';
import {
  assessmentResults,
  assessmentResultsChunks,
  assessmentResultsJson,
  findingUuid,
  observationUuid,
  oscalDateTime,
  OSCAL_NAMESPACE,
  PROP_NS,
  uuidV5,
  type OscalInput,
} from '../../src/export/oscal/index.js';
import { controlRef, naturalCompare } from '../../src/export/oscal/controls.js';
import { AssessmentResultsDocument } from '../../src/export/oscal/schema.js';
import { NAMESPACE_URL } from '../../src/export/oscal/uuid.js';
import type { Controls, Gap, Grant } from '../../src/model/index.js';

const NONE: Controls = {
  dora: [],
  rts2024_1774: [],
  owaspNhi2025: [],
  nistCsf2: [],
  iso27001_2022: [],
  nist80053r5: [],
};

const SOD: Controls = {
  dora: ['Art. 9(4)(c)'],
  rts2024_1774: ['Art. 21(b)', 'Art. 17(1)(b) (analogy)'],
  owaspNhi2025: [],
  nistCsf2: ['PR.AA-05'],
  iso27001_2022: ['A.5.3', 'A.8.2'],
  nist80053r5: ['AC-5', 'AC-3(2) (statement unconfirmed)'],
};

const REVOKE: Controls = {
  dora: ['Art. 9(4)(c)'],
  rts2024_1774: ['Art. 21(e)(iii)', 'Art. 20(2)(b)'],
  owaspNhi2025: ['NHI1:2025', 'NHI7:2025'],
  nistCsf2: ['PR.AA-05'],
  iso27001_2022: ['A.5.18'],
  nist80053r5: ['AC-2(2)', 'AC-2(3)', 'AC-2(f)'],
};

function grant(n: number, subject: string, extra: Partial<Grant> = {}): Grant {
  const issued = new Date(Date.UTC(2026, 0, 1 + n, 8, 0, 0, 250)).toISOString();
  return {
    id: `gr-${String(n).padStart(4, '0')}`,
    subject: { id: subject, kind: 'human' },
    target: { id: 'prod-admin', name: 'Prod Admin' },
    requestedAt: issued,
    approvals: [{ by: 'bob@bank.example', at: issued }],
    denials: [],
    issuedAt: issued,
    expiresAt: null,
    endedAt: new Date(Date.parse(issued) + 3_600_000).toISOString(),
    endReason: 'revoked',
    sessions: [{ start: issued, end: issued, activityCount: 2 }],
    tickets: [`ACC-${n}`],
    breakGlass: false,
    eventIds: [`ev-${n}-a`, `ev-${n}-b`],
    links: [{ eventId: `ev-${n}-a`, reason: 'grant-key' }],
    gapIds: [],
    ...extra,
  };
}

function gap(
  id: string,
  rule: Gap['rule'],
  severity: Gap['severity'],
  grantId: string | null,
  controls: Controls,
  extra: Partial<Gap> = {},
): Gap {
  return {
    id,
    rule,
    severity,
    grantId,
    subject: grantId ? 'alice@bank.example' : null,
    target: grantId ? 'prod-admin' : null,
    at: '2026-01-02T09:00:00.123Z',
    message: `${rule} on ${grantId ?? 'a source'}`,
    evidence: [`ev-${id}`],
    controls,
    coverage: 'covered',
    certainty: 'certain',
    ...extra,
  };
}

function input(extra: Partial<OscalInput> = {}): OscalInput {
  const grants = [
    grant(1, 'alice@bank.example'),
    grant(2, 'Łukasz Müller-Øster'),
    grant(3, '陈伟', { endReason: 'open', endedAt: null }),
  ];
  return {
    grants,
    gaps: [
      gap('gap-b', 'self-approval', 'high', 'gr-0001', SOD),
      gap('gap-a', 'never-revoked', 'medium', 'gr-0003', REVOKE, {
        subject: '  陈伟\n (on call) ',
      }),
      gap('gap-c', 'coverage-gap', 'low', null, NONE, { certainty: 'uncertain' }),
    ],
    period: { since: '2026-01-01T00:00:00.000Z', until: '2026-03-31T23:59:59.999Z' },
    asOf: '2026-03-31T23:59:59.999Z',
    toolVersion: '0.1.0',
    evidenceDigest: 'd'.repeat(64),
    ruleTitles: {
      'self-approval': 'Requester approved their own request',
      'never-revoked': 'Grant never revoked',
    },
    ruleControls: {
      'self-approval': SOD,
      'never-revoked': REVOKE,
      'weak-auth-on-elevation': { ...NONE, dora: ['Art. 9(4)(d)'], nist80053r5: ['IA-2(1)'] },
    },
    ...extra,
  };
}

type Json = Record<string, any>;
const ar = (doc: object) => (doc as Json)['assessment-results'] as Json;
const result = (doc: object) => ar(doc).results[0] as Json;
const clone = (doc: object): Json => JSON.parse(JSON.stringify(doc));

describe('uuidV5', () => {
  it('matches RFC 4122 name-based SHA-1 UUIDs', () => {
    // Python's uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org'), a widely published value.
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '886313e1-3b8a-5372-9b90-0c9aee199e5d',
    );
    expect(uuidV5('https://example.com/ü陈', NAMESPACE_URL)).toBe(
      '3eecfe78-8ce7-5d46-bcf2-8e4c245fce62',
    );
  });

  it('uses the documented namespace, itself derived from a URN', () => {
    expect(OSCAL_NAMESPACE).toBe(uuidV5('urn:dora-evidence:oscal', NAMESPACE_URL));
    expect(observationUuid('gr-1')).toBe(uuidV5('observation:grant:gr-1', OSCAL_NAMESPACE));
    expect(observationUuid('gr-1')).not.toBe(findingUuid('gr-1'));
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidV5('x', 'not-a-uuid')).toThrow(/not a UUID/);
  });
});

describe('control ids', () => {
  it('turns cited references into OSCAL tokens', () => {
    expect(controlRef('dora', 'Art. 9(4)(c)')).toMatchObject({
      controlId: 'dora_art9.4.c',
      statementIds: [],
      qualifier: null,
    });
    expect(controlRef('rts2024_1774', 'Art. 17(1)(f)-(g) (analogy)')).toMatchObject({
      controlId: 'rts-2024-1774_art17.1.f-g',
      qualifier: 'analogy',
    });
    expect(controlRef('owaspNhi2025', 'NHI7:2025').controlId).toBe('owasp-nhi-2025_nhi7-2025');
    expect(controlRef('nistCsf2', 'PR.AA-05').controlId).toBe('nist-csf-2_pr.aa-05');
    expect(controlRef('iso27001_2022', 'A.5.18').controlId).toBe('iso-27001-2022_a.5.18');
  });

  it('uses NIST catalog ids for SP 800-53 controls, enhancements and statement items', () => {
    expect(controlRef('nist80053r5', 'AC-6')).toMatchObject({
      controlId: 'ac-6',
      statementIds: [],
    });
    expect(controlRef('nist80053r5', 'AC-2(2)')).toMatchObject({
      controlId: 'ac-2.2',
      statementIds: [],
    });
    expect(controlRef('nist80053r5', 'AC-2(e)')).toMatchObject({
      controlId: 'ac-2',
      statementIds: ['ac-2_smt.e'],
    });
    expect(controlRef('nist80053r5', 'AC-2(i)(1)')).toMatchObject({
      controlId: 'ac-2',
      statementIds: ['ac-2_smt.i.1'],
    });
    expect(controlRef('nist80053r5', 'CM-3(1)(d) (analogy)')).toMatchObject({
      controlId: 'cm-3.1',
      statementIds: ['cm-3.1_smt.d'],
      qualifier: 'analogy',
    });
  });

  it('sorts digit runs as numbers', () => {
    expect(['dora_art21', 'dora_art9.4.c', 'dora_art10'].sort(naturalCompare)).toEqual([
      'dora_art9.4.c',
      'dora_art10',
      'dora_art21',
    ]);
  });
});

describe('assessmentResults', () => {
  it('passes the OSCAL 1.1.2 assessment-results schema mirror', () => {
    const parsed = AssessmentResultsDocument.safeParse(assessmentResults(input()));
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it('passes it with no grants and no gaps too (no empty arrays)', () => {
    const doc = assessmentResults(input({ grants: [], gaps: [], ruleControls: {} }));
    expect(AssessmentResultsDocument.safeParse(doc).success).toBe(true);
    expect(result(doc).observations).toBeUndefined();
    expect(result(doc).findings).toBeUndefined();
    expect(result(doc)['reviewed-controls']['control-selections']).toHaveLength(1);
  });

  it('rejects a broken document: missing uuid, bad UUID, extra property, fractional seconds, bad enums', () => {
    const good = assessmentResults(input());
    const broken: Array<[string, (doc: Json) => void]> = [
      ['missing finding uuid', (d) => delete ar(d).results[0].findings[0].uuid],
      ['missing document uuid', (d) => delete ar(d).uuid],
      [
        'version 1 UUID',
        (d) => (ar(d).results[0].observations[0].uuid = 'c232ab00-9414-11ec-b3c8-9f6bdeced846'),
      ],
      ['malformed UUID', (d) => (ar(d).uuid = 'b83118b9-73e9-5667-ab78')],
      [
        'extra property on an observation',
        (d) => (ar(d).results[0].observations[0].grant = 'gr-0001'),
      ],
      ['extra property at the root', (d) => (d.extra = true)],
      ['fractional seconds', (d) => (ar(d).metadata['last-modified'] = '2026-03-31T23:59:59.999Z')],
      ['time without zone', (d) => (ar(d).results[0].start = '2026-01-01T00:00:00')],
      ['impossible date', (d) => (ar(d).results[0].start = '2026-02-30T00:00:00Z')],
      ['finding target type', (d) => (ar(d).results[0].findings[0].target.type = 'control-id')],
      [
        'objective status state',
        (d) => (ar(d).results[0].findings[0].target.status.state = 'partially-satisfied'),
      ],
      [
        'control id not a token',
        (d) =>
          (ar(d).results[0]['reviewed-controls']['control-selections'][0]['include-controls'][0][
            'control-id'
          ] = 'Art. 9(4)(c)'),
      ],
      ['prop value with a line break', (d) => (ar(d).results[0].props[0].value = 'a\nb')],
      ['empty findings array', (d) => (ar(d).results[0].findings = [])],
      ['missing import-ap', (d) => delete ar(d)['import-ap']],
    ];
    for (const [label, breakIt] of broken) {
      const doc = clone(good);
      breakIt(doc);
      expect(AssessmentResultsDocument.safeParse(doc).success, label).toBe(false);
    }
  });

  it('gives the same bytes for the same input, whatever the input order', () => {
    const a = JSON.stringify(assessmentResults(input()));
    const b = JSON.stringify(assessmentResults(input()));
    const base = input();
    const shuffled = JSON.stringify(
      assessmentResults({
        ...base,
        grants: [...base.grants].reverse(),
        gaps: [...base.gaps].reverse(),
      }),
    );
    expect(b).toBe(a);
    expect(shuffled).toBe(a);
    expect(assessmentResultsJson(input())).toBe(`${JSON.stringify(JSON.parse(a), null, 2)}\n`);
  });

  it('streams the same bytes as the whole document, with and without grants and gaps', () => {
    const base = input();
    const many = Array.from({ length: 400 }, (_, n) =>
      grant(n + 10, n % 2 ? 'Łukasz Müller-Øster' : 'quote " backslash \\ 😀'),
    );
    const variants: OscalInput[] = [
      base,
      input({ grants: [] }),
      input({ gaps: [] }),
      input({ grants: [], gaps: [], ruleControls: {} }),
      input({
        grants: many,
        gaps: [...base.gaps, gap('gap-z', 'never-revoked', 'high', 'gr-0011', REVOKE)],
      }),
    ];
    for (const variant of variants) {
      const chunks = [...assessmentResultsChunks(variant)];
      expect(Buffer.concat(chunks).toString('utf8')).toBe(assessmentResultsJson(variant));
    }
    expect([...assessmentResultsChunks(variants[4])].length).toBeGreaterThan(1);
  });

  it('has one finding per gap and one observation per grant, linked by UUID', () => {
    const base = input();
    const doc = assessmentResults(base);
    const findings = result(doc).findings as Json[];
    const observations = result(doc).observations as Json[];
    const gapIdOf = (f: Json) => f.props.find((p: Json) => p.name === 'gap-id').value;

    expect(findings.map(gapIdOf).sort()).toEqual(base.gaps.map((g) => g.id).sort());
    expect(findings.map(gapIdOf)).toEqual(['gap-b', 'gap-a', 'gap-c']); // worst first
    for (const f of findings) expect(f.uuid).toBe(findingUuid(gapIdOf(f)));
    expect(observations.map((o) => o.uuid)).toEqual(
      ['gr-0001', 'gr-0002', 'gr-0003'].map(observationUuid),
    );

    const selfApproval = findings[0];
    expect(selfApproval['related-observations']).toEqual([
      { 'observation-uuid': observationUuid('gr-0001') },
    ]);
    expect(findings[2]['related-observations']).toBeUndefined(); // source-level gap

    const uuids = JSON.stringify(doc).match(/"uuid":"[^"]+"/g) ?? [];
    expect(new Set(uuids).size).toBe(uuids.length);
  });

  it('points each finding at its DORA provision and carries the other frameworks as props', () => {
    const findings = result(assessmentResults(input())).findings as Json[];
    const selfApproval = findings[0];
    expect(selfApproval.title).toBe('Requester approved their own request (self-approval)');
    expect(selfApproval.target).toMatchObject({
      type: 'statement-id',
      'target-id': 'dora_art9.4.c',
      status: { state: 'not-satisfied', reason: 'fail' },
    });
    const refs = selfApproval.props.filter((p: Json) => p.name === 'control-reference');
    expect(refs.map((p: Json) => [p.class, p.value])).toEqual([
      ['dora', 'Art. 9(4)(c)'],
      ['rts-2024-1774', 'Art. 21(b)'],
      ['rts-2024-1774', 'Art. 17(1)(b) (analogy)'],
      ['nist-csf-2', 'PR.AA-05'],
      ['iso-27001-2022', 'A.5.3'],
      ['iso-27001-2022', 'A.8.2'],
      ['sp800-53r5', 'AC-5'],
      ['sp800-53r5', 'AC-3(2) (statement unconfirmed)'],
    ]);
    expect(refs.every((p: Json) => p.ns === PROP_NS)).toBe(true);

    const coverage = findings[2];
    expect(coverage.target['target-id']).toBe('dora-evidence_rule_coverage-gap');
    expect(coverage.target.status.reason).toBe('other'); // uncertain, not a violation
    expect(coverage.title).toBe('coverage-gap');
  });

  it('reviews the controls of every rule that ran, per framework, NIST ids for SP 800-53', () => {
    const selections = result(assessmentResults(input()))['reviewed-controls'][
      'control-selections'
    ] as Json[];
    const ids = (i: number) => selections[i]['include-controls'].map((c: Json) => c['control-id']);
    expect(selections.map((s) => s.props[0].class)).toEqual([
      'dora',
      'rts-2024-1774',
      'owasp-nhi-2025',
      'nist-csf-2',
      'iso-27001-2022',
      'sp800-53r5',
    ]);
    expect(ids(0)).toEqual(['dora_art9.4.c', 'dora_art9.4.d']); // 9(4)(d) has no gap: its rule ran
    expect(ids(1)).toEqual([
      'rts-2024-1774_art17.1.b',
      'rts-2024-1774_art20.2.b',
      'rts-2024-1774_art21.b',
      'rts-2024-1774_art21.e.iii',
    ]);
    expect(selections[5]['include-controls']).toEqual([
      { 'control-id': 'ac-2', 'statement-ids': ['ac-2_smt.f'] },
      { 'control-id': 'ac-2.2' },
      { 'control-id': 'ac-2.3' },
      { 'control-id': 'ac-3.2' },
      { 'control-id': 'ac-5' },
      { 'control-id': 'ia-2.1' },
    ]);
    expect(selections[0].links[0].href).toBe('http://data.europa.eu/eli/reg/2022/2554/oj');
  });

  it('writes metadata from as-of and the tool, times in whole seconds with exact props', () => {
    const doc = assessmentResults(input());
    expect(ar(doc).metadata).toMatchObject({
      'last-modified': '2026-03-31T23:59:59Z',
      version: '0.1.0',
      'oscal-version': '1.1.2',
    });
    expect(ar(doc)['import-ap'].href).toBe('#assessment-plan');
    expect(ar(doc)['import-ap'].remarks).toMatch(/No OSCAL assessment plan exists/);
    expect(result(doc)).toMatchObject({
      start: '2026-01-01T00:00:00Z',
      end: '2026-03-31T23:59:59Z',
    });
    expect(result(doc).props).toContainEqual({
      name: 'as-of',
      ns: PROP_NS,
      value: '2026-03-31T23:59:59.999Z',
    });
    expect(result(doc).observations[0].collected).toBe('2026-03-31T23:59:59Z');
  });

  it('keeps names exact and folds whitespace that a prop value may not hold', () => {
    const doc = assessmentResults(input());
    const observation = result(doc).observations[1];
    expect(observation.props).toContainEqual({
      name: 'subject',
      ns: PROP_NS,
      value: 'Łukasz Müller-Øster',
    });
    const neverRevoked = result(doc).findings[1];
    expect(neverRevoked.props).toContainEqual({
      name: 'subject',
      ns: PROP_NS,
      value: '陈伟 (on call)',
    });
    expect(
      neverRevoked.props
        .filter((p: Json) => p.name === 'evidence-event-id')
        .map((p: Json) => p.value),
    ).toEqual(['ev-gap-a']);
  });

  it('refuses a time without a zone rather than guessing one', () => {
    expect(oscalDateTime('2026-01-01T10:00:00.999+01:00')).toBe('2026-01-01T09:00:00Z');
    expect(() => oscalDateTime('2026-01-01T10:00:00')).toThrow(/zone/);
    expect(() => assessmentResults(input({ asOf: 'yesterday' }))).toThrow(/zone/);
  });
});
