#!/usr/bin/env node
/**
 * The repository must explain itself: no file may point outside it. Run first by `npm test`.
 *
 * 1. No tracked file (git ls-files, or a walk of the tree outside git; not package-lock.json) refers to
 *    anything outside the checkout: a relative path that climbs out of it from the file's own folder,
 *    or an absolute path into a folder beside it (whatever folders sit next to the checkout here).
 * 2. No tracked file cites the old background notes by name (THEORY.md, DESIGN.md, "THEORY §n")
 *    or a tracker's issue number ("issue 10"): cite `docs/theory.md §n` or state the fact.
 * 3. Every relative link in a tracked Markdown file points at a file that exists.
 *
 * Prints every offending line as path:line: text and exits 1, or prints a one-line summary.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, normalize, relative, resolve, sep } from 'node:path';

const SELF = 'scripts/check-self-contained.mjs';
const SKIP = new Set(['package-lock.json', SELF]);

/** Relative paths in any text: `../name`, `../../name/…`. */
const RELATIVE = /(?:\.\.\/)+[A-Za-z_.][\w.-]*/g;
/** Absolute paths into the folders beside the checkout (its siblings in the parent folder). */
const root = resolve('.');
const parent = dirname(root);
const siblings = (() => {
  // A checkout at the top of the file system has system folders beside it (/usr, /tmp): no check then.
  if (dirname(parent) === parent) return [];
  try {
    return readdirSync(parent).filter((name) => name !== basename(root));
  } catch {
    return [];
  }
})().map((name) => ({
  path: `${parent}/${name}`,
  // The sibling's path as a whole name: not a longer name that merely starts with it.
  re: new RegExp(`${`${parent}/${name}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w.-])`),
}));
const LEGACY = [/\bTHEORY\.md\b/, /\bDESIGN\.md\b/, /\bTHEORY §/, /\b[Ii]ssues? #?\d+\b/];

/** Build output and installed packages: skipped when the files are listed without git. */
const UNTRACKED_DIRS = /^(\.git|node_modules|dist(-[^/]*)?|test-results|playwright-report|bench\/out)(\/|$)/;

/** The repository's files: git ls-files, or (outside a git checkout) a walk of the tree. */
function trackedFiles() {
  try {
    return execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\0')
      .filter(Boolean);
  } catch {
    return readdirSync('.', { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) =>
        relative('.', join(d.parentPath ?? d.path, d.name))
          .split(sep)
          .join('/'),
      )
      .filter((f) => !UNTRACKED_DIRS.test(f));
  }
}

const problems = [];
let checked = 0;
for (const file of trackedFiles()) {
  if (SKIP.has(file) || !existsSync(file)) continue;
  const buf = readFileSync(file);
  if (buf.includes(0)) continue; // binary (screenshots, fixtures)
  checked += 1;
  const lines = buf.toString('utf8').split('\n');
  lines.forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    for (const m of line.matchAll(RELATIVE)) {
      if (normalize(join(dirname(file), m[0])).startsWith('..'))
        problems.push(`${where}: refers outside the repository (${m[0]}): ${line.trim()}`);
    }
    for (const outside of siblings) {
      if (outside.re.test(line))
        problems.push(`${where}: refers outside the repository (${outside.path}): ${line.trim()}`);
    }
    for (const re of LEGACY) {
      if (re.test(line)) {
        problems.push(
          `${where}: cites old notes or an issue number (${re.source}); cite docs/theory.md §n or state the fact: ${line.trim()}`,
        );
      }
    }
    if (file.endsWith('.md')) {
      for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1].split('#')[0];
        if (!target || /^[a-z]+:/i.test(target)) continue; // anchors, http(s):, mailto:
        const resolved = normalize(join(dirname(file), target));
        if (resolved.startsWith(`..`)) {
          problems.push(`${where}: link leaves the repository: ${m[1]}`);
        } else if (!existsSync(resolved)) {
          problems.push(`${where}: broken link to ${m[1]} (no file ${resolved})`);
        }
      }
    }
  });
}

if (problems.length > 0) {
  console.error(`check-self-contained: ${problems.length} problem(s):\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`check-self-contained: ${checked} files refer to nothing outside the repository`);
