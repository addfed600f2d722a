/**
 * Keeps the automatic backend choice fitted to the experiment that runs. The choice at start
 * times a few steps of the experiment about to load (backend.ts); when a later load is of
 * another size class (workload.ts `sizeClass`: the decade of P), the choice is made again on
 * the new experiment before its session is built — the loaded session is released first, since
 * its tensors live on the backend that may change — and the page hears of the new choice.
 * Within a class, and for a forced backend, loads go straight through — except a backend
 * forced only to replay a restart, which `adopt` marks as the automatic choice it was. Calls that arrive while
 * a choice is under way wait for it, in order. No messaging and no tfjs here (tests inject all).
 */
import { backendNames, parseExperiment } from '../engine';
import type { BackendInfo, BackendName, BackendRequest, InitOptions } from '../protocol/messages';
import { sizeClass, workloadOf, type Workload } from './workload';

export interface BackendFitDeps {
  /** The first choice: the requested backend, or the automatic one timed on `workload` (backend.ts). */
  choose(
    request: BackendRequest,
    after: BackendName | undefined,
    workload: Workload | null,
  ): Promise<BackendInfo>;
  /** The automatic choice again among `candidates`, timed on `workload`; `note` says why (backend.ts). */
  rechoose(candidates: readonly BackendName[], workload: Workload, note: string): Promise<BackendInfo>;
  /** Stop the runs and dispose the loaded session (its tensors are on the backend that may change). */
  release(): Promise<void>;
  /** A new choice is in force: tell the page; `previous` is the backend that ran before. */
  changed(info: BackendInfo, previous: BackendName): void;
  /**
   * Before the first choice: a backend to build the page's experiment on just to count its
   * parameters (cpu: it starts at once; tfjs would otherwise start its highest-priority one).
   */
  prepare(): Promise<void>;
  /** The warm-up workload when the page sent no experiment: the fixed benchmark network. */
  benchmark(): Workload | null;
  /**
   * Whether the experiment's session builds (start point in the domains, optimizer settings
   * that fit P): the loaded session is released only for one that will replace it.
   */
  builds(experiment: Workload['experiment']): Promise<boolean>;
}

export interface BackendFit {
  /** Start the backend (the worker's `init`); remembers the size class the choice was made for. */
  init(request: BackendRequest, options?: InitOptions): Promise<BackendInfo>;
  /**
   * Load `raw` with `run` (the run loop's load), after choosing the backend again if it is
   * automatic and `raw` is of another size class. Without a new choice `run` is called at once
   * (no await in between); a choice that fails rejects.
   */
  load<R>(raw: unknown, run: () => Promise<R>): Promise<R>;
  /**
   * Treat the backend in force (started forced) as an automatic choice among `candidates`,
   * made for `raw`'s size class: a later load of another class chooses again. Invalid input
   * changes nothing.
   */
  adopt(raw: unknown, candidates: readonly BackendName[]): void;
  /** Run `fn` now, or after the choice under way (calls keep their order). */
  gate<T>(fn: () => T | Promise<T>): T | Promise<T>;
  /** The choice in force, or null before `init`. */
  info(): BackendInfo | null;
}

interface Size {
  P: number;
  cls: number;
}

const count = (P: number): string => P.toLocaleString('en-US');

export function createBackendFit(deps: BackendFitDeps): BackendFit {
  let info: BackendInfo | null = null;
  /** The size the automatic choice was made for; null: forced (never chosen again) or not started. */
  let fitted: Size | null = null;
  /** The backends a new choice may consider: after a lost GPU only those after it, never one that could not start. */
  let candidates: BackendName[] = [];
  /** Sizes of the problems seen (keyed by the problem's settings): a load within them builds nothing extra. */
  const sizes = new Map<string, Size>();
  /** The choice under way: calls wait for it (it never rejects). */
  let pending: Promise<void> | null = null;

  const keyOf = (problem: unknown): string => JSON.stringify(problem);
  const sizeOf = (w: Workload): Size => ({ P: w.P, cls: sizeClass(w.P) });

  /** The size of `raw`'s problem, and its workload when it had to be built; null when it does not validate. */
  function measure(raw: unknown): { size: Size; workload: Workload | null } | null {
    const parsed = parseExperiment(raw);
    if (!parsed.ok) return null;
    const key = keyOf(parsed.experiment.problem);
    const known = sizes.get(key);
    if (known) return { size: known, workload: null };
    const workload = workloadOf(parsed.experiment);
    if (!workload) return null;
    const size = sizeOf(workload);
    sizes.set(key, size);
    return { size, workload };
  }

  async function rechoose(size: Size, workload: Workload): Promise<void> {
    const current = info as BackendInfo;
    const before = fitted as Size;
    await deps.release();
    const note = `chosen again for a network of another size (P = ${count(before.P)} before, ${count(size.P)} now)`;
    const next = await deps.rechoose(candidates, workload, note);
    info = next;
    fitted = size;
    deps.changed(next, current.name);
  }

  // Again after the wait: a load that waited may have started another choice meanwhile.
  const gate = <T>(fn: () => T | Promise<T>): T | Promise<T> =>
    pending ? pending.then(() => gate(fn)) : fn();

  function load<R>(raw: unknown, run: () => Promise<R>): Promise<R> {
    if (pending) return pending.then(() => load(raw, run));
    if (!fitted || !info) return run();
    const m = measure(raw);
    // Invalid input: the run loop reports it (the runs on screen stay); within the class: the choice stands.
    if (!m || m.size.cls === fitted.cls) return run();
    const workload = m.workload ?? workloadOf(raw);
    if (!workload) return run();
    const size = m.size;
    const work = deps.builds(workload.experiment).then((ok) => (ok ? rechoose(size, workload) : undefined));
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    pending = settled;
    void settled.then(() => {
      if (pending === settled) pending = null;
    });
    // `run` is registered before anything gated after this load, so it starts first.
    return work.then(run);
  }

  return {
    async init(request, options) {
      // A forced backend needs no workload (no warm-up, never chosen again).
      const timed = request === 'auto' && options?.experiment !== undefined;
      if (timed) await deps.prepare();
      const workload = timed ? workloadOf(options.experiment) : null;
      info = await deps.choose(request, options?.after, workload);
      fitted = null;
      if (request !== 'auto') return info;
      const basis = workload ?? deps.benchmark();
      if (!basis) return info;
      fitted = sizeOf(basis);
      if (workload) sizes.set(keyOf(workload.experiment.problem), fitted);
      const unavailable = new Set(
        (info.measurements ?? []).filter((m) => m.status === 'unavailable').map((m) => m.backend),
      );
      const after = options?.after;
      candidates = backendNames
        .slice(after ? backendNames.indexOf(after) + 1 : 0)
        .filter((b) => !unavailable.has(b));
      return info;
    },
    load,
    adopt(raw, among) {
      if (!info || among.length === 0) return;
      const m = measure(raw);
      if (!m) return;
      fitted = m.size;
      candidates = [...among];
    },
    gate,
    info: () => info,
  };
}
