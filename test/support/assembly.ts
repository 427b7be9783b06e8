import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { SynthesisMessageLevel } from 'aws-cdk-lib/cx-api';
import { ServiceGateway } from '../../lib/service-gateway';
import type { ServiceMap } from '../../lib/service-map/schema';

export interface Assembly {
  readonly gateway: ServiceGateway;
  readonly stack: Stack;
  /** Template file name -> raw body, for every template of the app (root and nested). */
  readonly templates: ReadonlyMap<string, string>;
  readonly warnings: string[];
}

/** Synthesizes a map into a fresh cloud assembly directory, as `cdk synth` would. */
export function synthAssembly(map: ServiceMap, outdir = mkdtempSync(join(tmpdir(), 'csg-test-'))): Assembly {
  const app = new App({ analyticsReporting: false, outdir });
  const stack = new Stack(app, 'Gw', { env: { account: '123456789012', region: 'eu-west-1' } });
  const gateway = new ServiceGateway(stack, 'Gateway', { serviceMap: map });
  const cloudAssembly = app.synth();
  const templates = new Map<string, string>();
  for (const f of readdirSync(outdir).filter((f) => f.endsWith('.template.json')).sort()) templates.set(f, readFileSync(join(outdir, f), 'utf8'));
  // The stack's messages from this synth: what `Annotations.fromStack(stack).findWarning('*', ...)` lists, without
  // the second, forced synth that Annotations.fromStack runs (seconds for a large map).
  const warnings = cloudAssembly
    .getStackArtifact(stack.artifactId)
    .messages.filter((m) => m.level === SynthesisMessageLevel.WARNING)
    .map((m) => String(m.entry.data));
  return { gateway, stack, templates, warnings };
}

/** Synthesizes a map as `synthAssembly` does and returns only the cloud assembly directory (what verify and diff read). */
export function synthDirectory(map: ServiceMap): string {
  const outdir = mkdtempSync(join(tmpdir(), 'csg-test-'));
  synthAssembly(map, outdir);
  return outdir;
}

export type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; [k: string]: unknown }>;

/** Every resource of the assembly keyed by `<template file>/<logical id>`. */
export function allResources(assembly: Assembly): Map<string, Resources[string]> {
  const out = new Map<string, Resources[string]>();
  for (const [file, body] of assembly.templates) {
    for (const [id, r] of Object.entries(JSON.parse(body).Resources as Resources)) out.set(`${file}/${id}`, r);
  }
  return out;
}
