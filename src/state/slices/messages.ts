/**
 * The messages slice: notices, warnings and errors shown to the user until dismissed.
 * `messages` is replaced on every change (its identity is its change signal).
 */
import type { StateCreator } from 'zustand/vanilla';
import type { Lab } from '../store';

export interface Message {
  id: number;
  level: 'info' | 'warning' | 'error';
  text: string;
  /** Technical detail, shown behind a "details" toggle. */
  detail?: string;
}

export interface MessagesState {
  messages: Message[];
}

export interface MessagesActions {
  notify(level: Message['level'], text: string, detail?: string): void;
  dismiss(id: number): void;
}

let nextMessage = 1;

export const createMessagesSlice: StateCreator<Lab, [], [], MessagesState & MessagesActions> = (
  set,
  get,
) => ({
  messages: [],
  notify: (level, text, detail) =>
    set({
      messages: [...get().messages, { id: nextMessage++, level, text, ...(detail ? { detail } : {}) }],
    }),
  dismiss: (id) => set({ messages: get().messages.filter((m) => m.id !== id) }),
});
