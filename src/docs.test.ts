/**
 * The front page stays a front page: README.md at most 10 KB, with the details in docs/.
 * Every document the README points into exists (scripts/check-self-contained.mjs checks
 * every Markdown link of the repository; this pins the README's size and its doc set).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const README_LIMIT_BYTES = 10 * 1024;

describe('README.md and docs/', () => {
  it('README.md is at most 10 KB (10,240 bytes)', () => {
    const bytes = statSync(`${root}README.md`).size;
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(README_LIMIT_BYTES);
  });

  it('README.md links each document in docs/ and the screenshot, and each exists', () => {
    const readme = readFileSync(`${root}README.md`, 'utf8');
    const docs = [
      'docs/theory.md',
      'docs/architecture.md',
      'docs/experiment-format.md',
      'docs/cli.md',
      'docs/reliability.md',
      'docs/performance.md',
      'docs/screenshot.png',
    ];
    for (const doc of docs) {
      expect(readme, doc).toContain(`(${doc}`);
      expect(existsSync(`${root}${doc}`), doc).toBe(true);
    }
  });
});
