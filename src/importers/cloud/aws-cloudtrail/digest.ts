// Log-file integrity: CloudTrail digest files checked against the log files of the same run.
import type { SourceNote } from '../../types.js';
import { str, type JsonObject } from '../../common.js';
import { parseIsoTime } from '../../../util/time.js';

// <acct>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 chars>.json.gz, as CloudTrail names delivered
// log files (CloudTrail User Guide, "log file name format").
const LOG_FILE_NAME =
  /^(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{4})(\d{2})(\d{2})T\d{4}Z_[A-Za-z0-9]{16}\.json(?:\.gz)?$/;
// <acct>_CloudTrail-Digest_<region>_<trail>_<home region>_<YYYYMMDDTHHmmssZ>.json.gz
const DIGEST_KEY = new RegExp(
  'AWSLogs/(?:[^/]+/)*?(\\d{12})/CloudTrail-Digest/([a-z0-9-]+)/.*?' +
    '_CloudTrail-Digest_[a-z0-9-]+_(.+)_[a-z0-9-]+_\\d{8}T\\d{6}Z\\.json(?:\\.gz)?$',
);

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** File name without `.gz`: the same object whether the user kept it compressed or not. */
function objectName(path: string): string {
  return baseName(path).replace(/\.gz$/, '');
}

/** The S3 key of a file: the part of its path from `AWSLogs/`, else rebuilt from its name. */
export function s3KeyOf(path: string): string | undefined {
  const index = path.indexOf('AWSLogs/');
  if (index >= 0) return path.slice(index);
  const match = LOG_FILE_NAME.exec(baseName(path));
  if (!match) return undefined;
  const [, account, region, year, month, day] = match;
  return `AWSLogs/${account}/CloudTrail/${region}/${year}/${month}/${day}/${baseName(path)}`;
}

interface LogFile {
  file: string;
  key: string;
  sha256: string;
  account: string;
  region: string;
}

interface ListedLogFile {
  key: string;
  hash?: string;
}

interface Digest {
  file: string;
  key: string;
  account: string;
  region: string;
  trail: string;
  startMs: number;
  previousKey?: string;
  previousHash?: string;
  listed: ListedLogFile[];
  sha256?: string;
}

/** Collects log files and digests over a run and judges each file once all are seen. */
export class IntegrityLedger {
  private readonly logFiles: LogFile[] = [];
  private readonly digests: Digest[] = [];
  private readonly unprovable: string[] = [];

  /** A digest record from `file`; its own hash arrives later with `fileEnded`. */
  addDigest(file: string, digest: JsonObject): void {
    const key = str(digest.digestS3Object) ?? s3KeyOf(file) ?? file;
    const place = DIGEST_KEY.exec(key);
    const listed = Array.isArray(digest.logFiles) ? digest.logFiles : [];
    this.digests.push({
      file,
      key,
      account: str(digest.awsAccountId) ?? place?.[1] ?? 'unknown',
      region: place?.[2] ?? 'unknown',
      trail: place?.[3] ?? 'unknown',
      startMs: safeTime(str(digest.digestStartTime)),
      previousKey: str(digest.previousDigestS3Object),
      previousHash: str(digest.previousDigestHashValue)?.toLowerCase(),
      listed: listed.flatMap((entry): ListedLogFile[] => {
        const object = str((entry as JsonObject | null)?.s3Object);
        return object
          ? [{ key: object, hash: str((entry as JsonObject).hashValue)?.toLowerCase() }]
          : [];
      }),
    });
  }

  /**
   * Called at the end of every file with the sha256 of its decompressed bytes (the hash digests
   * use). `hadEvents` says whether it held CloudTrail events.
   */
  fileEnded(file: string, sha256: string, hadEvents: boolean): void {
    const digest = this.digests.find((d) => d.file === file && d.sha256 === undefined);
    if (digest) {
      for (const d of this.digests) if (d.file === file) d.sha256 = sha256;
      return;
    }
    // A delivered log file counts even when empty, so that its digest entry finds it.
    const match = LOG_FILE_NAME.exec(baseName(file));
    const key = s3KeyOf(file);
    if (match && key) {
      this.logFiles.push({ file, key, sha256, account: match[1], region: match[2] });
    } else if (hadEvents) {
      this.unprovable.push(file);
    }
  }

  notes(): SourceNote[] {
    const notes: SourceNote[] = [];
    const byName = groupBy(this.logFiles, (f) => objectName(f.key));
    const listedNames = new Set<string>();

    for (const digest of sorted(this.digests)) {
      for (const entry of digest.listed) {
        listedNames.add(objectName(entry.key));
        notes.push(...this.judgeListed(digest, entry, byName.get(objectName(entry.key)) ?? []));
      }
    }
    notes.push(...this.chainNotes());
    notes.push(...this.unlistedNotes(listedNames));
    for (const file of this.unprovable) {
      notes.push({
        kind: 'integrity-unverified',
        file,
        message:
          `${file} is not a CloudTrail log file as delivered to S3 (its name does not follow ` +
          '<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 letters or digits>.json.gz), so no ' +
          'digest can cover it: its events cannot be checked against CloudTrail log file validation',
      });
    }
    return notes;
  }

