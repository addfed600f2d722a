/**
 * The engine host's start-up and fault recovery, driven with fake workers: which worker is
 * started, what it is asked to load and play, what the user is told, and when it gives up.
 */
import { describe, expect, it } from 'vitest';
import type {
  BackendInfo,
  BackendName,
  BackendRequest,
  InitOptions,
  LoadOptions,
  LoadReply,
  WorkerEvent,
} from '../protocol/messages';
import { createLabStore, type LabStore } from '../state/store';
import type { EngineWorker, Fault } from './engine-worker';
import { createEngineHost, type EngineHostOptions } from './recovery';
import type { SpareWorker } from './spare-worker';
import type { Candidate } from './startup';

interface FakeWorker extends EngineWorker {
  calls: string[];
  inits: { request: BackendRequest; options?: InitOptions }[];
  loads: { experiment: unknown; options?: LoadOptions }[];
  adopted: { experiment: unknown; candidates: BackendName[] }[];
  /** Send an event as the worker would. */
  emit(event: WorkerEvent): void;
}

interface FakeOptions {
  backend?: BackendInfo['name'];
  /** The automatic choice's measurements that `init` reports. */
  measurements?: BackendInfo['measurements'];
  /** Experiments the engine refuses (by their `name`). */
  refuse?: string[];
  /** Pings never answer (a hung worker). */
  hung?: boolean;
}

function fakeWorker(onFault: (fault: Fault) => void, o: FakeOptions = {}): FakeWorker {
  let alive = true;
  let died = (): void => undefined;
  const dead = new Promise<void>((r) => (died = r));
  let listener: ((e: WorkerEvent) => void) | null = null;
  const calls: string[] = [];
  const inits: FakeWorker['inits'] = [];
  const loads: FakeWorker['loads'] = [];
  const adopted: FakeWorker['adopted'] = [];
  const api = {
    init: (request: BackendRequest, options?: InitOptions): Promise<BackendInfo> => {
      calls.push('init');
      inits.push({ request, ...(options ? { options } : {}) });
      return Promise.resolve({
        name: o.backend ?? 'wasm',
        requested: request,
        notes: [],
        ...(o.measurements ? { measurements: o.measurements } : {}),
      });
    },
    adoptChoice: (experiment: unknown, candidates: BackendName[]): Promise<void> => {
      calls.push('adopt');
      adopted.push({ experiment, candidates });
      return Promise.resolve();
    },
    listen: (cb: (e: WorkerEvent) => void): Promise<void> => {
      listener = cb;
      return Promise.resolve();
    },
    load: (experiment: unknown, options?: LoadOptions): Promise<LoadReply> => {
      calls.push('load');
      loads.push({ experiment, ...(options ? { options } : {}) });
      const name = (experiment as { name?: string }).name ?? '';
      if (o.refuse?.includes(name)) return Promise.resolve({ ok: false, error: `no ${name}` });
      const resumed = options?.resume ? { at: 7 } : undefined;
      return Promise.resolve({
        ok: true,
        experiment,
        ...(resumed ? { resumed } : {}),
      } as unknown as LoadReply);
    },
    play: () => (calls.push('play'), Promise.resolve()),
    pause: () => (calls.push('pause'), Promise.resolve()),
    step: () => (calls.push('step'), Promise.resolve()),
    ping: () => (o.hung ? new Promise<never>(() => undefined) : Promise.resolve({ slowestStepMs: 0 })),
  };
  return {
    api: api as unknown as EngineWorker['api'],
    get alive() {
      return alive;
    },
    dead,
    listen: (cb) => api.listen(cb),
    fail(fault) {
      if (!alive) return;
      alive = false;
      died();
      onFault(fault);
    },
    calls,
    inits,
    loads,
    adopted,
    emit: (e) => listener?.(e),
  };
}

/** A host over fake workers; `workers` lists every worker it started, in order. */
function setup(
  candidates: Candidate[],
  opts: { fake?: (i: number) => FakeOptions; request?: BackendRequest } & Partial<EngineHostOptions> = {},
) {
  const store: LabStore = createLabStore();
  const workers: FakeWorker[] = [];
  const events: WorkerEvent[] = [];
  let online: (() => void) | null = null;
  const host = createEngineHost({
    store,
    request: opts.request ?? 'auto',
    candidates,
    spawn: (onFault) => {
      const w = fakeWorker(onFault, opts.fake?.(workers.length));
      workers.push(w);
      return w;
    },
    spare: opts.spare ?? ((): SpareWorker => ({ prepare: () => undefined, take: () => null })),
    queue: () => ({ push: (e) => void events.push(e), flush: () => undefined }),
    onOnline: (retry) => (online = retry),
    spareDelayMs: 0,
    ...(opts.watchdog ? { watchdog: opts.watchdog } : {}),
  });
  const texts = (level?: string): string[] =>
    store
      .getState()
      .messages.filter((m) => level === undefined || m.level === level)
      .map((m) => m.text);
  return { store, host, workers, events, texts, goOnline: () => online?.() };
}

