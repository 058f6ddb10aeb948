/// <reference types="vite/client" />

/** True on the Vite dev server only (see vite.config.ts): enables the anvil development wallet. */
declare const __DEV_WALLET__: boolean;
