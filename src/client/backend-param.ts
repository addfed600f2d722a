/** Read `?backend=` from the page's query string; an unknown value is reported, not obeyed. */
import { backendNames } from '../engine/page';
import type { BackendName, BackendRequest } from '../protocol/messages';

export function backendFromQuery(search: string): { request: BackendRequest; warning: string | null } {
  const value = new URLSearchParams(search).get('backend');
  if (value === null || value === '' || value === 'auto') return { request: 'auto', warning: null };
  if ((backendNames as readonly string[]).includes(value))
    return { request: value as BackendName, warning: null };
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return {
    request: 'auto',
    warning: `Unknown backend "${shown}" in the link (use webgpu, webgl, wasm or cpu); choosing automatically.`,
  };
}
