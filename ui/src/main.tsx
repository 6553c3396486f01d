import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getCurrentWindow } from '@tauri-apps/api/window';
import { App } from './App';
import { getBackend, inTauri } from './backend';
import { CustomerWindow } from './features/elder/CustomerWindow';
import './styles.css';

/**
 * The customer-facing window (长辈版) is a second window of the same page: its label (set by
 * the shell, read from Tauri's own metadata, no command) or `#customer` in a browser picks it.
 */
function isCustomerWindow(): boolean {
  if (inTauri()) return getCurrentWindow().label === 'customer';
  return window.location.hash === '#customer';
}

const root = document.getElementById('root');
if (root !== null) {
  createRoot(root).render(
    <StrictMode>
      {isCustomerWindow() ? <CustomerWindow backend={getBackend()} /> : <App backend={getBackend()} />}
    </StrictMode>,
  );
}
