import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { queryClient } from './common/api.ts';
import { loadAuthConfig } from './session/auth.ts';
import './styles.css';

const root = document.getElementById('root');
// Where sign-in happens (cloud provider or local dev tokens) is known before the first page shows.
if (root)
  void loadAuthConfig().then(() =>
    createRoot(root).render(
      <StrictMode>
        <QueryClientProvider client={queryClient}>
          <App />
        </QueryClientProvider>
      </StrictMode>,
    ),
  );
