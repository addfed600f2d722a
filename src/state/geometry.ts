/**
 * The geometry overlay's page-side state (docs/using-the-lab.md, "Geometry"): the worker's
 * numbers at the points drawn (cached by run and step for the loaded experiment), the
 * sparse grid, and what the plots last drew — the ellipses and arrows the automation handle
 * reports (client/automation.ts). Kept apart from the main store so the overlay stays a layer.
 */
import { createStore } from 'zustand/vanilla';
import type { GeometryAt } from '../protocol/geometry';
import type { Window } from '../engine/page';

export type OverlaySpace = 'theta' | 'phi';

/** One drawn ellipse {centre + δ : δᵀ M δ = level} in the plot's data coordinates. */
export interface DrawnEllipse {
  /** fisher-grid: on the sparse grid; fisher-path: along a run; implied / fisher-step: at the run's current step. */
  kind: 'fisher-grid' | 'fisher-path' | 'implied' | 'fisher-step';
  runId?: string;
  step?: number;
  center: number[];
  /** The metric M (the Fisher in these coordinates, or the implied metric). */
  metric: number[][];
  level: number;
  /** Semi-axis lengths, major first: √(level/λmin), √(level/λmax). */
  axes: [number, number];
  /** Unit directions of the major and minor axis. */
  directions: [number[], number[]];
  /** The implied metric's condition number κ* (kind 'implied'). */
  kappa?: number;
}

/** One drawn steepest-descent arrow: direction (unit, data coordinates) at a run's current point. */
export interface DrawnArrow {
  kind: 'euclidean' | 'natural';
  runId: string;
  step: number;
  at: number[];
  /** −∇L or −F⁻¹∇L, normalized to length 1 in data coordinates. */
  direction: number[];
}

export interface DrawnGeometry {
  ellipses: DrawnEllipse[];
  arrows: DrawnArrow[];
  /** Points skipped, with why (F singular, outside the map's domain, an uphill step). */
  notes: string[];
}

export interface GeometryState {
  /** Answers by key (`runId:step` or `runId:step:next`), for the loaded experiment's runs. */
  points: Record<string, GeometryAt>;
  grid: { window: Window; n: number; theta: GeometryAt[]; phi: GeometryAt[] } | null;
  /** Why the worker computed nothing (e.g. more than two parameters), or null. */
  error: string | null;
  /** Bumped on every change of `points` or `grid` (the plots redraw on it). */
  version: number;
  drawn: Record<OverlaySpace, DrawnGeometry>;
}

const empty = (): DrawnGeometry => ({ ellipses: [], arrows: [], notes: [] });

export function createGeometryStore() {
  return createStore<GeometryState>()(() => ({
    points: {},
    grid: null,
    error: null,
    version: 0,
    drawn: { theta: empty(), phi: empty() },
  }));
}

export type GeometryStore = ReturnType<typeof createGeometryStore>;

/** The page's one geometry store (the plots write it, the automation handle reads it). */
export const geometryStore = createGeometryStore();

/** Forget everything (a new experiment was loaded). */
export function clearGeometry(store: GeometryStore = geometryStore): void {
  store.setState((s) => ({ points: {}, grid: null, error: null, version: s.version + 1 }));
}
