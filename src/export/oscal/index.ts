// OSCAL 1.1.2 assessment results: one observation per grant, one finding per gap, stable UUIDs.
import type { Controls, Gap } from '../../model/gap.js';
import type { Grant } from '../../model/grant.js';
import { SEVERITY_ORDER } from '../../model/gap.js';
import {
  controlRefs,
  FRAMEWORKS,
  naturalCompare,
  type ControlRef,
  type Framework,
} from './controls.js';
import { OSCAL_NAMESPACE, uuidV5 } from './uuid.js';
import { prettyJsonChunks, streamedArray, type StreamedArray } from '../json-stream.js';

export { OSCAL_NAMESPACE, uuidV5 } from './uuid.js';

/** The OSCAL release whose assessment-results JSON schema the output follows. */
export const OSCAL_VERSION = '1.1.2';

/** Namespace of every prop we define (props without ns belong to OSCAL itself). */
export const PROP_NS = 'urn:dora-evidence:oscal';

/** Path of the file inside the bundle; hrefs to other members are relative to it. */
export const OSCAL_PATH = 'oscal/assessment-results.json';

export interface OscalInput {
  grants: readonly Grant[];
  gaps: readonly Gap[];
  period: { since: string; until: string };
  asOf: string;
  toolVersion: string;
  /** Same digest as the report's: sha256 of the manifest without report.pdf and this file. */
  evidenceDigest: string;
  ruleTitles: Record<string, string>;
  /** Control references of every rule that ran, so controls without a gap count as reviewed. */
  ruleControls?: Record<string, Controls>;
}

type Prop = { name: string; ns: string; value: string; class?: string; remarks?: string };

/**
 * The published schema's date-time pattern escapes the fraction dot twice (usnistgov/OSCAL
 * issue 1393), so a validator that applies it literally rejects any fractional second. Date-time
 * fields therefore carry whole seconds (truncated); the exact instant goes into a prop beside them.
 */
