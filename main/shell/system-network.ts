import tls from 'node:tls';
import { session } from 'electron';
import { proxyFromEnv, proxyFromPacResult } from '../gws/proxy.js';

/**
 * The OS's network settings for the core, which reads the conventional variables: the system
 * proxy for the server (Chromium's own resolution: PAC, WPAD, desktop settings) becomes
 * HTTPS_PROXY/HTTP_PROXY unless the user set those explicitly. Call the result before each
 * sign-in. cometd-nodejs-client takes its proxy once per process, so a later sign-in to a
 * server behind another proxy reaches CometD only after a restart.
 */
export function systemProxy(): (server: string) => Promise<void> {
  const explicit = proxyFromEnv() !== null;
  let applied: string | null = null;
  return async (server) => {
    if (explicit) return;
    let answer = 'DIRECT';
    try {
      answer = await session.defaultSession.resolveProxy(server);
    } catch (error) {
      console.warn(`System proxy not known for ${server}: ${String(error)}`);
    }
    const proxy = proxyFromPacResult(answer);
    if (proxy === applied) return;
    applied = proxy;
    for (const name of ['HTTPS_PROXY', 'HTTP_PROXY']) {
      if (proxy) process.env[name] = proxy;
      else delete process.env[name];
    }
    if (proxy) console.log(`Using the system proxy ${proxy} for ${server}`);
  };
}

/**
 * The OS's certificate store next to Node's bundled roots, so that a corporate CA installed
 * on the machine is trusted with verification on. Needs Node 22.19+ (Electron 45 has it);
 * where the API is missing (Node 20 under the double) nothing changes. Returns whether it did.
 */
export function trustSystemCertificates(): boolean {
  const api = tls as typeof tls & {
    getCACertificates?: (type: 'default' | 'system') => string[];
    setDefaultCACertificates?: (certs: string[]) => void;
  };
  if (!api.getCACertificates || !api.setDefaultCACertificates) return false;
  const system = api.getCACertificates('system');
  if (system.length === 0) return false;
  api.setDefaultCACertificates([...new Set([...api.getCACertificates('default'), ...system])]);
  return true;
}
