/**
 * `npm run experiment -- <link or Experiment JSON file> [--out result.json] [--csv DIR]
 * [--backend wasm|cpu]`: run a shared experiment in Node with the page's engine.
 * Exit status: 0 done, 1 failed while running or writing, 2 invalid input (arguments,
 * an unreadable file, a bad link, an invalid experiment — the message names the field).
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import type { NodeBackend } from '../engine/setup-node';
import { loadExperiment } from './input';
import { runExperiment } from './run';
import { summaryTable, writeResult } from './output';
import { writeCsvs } from './csv';

export const usage = `usage: npm run experiment -- <link | #e=… | experiment.json> [options]
  --out FILE         write {experiment, backend, runs, defects, stepMetricsSkipped} as JSON
                     (else print a summary); each run has kappaStar (κ*) and kappaFisher (κ(F))
  --csv DIR          write one CSV per run: step, theta…, phi… (φ-runs), loss, kappa_star, kappa_fisher
  --backend NAME     cpu (default) or wasm
  --no-step-metrics  leave out κ* and κ(F) (a Fisher per point: the slow part near P = 50)
  -h, --help         show this help`;

export interface CliOptions {
  input: string;
  out?: string;
  csv?: string;
  backend: NodeBackend;
  /** Compute κ* and κ(F) per step (default); `--no-step-metrics` turns it off. */
  stepMetrics: boolean;
  help: boolean;
}

/** Where output goes (the process's streams, or a capture in tests). */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processIo: Io = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

/** Parse the arguments; the error names the bad option or the missing input. */
export function parseCliArgs(
  argv: string[],
): { ok: true; options: CliOptions } | { ok: false; error: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        csv: { type: 'string' },
        backend: { type: 'string', default: 'cpu' },
        'no-step-metrics': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  const { values, positionals } = parsed;
  const help = values.help === true;
  if (values.backend !== 'cpu' && values.backend !== 'wasm') {
    return { ok: false, error: `--backend must be cpu or wasm (got "${values.backend}")` };
  }
  if (!help && positionals.length !== 1) {
    return {
      ok: false,
      error: positionals.length
        ? 'give one input (a link or a file)'
        : 'missing input: a link or an experiment file',
    };
  }
  const options: CliOptions = {
    input: positionals[0] ?? '',
    backend: values.backend,
    stepMetrics: values['no-step-metrics'] !== true,
    help,
  };
  if (values.out !== undefined) options.out = values.out;
  if (values.csv !== undefined) options.csv = values.csv;
  return { ok: true, options };
}

/** The whole command: resolves to the exit status. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const args = parseCliArgs(argv);
  if (!args.ok) {
    io.stderr(`experiment: ${args.error}\n${usage}\n`);
    return 2;
  }
  const { options } = args;
  if (options.help) {
    io.stdout(`${usage}\n`);
    return 0;
  }
  const loaded = await loadExperiment(options.input);
  if (!loaded.ok) {
    io.stderr(`experiment: ${loaded.error}\n`);
    return 2;
  }
  try {
    const outcome = await runExperiment(loaded.experiment, {
      backend: options.backend,
      // Only the files carry them (the summary table does not).
      stepMetrics: options.stepMetrics && (options.out !== undefined || options.csv !== undefined),
    });
    if (!outcome.ok) {
      io.stderr(`experiment: ${outcome.error}\n`);
      return 2;
    }
    const { result } = outcome;
    if (options.out !== undefined) {
      await writeResult(options.out, result);
      io.stdout(`wrote ${options.out} (${result.runs.length} runs, ${result.experiment.steps} steps)\n`);
    } else {
      io.stdout(summaryTable(result));
    }
    if (options.csv !== undefined) {
      const files = await writeCsvs(options.csv, result.runs);
      io.stdout(`wrote ${files.length} CSV files to ${options.csv}\n`);
    }
    return 0;
  } catch (err) {
    io.stderr(`experiment: failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

// Run only as the entry point (`tsx src/cli/main.ts`), not when imported by tests.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