export function oscalDateTime(instant: string): string {
  const ms = Date.parse(instant);
  if (!/(?:[zZ]|[+-]\d{2}:\d{2})$/.test(instant) || Number.isNaN(ms)) {
    throw new Error(`OSCAL export needs an instant with a zone, got ${JSON.stringify(instant)}`);
  }
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A prop value must be non-empty with no leading, trailing or line-breaking whitespace. */
function prop(
  name: string,
  value: string | number | boolean | null | undefined,
  extra: Partial<Prop> = {},
): Prop[] {
  if (value === null || value === undefined) return [];
  const text = String(value).replace(/\s+/g, ' ').trim();
  return text ? [{ name, ns: PROP_NS, value: text, ...extra }] : [];
}

/** Arrays the schema declares with minItems 1 are left out when empty. */
function nonEmpty<K extends string, T>(key: K, items: T[]): { [P in K]?: T[] } {
  return (items.length > 0 ? { [key]: items } : {}) as { [P in K]?: T[] };
}

function severityRank(severity: string): number {
  return SEVERITY_ORDER.indexOf(severity as (typeof SEVERITY_ORDER)[number]);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function observationUuid(grantId: string): string {
  return uuidV5(`observation:grant:${grantId}`);
}

export function findingUuid(gapId: string): string {
  return uuidV5(`finding:gap:${gapId}`);
}

function observation(grant: Grant, gapCount: number, collected: string): object {
  const sessions = grant.sessions.length;
  const activity = grant.sessions.reduce((n, s) => n + s.activityCount, 0);
  const approvals = grant.approvals.map((a) => `${a.by} at ${a.at}`).join(', ') || 'none recorded';
  const description =
    `Privileged grant ${grant.id}: ${grant.subject.id} (${grant.subject.kind}) on ${grant.target.name || grant.target.id}. ` +
    `Requested ${grant.requestedAt ?? 'with no request record'}; approvals: ${approvals}; ` +
    `issued ${grant.issuedAt ?? 'with no issuance record'}; ended ${grant.endedAt ?? 'not by as-of'} ` +
    `(${grant.endReason}); ${sessions} session(s) with ${activity} activity event(s); ${gapCount} gap(s).`;

  return {
    uuid: observationUuid(grant.id),
    title: `Grant ${grant.id}: ${grant.subject.id} on ${grant.target.id}`,
    description,
    props: [
      ...prop('grant-id', grant.id),
      ...prop('subject', grant.subject.id),
      ...prop('subject-kind', grant.subject.kind),
      ...prop('target', grant.target.id),
      ...prop('target-name', grant.target.name),
      ...prop('requested-at', grant.requestedAt),
      ...grant.approvals.flatMap((a) => prop('approved', `${a.by} at ${a.at}`)),
      ...grant.denials.flatMap((d) => prop('denied', `${d.by} at ${d.at}`)),
      ...prop('issued-at', grant.issuedAt),
      ...prop('expires-at', grant.expiresAt),
      ...prop('ended-at', grant.endedAt),
      ...prop('end-reason', grant.endReason),
      ...prop('break-glass', grant.breakGlass),
      ...grant.tickets.flatMap((t) => prop('ticket', t)),
      ...prop('gap-count', gapCount),
    ],
    methods: ['EXAMINE'],
    types: [gapCount > 0 ? 'finding' : 'control-objective'],
    'relevant-evidence': [
      {
        href: '../grants.json',
        description: `Grant ${grant.id} in grants.json, with the reason each event was linked to it.`,
      },
      {
        href: '../timeline.jsonl',
        description:
          `The ${grant.eventIds.length} normalized events of this grant in timeline.jsonl, by id; each names ` +
          'its source file, sha256 and locator.',
        ...nonEmpty(
          'props',
          grant.eventIds.flatMap((id) => prop('event-id', id)),
        ),
      },
    ],
    collected,
  };
}

function referenceProps(refs: ControlRef[]): Prop[] {
  const classOf = new Map(FRAMEWORKS.map(([key, info]) => [key, info.token]));
  return refs.flatMap((ref) =>
    prop('control-reference', ref.text, {
      class: classOf.get(ref.framework),
      ...(ref.qualifier ? { remarks: `Cited as ${ref.qualifier}.` } : {}),
    }),
  );
}

/** The finding points at its first DORA reference, else RTS, else any; a rule id when none. */
function findingTarget(gap: Gap, refs: ControlRef[]) {
  const primary =
    refs.find((r) => r.framework === 'dora') ??
    refs.find((r) => r.framework === 'rts2024_1774') ??
    refs[0];
  const uncertain = gap.certainty === 'uncertain';
  return {
    type: 'statement-id',
    'target-id': primary
      ? (primary.statementIds[0] ?? primary.controlId)
      : `dora-evidence_rule_${gap.rule}`,
    title: primary ? `${primary.text} (${gap.rule})` : `Rule ${gap.rule} (no control reference)`,
    description: gap.message,
    status: {
      state: 'not-satisfied',
      reason: uncertain ? 'other' : 'fail',
      ...(uncertain
        ? {
            remarks:
              'Uncertain: the finding rests on a time comparison inside the configured ' +
              'clock-skew band; it is not reported as a violation.',
          }
        : {}),
    },
  };
}

function finding(gap: Gap, title: string, hasObservation: boolean): object {
  const refs = controlRefs(gap.controls);
  return {
    uuid: findingUuid(gap.id),
    title: title === gap.rule ? gap.rule : `${title} (${gap.rule})`,
    description: gap.message,
    props: [
      ...prop('gap-id', gap.id),
      ...prop('rule', gap.rule),
      ...prop('severity', gap.severity),
      ...prop('certainty', gap.certainty),
      ...prop('coverage', gap.coverage),
      ...prop('baseline', gap.baseline),
      ...prop('grant-id', gap.grantId),
      ...prop('subject', gap.subject),
      ...prop('target', gap.target),
      ...prop('at', gap.at),
      ...referenceProps(refs),
      ...gap.evidence.flatMap((id) => prop('evidence-event-id', id)),
    ],
    target: findingTarget(gap, refs),
    ...(gap.grantId && hasObservation
      ? { 'related-observations': [{ 'observation-uuid': observationUuid(gap.grantId) }] }
      : {}),
    remarks:
      'Severity and thresholds follow the effective policy in policy.json; limits such as a maximum TTL or a ' +
      "break-glass review deadline are the firm's policy, not regulation. Evidence event ids resolve in timeline.jsonl.",
  };
}

/** All controls the rules check, one selection per framework, ids in natural order. */
function reviewedControls(input: OscalInput) {
  const byFramework = new Map<Framework, Map<string, Set<string>>>();
  const sources = [
    ...Object.values(input.ruleControls ?? {}),
    ...input.gaps.map((g) => g.controls),
  ];
  for (const ref of sources.flatMap(controlRefs)) {
    const controls = byFramework.get(ref.framework) ?? new Map<string, Set<string>>();
    const statements = controls.get(ref.controlId) ?? new Set<string>();
    for (const id of ref.statementIds) statements.add(id);
    controls.set(ref.controlId, statements);
    byFramework.set(ref.framework, controls);
  }

  const selections = FRAMEWORKS.filter(([key]) => byFramework.has(key)).map(([key, info]) => {
    const controls = [...byFramework.get(key)!.entries()].sort(([a], [b]) => naturalCompare(a, b));
    return {
      description: `${info.title}: the provisions the gap rules of this run test.`,
      props: prop('framework', info.title, { class: info.token }),
      ...(info.href ? { links: [{ href: info.href, rel: 'reference', text: info.title }] } : {}),
      'include-controls': controls.map(([controlId, statements]) => ({
        'control-id': controlId,
        ...nonEmpty('statement-ids', [...statements].sort(naturalCompare)),
      })),
    };
  });

  return {
    description:
      'The controls cited by the gap rules that ran. No OSCAL catalog exists for DORA or the RTS; their ids are ' +
      "ours (article, paragraph and point joined by dots). SP 800-53 ids follow NIST's OSCAL catalog.",
    'control-selections':
      selections.length > 0
        ? selections
        : [{ description: 'No rule with a control reference ran.' }],
  };
}

/** Builds the assessment-results document; the same input gives the same JSON, byte for byte. */
export function assessmentResults(input: OscalInput): object {
  return documentOf(input, (items, make) => items.map(make));
}

/**
 * How the long lists (an observation per grant, a finding per gap) are made: all at once, or
 * as a StreamedArray that makes each item only when it is written.
 */
type ListMaker = <T>(items: readonly T[], make: (item: T) => object) => object[] | StreamedArray;

function* mapped<T>(items: readonly T[], make: (item: T) => object): Generator<object> {
  for (const item of items) yield make(item);
}

function documentOf(input: OscalInput, list: ListMaker): object {
  const collected = oscalDateTime(input.asOf);
  const grants = [...input.grants].sort((a, b) => cmp(a.id, b.id));
  const grantIds = new Set(grants.map((g) => g.id));
  const gapCounts = new Map<string, number>();
  for (const gap of input.gaps)
    if (gap.grantId) gapCounts.set(gap.grantId, (gapCounts.get(gap.grantId) ?? 0) + 1);
  const gaps = [...input.gaps].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) || cmp(a.at, b.at) || cmp(a.id, b.id),
  );
  const scope = `${input.period.since.slice(0, 10)} to ${input.period.until.slice(0, 10)}`;

  const result = {
    uuid: uuidV5(`result:${input.evidenceDigest}`),
    title: `Privileged access grants and gaps, ${scope}`,
    description:
      'Automated examination of exported ticketing, identity-provider, PAM and cloud records by dora-evidence: ' +
      'each privileged grant of the period is one observation; each gap (a rule the evidence breaks) is one ' +
      'finding, pointing at the DORA / RTS 2024/1774 provision it bears on, with the other frameworks as props.',
    start: oscalDateTime(input.period.since),
    end: oscalDateTime(input.period.until),
    props: [
      ...prop('period-since', input.period.since),
      ...prop('period-until', input.period.until),
      ...prop('as-of', input.asOf),
      ...prop('evidence-digest', input.evidenceDigest),
      ...prop('grant-count', grants.length),
      ...prop('gap-count', gaps.length),
    ],
    'reviewed-controls': reviewedControls(input),
    ...(grants.length > 0
      ? {
          observations: list(grants, (g) => observation(g, gapCounts.get(g.id) ?? 0, collected)),
        }
      : {}),
    ...(gaps.length > 0
      ? {
          findings: list(gaps, (g) =>
            finding(g, input.ruleTitles[g.rule] ?? g.rule, grantIds.has(g.grantId ?? '')),
          ),
        }
      : {}),
  };

  return {
    'assessment-results': {
      uuid: uuidV5(`assessment-results:${input.period.since}/${input.period.until}`),
      metadata: {
        title: `DORA privileged access assessment results, ${scope}`,
        'last-modified': collected,
        version: input.toolVersion,
        'oscal-version': OSCAL_VERSION,
        props: [
          ...prop('tool', `dora-evidence ${input.toolVersion}`),
          ...prop('evidence-digest', input.evidenceDigest),
        ],
        remarks:
          `UUIDs are RFC 4122 version 5 (SHA-1) over stable ids such as "observation:grant:<grant id>" and ` +
          `"finding:gap:<gap id>" in namespace ${OSCAL_NAMESPACE}. Date-time fields hold whole seconds ` +
          '(truncated); props give the exact millisecond instants.',
      },
      'import-ap': {
        href: '#assessment-plan',
        remarks:
          'No OSCAL assessment plan exists for this evidence bundle: the scope is the period and the input files ' +
          'listed in manifest.json, and the method is the rule set in policy.json. The href is a placeholder.',
      },
      results: [result],
    },
  };
}

/** The file's bytes: two-space JSON with a final newline. */
export function assessmentResultsJson(input: OscalInput): string {
  return `${JSON.stringify(assessmentResults(input), null, 2)}\n`;
}

/**
 * The same bytes as assessmentResultsJson in chunks, each observation and finding made only when
 * it is written: the document is never held whole, as text or as objects.
 */
export function assessmentResultsChunks(input: OscalInput): Generator<Buffer> {
  return prettyJsonChunks(documentOf(input, (items, make) => streamedArray(mapped(items, make))));
}
