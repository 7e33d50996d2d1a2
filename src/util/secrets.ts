// Masks what looks like a credential in free text, so a pasted secret never reaches an output.

/** What a masked span is replaced with; the kind tells the auditor what kind of value it was. */
export const MASK = '[REDACTED]';

// Whole-value shapes that are credentials wherever they appear (vendor-documented prefixes).
const SHAPES: { kind: string; pattern: RegExp }[] = [
  // PEM private keys, also cut off before their END line.
  {
    kind: 'PRIVATE KEY',
    pattern:
      /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
  },
  // JSON Web Tokens: base64url header starting {" (eyJ), payload, optional signature.
  { kind: 'JWT', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g },
  // GitHub personal, OAuth, user-to-server, server-to-server and refresh tokens.
  { kind: 'TOKEN', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})\b/g },
  // Slack bot, user, app and refresh tokens, and incoming-webhook URLs.
  { kind: 'TOKEN', pattern: /\bxox[abposre]-[A-Za-z0-9-]{10,}/g },
  { kind: 'TOKEN', pattern: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]+/g },
  // HashiCorp Vault service, batch and recovery tokens (hvs., hvb., hvr.; legacy s.<24>).
  { kind: 'TOKEN', pattern: /\bhv[sbr]\.[A-Za-z0-9_-]{20,}/g },
  { kind: 'TOKEN', pattern: /\b[sb]\.[A-Za-z0-9]{24}\b/g },
  // Stripe-style and other "sk_live_" secrets, Google API keys.
  { kind: 'TOKEN', pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b/g },
  { kind: 'TOKEN', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  // HTTP authorization schemes followed by their credential (Okta's SSWS API tokens too).
  { kind: 'TOKEN', pattern: /\b(Bearer|Basic|SSWS|Token)\s+[A-Za-z0-9._~+/=-]{12,}/g },
];

// `name=value` / `name: value` / `"name": "value"` where the name says the value is secret. Names
// must end in the secret word (`system.api_token.create` is an event name, `token_type` a kind);
// names ending in id, name, type, ttl or similar describe the secret without being it.
const ASSIGNMENT =
  /(["']?)\b([A-Za-z0-9_.-]*?(?:password|passwd|passwort|kennwort|pwd|passphrase|passcode|secret|token|api[_-]?key|apikey|private[_-]?key|secret[_-]?access[_-]?key|credentials?)(?:[_-]?value)?)\1(\s*(?:[:=]|\bis\b|\bist\b)\s*)("[^"]*"|'[^']*'|[^\s,;&"'<>)\]}]+)/gi;
const DESCRIBES_NOT_HOLDS =
  /(?:id|ids|name|type|types|ttl|ttls|policy|policies|accessor|expiry|expiration|expires|url|uri|length|count|hint|last|changed|file|path)$/i;
const NOT_A_VALUE =
  /^(?:null|none|true|false|\*+|x+|<[^>]*>|\[REDACTED[^\]]*\]|HIDDEN_DUE_TO_SECURITY_REASONS|hmac-sha256:[0-9a-f]+|a|an|the|not|required|set|expired|changed|reset|rotated|valid|invalid)$/i;

// Values that name something rather than unlock it: summaries write `console password: <owner>`.
const IDENTIFIER =
  /^(?:[^@\s]+@[^@\s]+\.[a-z]{2,}|arn:\S+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9._-]+(?::[a-z0-9._-]+)+)$/i;

// Long runs of base64 / base64url: AWS secret keys (40) and session tokens (hundreds), random
// API keys. Hex-only runs are left alone: they are hashes and record ids (ServiceNow sys_id,
// Vault HMACs), never a credential format in the sources this tool reads.
const LONG_RUN = /[A-Za-z0-9+/_=-]{32,}/g;

/** Shannon entropy in bits per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** True when a run of token characters looks like random key material rather than words or ids. */
export function looksRandom(run: string): boolean {
  const core = run.replace(/=+$/, '');
  if (core.length < 32 || /^[0-9a-f]+$/i.test(core)) return false;
  // `-` and `_` join the words of names (MordorNginxStack-BankingWAFRole-9S3E0UAE1MM0) and never
  // occur in standard base64: there, only a long piece can be key material.
  if (/[-_]/.test(core))
    return core.split(/[-_/]/).some((piece) => piece.length >= 20 && randomPiece(piece));
  return randomPiece(core);
}

