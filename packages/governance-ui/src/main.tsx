import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { AppProvider } from './app-context.js';
import { loadConfig } from './config.js';
import { WalletProvider } from './wallet/wallet-context.js';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
loadConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <AppProvider config={config}>
          <WalletProvider>
            <App />
          </WalletProvider>
        </AppProvider>
      </StrictMode>,
    ),
  (error: Error) =>
    root.render(
      <main id="main">
        <h1>OpenLedger governance</h1>
        <p role="alert">The app cannot start: {error.message}</p>
      </main>,
    ),
);
