import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonWebKey } from 'node:crypto';

export type JwksServerMode = 'ok' | 'fail' | 'hang' | 'stall';

/**
 * A loopback JWKS endpoint that counts its requests and can rotate keys, fail (HTTP 500), hang (accept
 * the request and never answer) or stall (send the headers and part of the body, then nothing) on demand.
 */
export class JwksServer {
  keys: JsonWebKey[] = [];
  mode: JwksServerMode = 'ok';
  /**
   * When set, `<issuer>/.well-known/openid-configuration` answers an OIDC discovery document naming this
   * issuer and `jwksUri` (by default this server's key set); `discoveryIssuer` overrides the issuer it names.
   */
  issuer: string | undefined;
  discoveryIssuer: string | undefined;
  jwksUri: string | undefined;
  /** Every request path, in order (a test can check that nothing but the JWKS path was asked). */
  readonly paths: string[] = [];
  /** The client port of each request: equal ports mean one reused connection. */
  readonly clientPorts: number[] = [];
  private readonly server: Server;
  private waiters: Array<() => void> = [];

  private constructor(keys: JsonWebKey[]) {
    this.keys = keys;
    this.server = createServer((request: IncomingMessage, response) => {
      this.paths.push(request.url ?? '');
      this.clientPorts.push(request.socket.remotePort ?? 0);
      for (const wake of this.waiters.splice(0)) wake();
      if (this.mode === 'hang') return;
      if (this.mode === 'stall') {
        response.writeHead(200, { 'content-type': 'application/json' }).write('{"keys":[');
        return;
      }
      if (this.mode === 'fail') {
        response.writeHead(500).end('upstream broken');
        return;
      }
      const discovery = this.issuer && `${this.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
      if (discovery && `${this.base}${request.url}` === discovery) {
        const doc = { issuer: this.discoveryIssuer ?? this.issuer, jwks_uri: this.jwksUri ?? this.url, id_token_signing_alg_values_supported: ['RS256'] };
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: this.keys }));
    });
  }

  static async start(keys: JsonWebKey[]): Promise<JwksServer> {
    const server = new JwksServer(keys);
    await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  /** `http://127.0.0.1:<port>`: a loopback issuer is `${base}/<issuer path>`. */
  get base(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get url(): string {
    return `${this.base}/.well-known/jwks.json`;
  }

  get requests(): number {
    return this.paths.length;
  }

  /** Resolves once the server has received `count` requests in total. */
  async receivedAtLeast(count: number): Promise<void> {
    while (this.requests < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