function randomPiece(text: string): boolean {
  // Hex and number pieces are ids and hashes (AWSReservedSSO_ProdOperator_99aa88bb77cc66dd).
  if (
    /^[0-9a-f]+$/i.test(text) ||
    !/[0-9]/.test(text) ||
    !/[a-z]/.test(text) ||
    !/[A-Z]/.test(text)
  )
    return false;
  return classChangeRatio(text) >= 0.25 && entropy(text) >= 3.8;
}

function classChangeRatio(text: string): number {
  let changes = 0;
  let letters = 0;
  let previous = '';
  for (const char of text) {
    const kind = /[A-Z]/.test(char)
      ? 'U'
      : /[a-z]/.test(char)
        ? 'l'
        : /[0-9]/.test(char)
          ? 'd'
          : '';
    if (kind === '') {
      previous = '';
      continue;
    }
    letters += 1;
    if (previous !== '' && kind !== previous) changes += 1;
    previous = kind;
  }
  return letters === 0 ? 0 : changes / letters;
}

// Cheap pre-check: most summaries hold nothing that any rule below could match.
const MAYBE =
  /-----BEGIN|eyJ|gh[pousr]_|github_pat_|xox|hooks\.slack|hv[sbr]\.|\b[sb]\.[A-Za-z0-9]{24}|_live_|_test_|AIza|bearer|basic|ssws|token|pass|pwd|secret|key|credential|kennwort|[A-Za-z0-9+/_=-]{32}/i;

/**
 * Returns `text` with every span that looks like a secret replaced by `[REDACTED]` (with a kind
 * for whole-value shapes). Identifiers stay: ticket keys, ARNs, AWS access key ids (AKIA/ASIA are
 * ids, not secrets), e-mail addresses, UUIDs, hex hashes and Vault HMAC values.
 */
export function maskSecrets(text: string, options: MaskOptions = {}): string {
  if (text.length < 8) return text;

  // The same party ids, actions and summaries recur on most events of a large import; masking
  // is a pure function of text and options, so a bounded memo returns the same answer faster.
  const memo = options.randomRuns === false ? memoWithoutRuns : memoWithRuns;
  const cacheable = text.length <= MEMO_MAX_TEXT;
  const known = cacheable ? memo.get(text) : undefined;
  if (known !== undefined) return known;

  const masked = MAYBE.test(text) ? maskUncached(text, options) : text;
  if (cacheable) {
    if (memo.size >= MEMO_MAX_ENTRIES) memo.clear();
    memo.set(text, masked);
  }
  return masked;
}

const MEMO_MAX_TEXT = 256;
const MEMO_MAX_ENTRIES = 20_000;
const memoWithRuns = new Map<string, string>();
const memoWithoutRuns = new Map<string, string>();

function maskUncached(text: string, options: MaskOptions): string {
  let masked = text;
  for (const { kind, pattern } of SHAPES) {
    masked = masked.replace(pattern, (match, scheme?: string) =>
      kind === 'TOKEN' && typeof scheme === 'string' && /^(Bearer|Basic|SSWS|Token)$/.test(scheme)
        ? `${scheme} ${MASK}`
        : `[REDACTED ${kind}]`,
    );
  }
  masked = masked.replace(
    ASSIGNMENT,
    (match, quote: string, name: string, separator: string, value: string) => {
      const bare = value.replace(/^["']|["']$/g, '');
      if (
        DESCRIBES_NOT_HOLDS.test(name) ||
        NOT_A_VALUE.test(bare) ||
        IDENTIFIER.test(bare) ||
        bare.length === 0
      )
        return match;
      const wrap = value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : '';
      return `${quote}${name}${quote}${separator}${wrap}${MASK}${wrap}`;
    },
  );
  if (options.randomRuns === false) return masked;
  // Resource names keep generated suffixes (CloudFormation's 9S3E0UAE1MM0) that look random.
  return masked
    .split(RESOURCE_NAME)
    .map((part, i) =>
      i % 2 === 1 ? part : part.replace(LONG_RUN, (run) => (looksRandom(run) ? MASK : run)),
    )
    .join('');
}

/** ARNs, Azure resource ids and GCP resource names, kept whole by the random-run rule. */
const RESOURCE_NAME =
  /((?:\barn:|\/subscriptions\/|\/\/[a-z]+\.googleapis\.com\/|\bprojects\/)[^\s"',;]*)/;

export interface MaskOptions {
  /**
   * Also mask long random-looking runs without a known prefix (default true). Off for ids and
   * correlation keys, where random runs are the source's own identifiers (Vault lease ids).
   */
  randomRuns?: boolean;
}

/** True when masking would change the text. */
export function hasSecret(text: string): boolean {
  return maskSecrets(text) !== text;
}
