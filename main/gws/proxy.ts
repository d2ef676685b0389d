/**
 * Agents sit behind proxies. The conventional variables say which: HTTPS_PROXY / HTTP_PROXY
 * (or lower case) and NO_PROXY (comma-separated host names, `.domain` suffixes, `host:port`,
 * or `*`). REST and CometD both follow them, so the two never take different roads.
 */
export interface ProxySettings {
  readonly http: string | undefined;
  readonly https: string | undefined;
  readonly noProxy: readonly string[];
}

function variable(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name] ?? env[name.toLowerCase()];
  return value?.trim() ? value.trim() : undefined;
}

export function proxyFromEnv(env: NodeJS.ProcessEnv = process.env): ProxySettings | null {
  const http = variable(env, 'HTTP_PROXY');
  const https = variable(env, 'HTTPS_PROXY') ?? http;
  if (!http && !https) return null;
  const noProxy = (variable(env, 'NO_PROXY') ?? '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
  return { http, https, noProxy };
}

/** Whether `url` goes around the proxy, by NO_PROXY's rules. */
export function bypassesProxy(url: URL, noProxy: readonly string[]): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy.some((entry) => {
    if (entry === '*') return true;
    const [name = '', entryPort] = entry.split(/:(?=\d+$)/);
    if (entryPort && entryPort !== port) return false;
    const bare = name.replace(/^\*?\./, '');
    return host === bare || host.endsWith(`.${bare}`);
  });
}

/**
 * The REST fetch behind a proxy: undici's, with its own agent reading the same variables; or
 * null when there is no proxy, and Node's own fetch serves. undici is loaded on the first
 * request: a megabyte of the bundle whose set-up took some 20 ms of every start, for the few
 * that need it.
 */
export function proxiedFetch(env: NodeJS.ProcessEnv = process.env): typeof fetch | null {
  const proxy = proxyFromEnv(env);
  if (!proxy) return null;
  let loading: Promise<typeof fetch> | undefined;
  return async (input, init) => {
    loading ??= import('undici').then(({ fetch: undiciFetch, EnvHttpProxyAgent }) => {
      const dispatcher = new EnvHttpProxyAgent({
        ...(proxy.http && { httpProxy: proxy.http }),
        ...(proxy.https && { httpsProxy: proxy.https }),
        noProxy: proxy.noProxy.join(','),
      });
      // undici's fetch is the engine of Node's own; its types differ only in name.
      const proxied = undiciFetch as unknown as typeof fetch;
      return (url, options) => proxied(url, { ...options, dispatcher } as unknown as RequestInit);
    });
    return (await loading)(input, init);
  };
}

/**
 * cometd-nodejs-client's proxy option for `target` (the notifications URL): its proxy, and
 * nothing excluded, or undefined when NO_PROXY (or the absence of a proxy) says direct.
 */
export function cometdProxy(
  target: URL,
  env: NodeJS.ProcessEnv = process.env,
): { uri: string } | undefined {
  const proxy = proxyFromEnv(env);
  if (!proxy || bypassesProxy(target, proxy.noProxy)) return undefined;
  const uri = target.protocol === 'https:' ? proxy.https : proxy.http;
  return uri ? { uri } : undefined;
}

/**
 * The first proxy of a PAC-style answer, as Chromium's `resolveProxy` gives it
 * (`PROXY host:port; DIRECT`): PROXY and HTTP as `http://`, HTTPS as `https://`. DIRECT, or
 * only SOCKS (which neither undici's agent nor cometd-nodejs-client speaks), gives null.
 */
export function proxyFromPacResult(result: string): string | null {
  for (const entry of result.split(';')) {
    const [scheme = '', hostPort = ''] = entry.trim().split(/\s+/);
    if (!/^[\w.-]+:\d{1,5}$|^\[[\da-f:]+\]:\d{1,5}$/i.test(hostPort)) continue;
    const kind = scheme.toUpperCase();
    if (kind === 'PROXY' || kind === 'HTTP') return `http://${hostPort}`;
    if (kind === 'HTTPS') return `https://${hostPort}`;
  }
  return null;
}
