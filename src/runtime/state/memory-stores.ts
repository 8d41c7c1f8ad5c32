/** The in-memory state stores (each in its own file). */
export { MemoryKeyValueStore } from './memory-kv-store.js';
export { MemoryWindowStore } from './memory-window-store.js';
export { MemorySessionStore } from './memory-session-store.js';
