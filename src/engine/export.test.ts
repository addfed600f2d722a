import { describe, expect, it } from 'vitest';
import { runToCsv, runsToCsv } from './export';
import { fromRows } from './trajectory';

describe('CSV export', () => {
  const theta = {
    id: 'gd-0-theta',
    optimizer: 0,
    space: 'theta' as const,
    theta: fromRows([
      [0.1, 0.2],
      [0.3, 1 / 3],
    ]),
    loss: [1, 0.5],
  };
  const phi = {
    ...theta,
    id: 'gd-0-phi',
    space: 'phi' as const,
    phi: fromRows([
      [1, 2],
      [3, 4],
    ]),
  };

  it('writes one run with φ columns only for φ-runs, numbers that read back exactly', () => {
    expect(runToCsv(theta)).toBe('step,theta0,theta1,loss\n0,0.1,0.2,1\n1,0.3,0.3333333333333333,0.5\n');
    expect(runToCsv(phi).split('\n')[0]).toBe('step,theta0,theta1,phi0,phi1,loss');
    const back = runToCsv(theta).split('\n')[2]?.split(',').map(Number);
    expect(back?.[2]).toBe(1 / 3);
  });

  it('writes every run in long format', () => {
    const lines = runsToCsv([theta, phi]).trim().split('\n');
    expect(lines[0]).toBe('run,optimizer,space,step,theta0,theta1,loss');
    expect(lines).toHaveLength(5);
    expect(lines[3]).toBe('gd-0-phi,0,phi,0,0.1,0.2,1');
  });
});
