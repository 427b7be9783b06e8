import { Agent as HttpAgent, get as httpGet } from 'node:http';
import { Agent as HttpsAgent, get as httpsGet } from 'node:https';

/** Bigger than any real key set; stops a broken endpoint from filling the memory. */
const MAX_BODY_BYTES = 1 << 20;

/**
 * Connections kept open across the fetches of one key set load only (discovery, then the key set, usually
 * on the same host: the second fetch skips a TCP and TLS handshake), and closed when it ends.
 */
export interface Connections {
  agent(url: string): HttpAgent;
  close(): void;
}

export function connections(): Connections {
  const agents = new Map<boolean, HttpAgent>();
  return {
    agent(url) {
      const https = url.startsWith('https:');
      if (!agents.has(https)) agents.set(https, https ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true }));
      return agents.get(https)!;
    },
    close: () => agents.forEach((agent) => agent.destroy()),
  };
}

/**
 * GETs a JSON document, the whole exchange (connect, TLS, body) bounded by `timeoutMs`.
 * node:http(s) rather than the global fetch: fetch loads undici on first use, ~20 ms on a cold start.
 * Redirects are not followed. A new connection each time (fetches are minutes apart): a kept-alive socket
 * could have died while Lambda froze the environment, and its reuse would fail the refetch after a rotation.
 * Only `via`, the connections of one load, are shared, within it.
 */
export function getJson(url: string, timeoutMs: number, via?: Connections): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      clearTimeout(timer);
      request.destroy();
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`timeout after ${timeoutMs} ms`)), timeoutMs);
    const request = (url.startsWith('https:') ? httpsGet : httpGet)(url, { agent: via?.agent(url) ?? false, headers: { accept: 'application/json' } }, (response) => {
      if (response.statusCode !== 200) return fail(new Error(`HTTP ${response.statusCode}`));
      const chunks: Buffer[] = [];
      let size = 0;
      response
        .on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          if ((size += chunk.length) > MAX_BODY_BYTES) fail(new Error('response too large'));
        })
        .on('end', () => {
          clearTimeout(timer);
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (error) {
            reject(error as Error);
          }
        })
        .on('error', fail);
    });
    request.on('error', fail);
  });
}