  private judgeListed(digest: Digest, entry: ListedLogFile, seen: LogFile[]): SourceNote[] {
    if (seen.length === 0) {
      return [
        {
          kind: 'integrity-failed',
          file: entry.key,
          message: `log file ${entry.key} is listed in digest ${digest.file} but is missing from the input`,
        },
      ];
    }
    return seen.map((log): SourceNote => {
      if (entry.hash !== undefined && log.sha256 === entry.hash) {
        return {
          kind: 'integrity-verified',
          file: log.file,
          message: `${log.file} (${log.key}) matches the SHA-256 listed in digest ${digest.file}`,
        };
      }
      return {
        kind: 'integrity-failed',
        file: log.file,
        message:
          `${log.file} (${log.key}) has SHA-256 ${log.sha256} but digest ${digest.file} lists ` +
          `${entry.hash ?? 'no hash'}: the file was changed after CloudTrail delivered it`,
      };
    });
  }

  /** previousDigestHashValue is the SHA-256 of the previous digest's uncompressed bytes. */
  private chainNotes(): SourceNote[] {
    const notes: SourceNote[] = [];
    const byName = new Map(this.digests.map((d) => [objectName(d.key), d]));
    const trails = groupBy(this.digests, (d) => `${d.account}/${d.region}/${d.trail}`);

    for (const digests of trails.values()) {
      const chain = sorted(digests);
      for (const [index, digest] of chain.entries()) {
        if (!digest.previousKey) {
          if (index > 0) {
            notes.push({
              kind: 'info',
              file: digest.file,
              message:
                `digest ${digest.file} starts a new chain ` +
                '(log file validation was started or restarted)',
            });
          }
          continue;
        }
        const previous = byName.get(objectName(digest.previousKey));
        if (previous) {
          if (previous.sha256 !== undefined && previous.sha256 !== digest.previousHash) {
            notes.push({
              kind: 'integrity-failed',
              file: previous.file,
              message:
                `digest ${previous.file} has SHA-256 ${previous.sha256} but the next digest ${digest.file} ` +
                `records ${digest.previousHash ?? 'no hash'} for it: the digest chain is broken`,
            });
          }
          continue;
        }
        if (index > 0) {
          notes.push({
            kind: 'integrity-failed',
            file: digest.previousKey,
            message:
              `digest ${digest.previousKey} is missing from the input: ${digest.file} names it as its ` +
              'predecessor, so the digest chain is broken and the log files it listed cannot be checked',
          });
        } else {
          notes.push({
            kind: 'info',
            file: digest.file,
            message:
              `the digest chain in the input starts at ${digest.file}; its predecessor ` +
              `${digest.previousKey} lies outside the input`,
          });
        }
      }
      const newest = chain[chain.length - 1];
      notes.push({
        kind: 'info',
        file: newest.file,
        message:
          `digest ${newest.file} is the newest of its chain: its RSA signature is kept in S3 object ` +
          'metadata, not in the file, so the chain is checked for consistency but not for authenticity',
      });
    }
    return notes;
  }

  private unlistedNotes(listedNames: Set<string>): SourceNote[] {
    const notes: SourceNote[] = [];
    const trails = groupBy(this.logFiles, (f) => `${f.account}/${f.region}`);
    const places = [...trails.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [place, files] of places) {
      const [account, region] = place.split('/');
      const hasDigests = this.digests.some((d) => d.account === account && d.region === region);
      const unlisted = files.filter((f) => !listedNames.has(objectName(f.key)));
      if (!hasDigests) {
        const first = [...files].sort((a, b) => (a.file < b.file ? -1 : 1))[0];
        notes.push({
          kind: 'integrity-unverified',
          file: first.file,
          message:
            `${files.length} CloudTrail log file(s) of account ${account} region ${region} ` +
            `(first: ${first.file}) ` +
            'come without any digest file: log file validation is off or CloudTrail-Digest was not exported',
        });
        continue;
      }
      for (const log of unlisted) {
        notes.push({
          kind: 'integrity-unverified',
          file: log.file,
          message:
            `${log.file} (${log.key}) is not listed in any digest of account ${account} ` +
            `region ${region} in the input`,
        });
      }
    }
    return notes;
  }
}

function safeTime(value: string | undefined): number {
  if (!value) return 0;
  try {
    return parseIsoTime(value, 'UTC');
  } catch {
    return 0;
  }
}

function sorted(digests: Digest[]): Digest[] {
  return [...digests].sort(
    (a, b) => a.startMs - b.startMs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
