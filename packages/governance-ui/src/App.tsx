import { Suspense, lazy, useEffect, useRef } from 'react';
import { useApp } from './app-context.js';
import { useRoute } from './router.js';
import { AccountPage } from './routes/AccountPage.js';
import { ProposalsPage } from './routes/ProposalsPage.js';
import { WalletBar } from './wallet/WalletBar.js';

const ProposalPage = lazy(() => import('./routes/ProposalPage.js'));
const NewProposalPage = lazy(() => import('./routes/NewProposalPage.js'));
const TokenPage = lazy(() => import('./routes/TokenPage.js'));
const DataPage = lazy(() => import('./routes/DataPage.js'));

const NAV = [
  { href: '#/', label: 'Vote & delegate', match: (r: string) => r === '/' },
  { href: '#/proposals', label: 'Proposals', match: (r: string) => r.startsWith('/proposals') },
  { href: '#/token', label: 'Token & vesting', match: (r: string) => r.startsWith('/token') },
  { href: '#/data', label: 'Data & models', match: (r: string) => r.startsWith('/data') },
];

function Page({ route }: { route: string }) {
  if (route === '/proposals/new') return <NewProposalPage />;
  const proposal = /^\/proposals\/(\d+)$/.exec(route);
  if (proposal) return <ProposalPage proposalId={BigInt(proposal[1]!)} />;
  if (route.startsWith('/proposals')) return <ProposalsPage />;
  if (route.startsWith('/token')) return <TokenPage />;
  if (route.startsWith('/data')) return <DataPage />;
  if (route === '/') return <AccountPage />;
  return (
    <section>
      <h1>Not found</h1>
      <p>
        No page at <code>{route}</code>. <a href="#/">Go to the start page</a>.
      </p>
    </section>
  );
}

export function App() {
  const { config } = useApp();
  const route = useRoute();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  // Move focus to the new page's content on navigation (not on first load), for keyboard and screen readers.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [route]);
  return (
    <>
      <a className="skip-link" href="#main" onClick={(e) => (e.preventDefault(), main.current?.focus())}>
        Skip to content
      </a>
      <header className="site-header">
        <div className="brand">
          OpenLedger <span className="muted">· {config.chainName}</span>
        </div>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.href}>
                <a href={n.href} aria-current={n.match(route) ? 'page' : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <WalletBar />
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Suspense fallback={<p role="status">Loading…</p>}>
          <Page route={route} />
        </Suspense>
      </main>
    </>
  );
}