const tick = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Wait until `cond` holds (polling the event loop), or fail after `ms`. */
async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('condition not met in time');
    await tick(5);
  }
}

const A = { name: 'link' };
const B = { name: 'saved' };

describe('engine host: start-up', () => {
  it('loads the first candidate the engine accepts, says why the others failed, and plays it if asked', async () => {
    const { host, workers, texts, store } = setup(
      [
        { experiment: A, source: 'link', play: true },
        { experiment: B, source: 'saved', play: true },
      ],
      { fake: () => ({ refuse: ['link'] }) },
    );
    await host.ready;
    expect(workers).toHaveLength(1);
    expect(workers[0]?.loads.map((l) => l.experiment)).toEqual([A, B]);
    expect(workers[0]?.calls).toEqual(['init', 'load', 'load', 'play']);
    expect(texts('error')).toEqual(['The link experiment could not be loaded: no link']);
    expect(store.getState().backend?.name).toBe('wasm');
  });
});

describe('engine host: recovery', () => {
  it('a crashed worker is replaced: same backend forced, the experiment restored at its step and played on', async () => {
    const { host, workers, texts, store } = setup([{ experiment: A, source: 'link' }]);
    await host.ready;
    store.setState({ experiment: A as never, step: 40, playState: 'playing' });
    workers[0]?.fail({ kind: 'crashed', message: 'the engine worker failed (boom)' });
    await until(() => host.recoveries().length === 1);
    const w = workers[1];
    expect(w?.inits).toEqual([{ request: 'wasm', options: { experiment: A } }]);
    expect(w?.loads).toEqual([{ experiment: A, options: { advanceTo: 40 } }]);
    expect(w?.calls).toEqual(['init', 'load', 'play']);
    expect(host.current()).toBe(w);
    const [r] = host.recoveries();
    expect(r).toMatchObject({ kind: 'crashed', from: 'wasm', to: 'wasm', step: 40, checkpoint: null });
    expect(texts('warning')).toEqual([
      'The engine worker failed (boom): restarting the engine and restoring step 40…',
    ]);
    expect(texts('info')[0]).toMatch(
      /^The engine was restored on wasm at step 40 \(\d+ ms, replayed from step 0\)\.$/,
    );
  });

  it('an automatic choice restarted forced stays automatic: the new worker adopts it, after every restart', async () => {
    const measurements: BackendInfo['measurements'] = [
      { backend: 'webgpu', status: 'unavailable' },
      { backend: 'webgl', status: 'skipped' },
      { backend: 'wasm', status: 'measured', msPerStep: 1 },
      { backend: 'cpu', status: 'measured', msPerStep: 2 },
    ];
    const { host, workers, store } = setup([{ experiment: A, source: 'link' }], {
      fake: (i) => (i === 0 ? { measurements } : {}),
    });
    await host.ready;
    store.setState({ experiment: A as never, step: 5, playState: 'paused' });
    workers[0]?.fail({ kind: 'crashed', message: 'boom' });
    await until(() => host.recoveries().length === 1);
    // Forced to the backend that ran (the same numbers), then told it was chosen among these.
    expect(workers[1]?.inits[0]?.request).toBe('wasm');
    expect(workers[1]?.calls).toEqual(['init', 'adopt', 'load']);
    expect(workers[1]?.adopted).toEqual([{ experiment: A, candidates: ['webgl', 'wasm', 'cpu'] }]);
    // The restarted worker's own info has no measurements: the next restart still knows.
    workers[1]?.fail({ kind: 'crashed', message: 'boom again' });
    await until(() => host.recoveries().length === 2);
    expect(workers[2]?.adopted).toEqual([{ experiment: A, candidates: ['webgl', 'wasm', 'cpu'] }]);
  });

  it('a forced backend is restarted forced and adopts nothing', async () => {
    const { host, workers, store } = setup([{ experiment: A, source: 'link' }], {
      request: 'wasm',
      fake: () => ({ measurements: [{ backend: 'wasm', status: 'measured', msPerStep: 1 }] }),
    });
    await host.ready;
    store.setState({ experiment: A as never, step: 5, playState: 'paused' });
    workers[0]?.fail({ kind: 'crashed', message: 'boom' });
    await until(() => host.recoveries().length === 1);
    expect(workers[1]?.calls).toEqual(['init', 'load']);
  });

  it('a paused experiment is restored paused; the latest checkpoint is sent and reported', async () => {
    const { host, workers, texts, store } = setup([{ experiment: A, source: 'link' }]);
    await host.ready;
    store.setState({ experiment: A as never, step: 12, playState: 'paused' });
    const checkpoint = { step: 7 } as never;
    workers[0]?.emit({ type: 'checkpoint', checkpoint } as WorkerEvent);
    workers[0]?.fail({ kind: 'terminated', message: 'the engine worker was terminated' });
    await until(() => host.recoveries().length === 1);
    expect(workers[1]?.calls).toEqual(['init', 'load']);
    expect(workers[1]?.loads[0]?.options?.advanceTo).toBe(12);
    // resume data goes along only when the store's runs fit the checkpoint (resume.ts); either
    // way the message says how the restore went.
    const via = workers[1]?.loads[0]?.options?.resume
      ? 'from the checkpoint at step 7'
      : 'replayed from step 0';
    expect(texts('info')[0]).toContain(via);
  });

  it('a lost GPU restarts on the automatic choice after the lost backend', async () => {
    const { host, workers } = setup([{ experiment: A, source: 'link' }], {
      fake: (i) => ({ backend: i === 0 ? 'webgpu' : 'webgl' }),
    });
    await host.ready;
    workers[0]?.fail({ kind: 'device-lost', message: 'the GPU was lost', backend: 'webgpu' });
    await until(() => host.recoveries().length === 1);
    expect(workers[1]?.inits).toEqual([{ request: 'auto', options: { after: 'webgpu', experiment: A } }]);
    expect(host.recoveries()[0]).toMatchObject({ from: 'webgpu', to: 'webgl' });
  });

  it('calls wait for a restart and go to the new worker; a call on a dying worker ends with its fallback', async () => {
    const { host, workers } = setup([{ experiment: A, source: 'link' }]);
    await host.ready;
    const w0 = workers[0] as FakeWorker;
    const stuck = host.call(() => new Promise<string>(() => undefined), 'died');
    await tick(); // the call has reached the worker
    w0.fail({ kind: 'crashed', message: 'x' });
    await expect(stuck).resolves.toBe('died');
    const sent = host.call((w) => Promise.resolve(w), null);
    await until(() => host.recoveries().length === 1);
    expect(await sent).toBe(workers[1]);
  });

  it('the warm spare is taken instead of a new worker, with its started backend', async () => {
    let spareWorker: FakeWorker | null = null;
    const { host, workers } = setup([{ experiment: A, source: 'link' }], {
      spare: (onFault) => ({
        prepare: () => void (spareWorker ??= fakeWorker(onFault)),
        take: () => {
          if (!spareWorker) return null;
          const info = Promise.resolve({ name: 'wasm', requested: 'wasm', notes: [] } as BackendInfo);
          return { w: spareWorker, info };
        },
      }),
    });
    await host.ready;
    await until(() => spareWorker !== null);
    workers[0]?.fail({ kind: 'crashed', message: 'x' });
    await until(() => host.recoveries().length === 1);
    expect(workers).toHaveLength(1); // nothing new spawned
    expect(host.current()).toBe(spareWorker);
    expect(spareWorker!.calls).toEqual(['load']); // its backend was already up
  });

  it('more than three faults within a minute stop retrying and say so', async () => {
    const { host, workers, texts } = setup([{ experiment: A, source: 'link' }]);
    await host.ready;
    for (let i = 0; i < 3; i++) {
      workers[i]?.fail({ kind: 'crashed', message: `fault ${i}` });
      await until(() => host.recoveries().length === i + 1);
    }
    workers[3]?.fail({ kind: 'crashed', message: 'fault 3' });
    await tick(20);
    expect(workers).toHaveLength(4);
    expect(texts('error')).toEqual(['The engine failed again (fault 3); reload the page to start over.']);
  });

  it('offline: one message, no restart until the browser is back online', async () => {
    const { host, workers, texts, goOnline } = setup([{ experiment: A, source: 'link' }]);
    await host.ready;
    const offline: Fault = { kind: 'offline', message: 'the engine could not be loaded: offline' };
    workers[0]?.fail(offline);
    await tick(20);
    expect(workers).toHaveLength(1);
    expect(texts('error')).toEqual([
      'The engine could not be loaded: offline. The lab starts when the network is back.',
    ]);
    goOnline();
    await until(() => host.recoveries().length === 1);
    expect(workers).toHaveLength(2);
  });

  it('a worker that stops answering pings is judged hung and replaced', async () => {
    const { host, workers, texts } = setup([{ experiment: A, source: 'link' }], {
      fake: (i) => ({ hung: i === 0 }),
      watchdog: { hangMs: 40, intervalMs: 10 },
    });
    await host.ready;
    await until(() => host.recoveries().length === 1);
    expect(host.recoveries()[0]?.kind).toBe('hung');
    expect(texts('warning')[0]).toMatch(/^The engine stopped answering \(no reply for \d s\): restarting/);
    expect(host.current()).toBe(workers[1]);
  });
});
