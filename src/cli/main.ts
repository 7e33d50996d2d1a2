// The command-line program: every command declared here, each implemented in its own module.
import { Command, CommanderError, Option } from 'commander';
import { EXIT, UsageError } from './errors.js';
import { VERSION } from '../version.js';
import { REVEAL_HELP } from './reveal.js';

export { tuneHeapGrowth } from './heap.js';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function inputOptions(command: Command): Command {
  return command
    .option(
      '-c, --config <file>',
      'YAML or JSON config: sources, identities, targets, policy, rules',
    )
    .option('--timezone <zone>', 'IANA zone for source times that carry no offset')
    .option(
      '--source <id:path>',
      'force an importer for a file or folder (repeatable)',
      collect,
      [],
    )
    .option('--strict', 'fail (exit 2) when any input file is unrecognized, unreadable or damaged')
    .option('--quiet', 'only errors on stderr')
    .option('--verbose', 'detail on stderr');
}

export function buildProgram(): Command {
  const program = new Command('dora-evidence')
    .description('Turns ticketing, IdP, PAM and cloud exports into signed DORA audit evidence')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();

  inputOptions(
    program
      .command('inspect')
      .description('detection, accounting and time coverage per input file; writes nothing')
      .argument('[paths...]', 'export files, folders or ZIP archives')
      .option('--json', 'print the accounting as JSON on stdout'),
  )
    .addHelpText(
      'after',
      '\nExample:\n  dora-evidence inspect exports/ --timezone Europe/Berlin --json',
    )
    .action(
      exits(async (paths: string[], options) => (await import('./inspect.js')).run(paths, options)),
    );

  program
    .command('sources')
    .description('the importers with the exports they expect and how to produce them')
    .option('--json', 'print as JSON')
    .addHelpText('after', '\nExample:\n  dora-evidence sources --json')
    .action(exits(async (options) => (await import('./sources.js')).run(options)));

  inputOptions(
    program
      .command('build')
      .description('the main job: import, correlate, check, write the evidence bundle')
      .argument('[paths...]', 'export files, folders or ZIP archives')
      .option('-o, --out <file.zip>', 'bundle path', 'evidence.zip')
      .option('--force', 'overwrite an existing bundle')
      .option(
        '--since <when>',
        'start of the period under review (ISO date/time or e.g. 90d before --as-of)',
      )
      .option('--until <when>', 'end of the period under review (inclusive)')
      .option('--as-of <when>', "the 'now' for open grants; default --until, else the latest event")
      .option('--key <private.pem>', 'Ed25519 signing key (PKCS#8 PEM)')
      .option('--require-signature', 'fail when no --key is given')
      .option('--pdf <file>', 'also write the PDF report outside the bundle')
      .option(
        '--baseline <previous.zip>',
        'mark gaps new / persisting / resolved against a previous bundle',
      )
      .addOption(
        new Option('--fail-on <severity>', 'exit 1 when a gap at or above this severity exists')
          .choices(['none', 'low', 'medium', 'high', 'critical'])
          .default('none'),
      )
      .option('--json', 'print the machine summary on stdout')
      .option('--junit <file>', 'write a JUnit report: a test case per grant, a failure per gap')
      .option('--no-sources', 'leave the input files out of the bundle')
      .option(
        '--pseudonymize <key file>',
        "replace people's identifiers with keyed pseudonyms (see reveal)",
      ),
  )
    .addHelpText(
      'after',
      '\nExample:\n  dora-evidence build exports/ -c dora-evidence.yaml --since 2026-01-01 --until 2026-03-31 \\\n' +
        '    --key signer.key --out evidence-2026Q1.zip --fail-on high',
    )
    .action(
      exits(async (paths: string[], options) => (await import('./build.js')).run(paths, options)),
    );

  program
    .command('rules')
    .description('the gap rules with severity, rationale and control references')
    .option('--json', 'print as JSON')
    .addHelpText('after', '\nExample:\n  dora-evidence rules --json')
    .action(exits(async (options) => (await import('./rules.js')).run(options)));

  program
    .command('verify')
    .description('check a bundle (signature, hashes, members) or a report PDF against its .sig')
    .argument('<bundle.zip|report.pdf>', 'the bundle or PDF to check')
    .option('--key <public.pem>', "the signer's public key you trust (SPKI PEM)")
    .option('--json', 'print the verification report as JSON')
    .addHelpText('after', '\nExample:\n  dora-evidence verify evidence.zip --key signer.pub')
    .action(
      exits(async (target: string, options) =>
        (await import('./verify.js')).run({ ...options, target }),
      ),
    );

  program
    .command('keygen')
    .description('write an Ed25519 key pair <prefix>.key (mode 0600) and <prefix>.pub')
    .requiredOption('--out <prefix>', 'path prefix of the key files')
    .addHelpText('after', '\nExample:\n  dora-evidence keygen --out keys/signer')
    .action(exits(async (options) => (await import('./keygen.js')).run(options)));

  program
    .command('diff')
    .description('compare two bundles: grants added or ended, gaps new, resolved or persisting')
    .argument('<old.zip>', 'the earlier bundle')
    .argument('<new.zip>', 'the later bundle')
    .option('--json', 'print as JSON')
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when a new gap at or above this severity appears',
      ).choices(['none', 'low', 'medium', 'high', 'critical']),
    )
    .addHelpText('after', '\nExample:\n  dora-evidence diff last-week.zip evidence.zip --json')
    .action(
      exits(async (oldPath: string, newPath: string, options) =>
        (await import('./diff.js')).run({ ...options, old: oldPath, new: newPath }),
      ),
    );

  program
    .command('reveal')
    .description('resolve a pseudonym of a --pseudonymize bundle, for whoever holds its key')
    .argument('[pseudonym]', 'the pseudonym to resolve (p- and 16 hex digits)')
    .option('--key <file>', 'the key file the bundle was pseudonymized with')
    .option(
      '--candidates <file-or-id...>',
      'timeline.jsonl of an unpseudonymized build, a list file, or identifiers',
    )
    .option('--new-key <file>', 'write a new pseudonymization key (32 random bytes, mode 0600)')
    .option('--json', 'print the matches as JSON')
    .addHelpText('after', REVEAL_HELP)
    .action(
      exits(async (pseudonym: string | undefined, options) =>
        (await import('./reveal.js')).run({ ...options, pseudonym }),
      ),
    );

  return program;
}

/** Runs the program and returns the process exit code (design.md section 4). */
export async function main(argv: string[]): Promise<number> {
  // A reader that closes early (`dora-evidence rules | head`) is not an error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return exitCodeOfAction;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every usage fault is "could not run".
      return error.exitCode === 0 ? EXIT.ok : EXIT.cannotRun;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`internal error: ${(error as Error).stack ?? String(error)}\n`);
    process.stderr.write(
      'This is a bug in dora-evidence; please report it with the command you ran.\n',
    );
    return EXIT.cannotRun;
  }
}

// commander discards what an action returns, so each action's exit code is kept here.
let exitCodeOfAction: number = EXIT.ok;

function exits<A extends unknown[]>(
  action: (...args: A) => Promise<number>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    exitCodeOfAction = await action(...args);
  };
}
