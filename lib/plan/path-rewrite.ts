/**
 * The path a container service receives: the ALB listener rule rewrites what the front door sends
 * (the REST front door cannot drop the stage or the service prefix itself).
 */

/** An ALB rewrite of the request path (the `UrlRewriteConfig` of a listener rule's `url-rewrite` transform). */
export interface PathRewrite {
  /** RE2 pattern matched against the path the ALB receives. */
  readonly Regex: string;
  /** What the matched path becomes (`$1` ... refer to the pattern's groups). */
  readonly Replace: string;
}

/**
 * The ALB rewrite for a service behind the REST front door: the path arrives as the client's path
 * below the stage, with or without `/<stage>` in front (API Gateway adds it on private integrations);
 * the backend gets its own path. The stage part is optional in the pattern, so the rewrite is right
 * whichever form arrives, and a service path that itself starts like the stage is not cut.
 */
export function restPathRewrite(stageName: string, servicePath: string, stripPrefix: boolean): PathRewrite {
  const quote = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const stage = `(?:/${quote(stageName)})?`;
  if (servicePath === '/') return { Regex: `^${stage}(/.*)$`, Replace: '$1' };
  const prefix = quote(servicePath);
  return stripPrefix
    ? { Regex: `^${stage}${prefix}/?(.*)$`, Replace: '/$1' }
    : { Regex: `^${stage}(${prefix}(?:[/?].*)?)$`, Replace: '$1' };
}
