// Browser script (plain JS, injected with page.addInitScript). A minimal injected wallet for the browser, installed with page.addInitScript: announces itself
// through EIP-6963, starts on chain 1, supports wallet_switchEthereumChain / wallet_addEthereumChain
// (4902 for unknown chains, like MetaMask) and forwards everything else to anvil, which signs for its
// unlocked default accounts.
function installInjectedWallet({ rpcUrl, account }) {
  let chainId = '0x1';
  const known = new Set(['0x1']);
  const listeners = {};
  const emit = (event, value) => (listeners[event] ?? []).forEach((l) => l(value));
  const rpc = async (method, params) => {
    const response = await fetch(rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: Date.now(), method, params: params ?? [] }) });
    const body = await response.json();
    if (body.error) throw Object.assign(new Error(body.error.message), { code: body.error.code, data: body.error.data });
    return body.result;
  };
  const provider = {
    async request({ method, params }) {
      switch (method) {
        case 'eth_requestAccounts':
        case 'eth_accounts':
          return [account];
        case 'eth_chainId':
          return chainId;
        case 'wallet_switchEthereumChain': {
          const id = params[0].chainId;
          if (!known.has(id)) throw Object.assign(new Error('Unrecognized chain ID'), { code: 4902 });
          chainId = id;
          emit('chainChanged', id);
          return null;
        }
        case 'wallet_addEthereumChain': {
          const id = params[0].chainId;
          known.add(id);
          chainId = id; // adding also switches, as wallets do after the user approves
          emit('chainChanged', id);
          return null;
        }
        default:
          if (chainId !== '0x7a69') throw Object.assign(new Error('the test wallet is not on the anvil chain'), { code: 4901 });
          return rpc(method, params);
      }
    },
    on(event, listener) {
      (listeners[event] ??= []).push(listener);
    },
    removeListener(event, listener) {
      listeners[event] = (listeners[event] ?? []).filter((l) => l !== listener);
    },
  };
  const info = Object.freeze({ uuid: '7b4c0c7e-0e2e-4e2e-8e2e-0e2e0e2e0e2e', name: 'E2E Wallet', icon: 'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg"/%3E', rdns: 'dev.openledger.e2e' });
  const announce = () => window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail: Object.freeze({ info, provider }) }));
  window.addEventListener('eip6963:requestProvider', announce);
  announce();
}
