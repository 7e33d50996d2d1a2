// Control references (as gaps cite them) turned into OSCAL control ids, one selection per framework.
import type { Controls } from '../../model/gap.js';

export type Framework = keyof Controls;

export interface FrameworkInfo {
  /** Prefix of our control ids, and the prop class naming the framework. */
  token: string;
  title: string;
  /** Where the text lives; null when no public catalog may be linked. */
  href: string | null;
}

/** Fixed order: the regulation first, then the supporting frameworks. */
export const FRAMEWORKS: ReadonlyArray<[Framework, FrameworkInfo]> = [
  [
    'dora',
    {
      token: 'dora',
      title: 'DORA, Regulation (EU) 2022/2554',
      href: 'http://data.europa.eu/eli/reg/2022/2554/oj',
    },
  ],
  [
    'rts2024_1774',
    {
      token: 'rts-2024-1774',
      title: 'RTS on ICT risk management, Commission Delegated Regulation (EU) 2024/1774',
      href: 'http://data.europa.eu/eli/reg_del/2024/1774/oj',
    },
  ],
  [
    'owaspNhi2025',
    { token: 'owasp-nhi-2025', title: 'OWASP Top 10 Non-Human Identities Risks 2025', href: null },
  ],
  ['nistCsf2', { token: 'nist-csf-2', title: 'NIST Cybersecurity Framework 2.0', href: null }],
  ['iso27001_2022', { token: 'iso-27001-2022', title: 'ISO/IEC 27001:2022 Annex A', href: null }],
  ['nist80053r5', { token: 'sp800-53r5', title: 'NIST SP 800-53 Rev. 5', href: null }],
];

export interface ControlRef {
  framework: Framework;
  /** The reference exactly as the rule cites it, e.g. "Art. 21(e)(ii)" or "CM-3(1)(d) (analogy)". */
  text: string;
  /** An OSCAL token (TokenDatatype): letters, digits, '.', '-', '_', starting with a letter. */
  controlId: string;
  /** Statement ids inside the control, when the reference names a lettered item. */
  statementIds: string[];
  /** A qualifier the reference carries, such as "analogy" or "statement unconfirmed". */
  qualifier: string | null;
}

/** Splits "CM-3(1)(d) (analogy)" into the identifier and the qualifier in the trailing parentheses. */
function splitQualifier(text: string): { id: string; qualifier: string | null } {
  const trimmed = text.trim().replace(/^Art\.\s*/i, 'art');
  const match = /^(\S+)\s+\((.+)\)$/.exec(trimmed);
  return match ? { id: match[1], qualifier: match[2].trim() } : { id: trimmed, qualifier: null };
}

/** Any identifier as a token: "(4)(c)" becomes ".4.c", a range "(f)-(g)" becomes ".f-g". */
function genericToken(id: string): string {
  return id
    .toLowerCase()
    .replace(/\)\s*[-\u2013]\s*\(/g, '-')
    .replace(/\(/g, '.')
    .replace(/\)/g, '')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}

/**
 * NIST publishes SP 800-53 in OSCAL with ids like "ac-2" (control), "ac-2.2" (enhancement 2)
 * and "ac-2_smt.e" (statement item e); using the same ids lets a GRC tool resolve them against
 * that catalog. The first numeric group is the enhancement; lettered groups are statement items.
 */
function sp80053Token(id: string): { controlId: string; statementIds: string[] } | null {
  const match = /^([A-Za-z]{2})-(\d+)((?:\([0-9a-z]+\))*)$/.exec(id);
  if (!match) return null;
  const groups = [...match[3].matchAll(/\(([0-9a-z]+)\)/g)].map((m) => m[1]);
  let controlId = `${match[1].toLowerCase()}-${match[2]}`;
  if (groups.length > 0 && /^\d+$/.test(groups[0])) controlId += `.${groups.shift()}`;
  return {
    controlId,
    statementIds: groups.length > 0 ? [`${controlId}_smt.${groups.join('.')}`] : [],
  };
}

export function controlRef(framework: Framework, text: string): ControlRef {
  const info = FRAMEWORKS.find(([key]) => key === framework)?.[1];
  if (!info) throw new Error(`unknown control framework ${framework}`);
  const { id, qualifier } = splitQualifier(text);

  const nist = framework === 'nist80053r5' ? sp80053Token(id) : null;
  if (nist) return { framework, text, ...nist, qualifier };

  const local = genericToken(id);
  if (!local) throw new Error(`control reference ${JSON.stringify(text)} has no identifier`);
  return { framework, text, controlId: `${info.token}_${local}`, statementIds: [], qualifier };
}

/** Every reference of a gap (or rule), framework by framework, in the order cited. */
export function controlRefs(controls: Controls): ControlRef[] {
  return FRAMEWORKS.flatMap(([framework]) =>
    controls[framework].map((text) => controlRef(framework, text)),
  );
}

/** Compares ids with digit runs as numbers, so art9 sorts before art21 (no locale involved). */
export function naturalCompare(a: string, b: string): number {
  const split = (s: string) => s.split(/(\d+)/);
  const pa = split(a);
  const pb = split(b);
  for (let i = 0; i < Math.min(pa.length, pb.length); i += 1) {
    if (pa[i] === pb[i]) continue;
    const numeric = i % 2 === 1;
    if (numeric && Number(pa[i]) !== Number(pb[i])) return Number(pa[i]) - Number(pb[i]);
    return pa[i] < pb[i] ? -1 : 1;
  }
  return pa.length - pb.length;
}
