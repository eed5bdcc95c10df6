import { describe, expect, it } from 'vitest';
import { environments } from '../src/spec/environments.js';
import type { KubeObject } from '../src/synth/object.js';
import { renderDirectories } from '../src/synth/render.js';
import { fixtureInputs } from './synth-fixtures.js';

/**
 * The service keys its login limits on the client address, which it reads as "one hop behind the gateway"
 * (TRUST_PROXY=1, apps/links/src/http/proxy-trust.ts). That is only the client's address if:
 *
 * - Envoy Gateway appends the peer it saw to X-Forwarded-For. At v1.7.1, internal/xds/translator/listener.go
 *   sets `UseRemoteAddress: true` (Envoy then appends the downstream address) unless the listener has a
 *   ClientIPDetection, which a ClientTrafficPolicy's `clientIPDetection` sets; with one, the hop arithmetic
 *   changes and TRUST_PROXY must change with it.
 * - The only peer that can reach the public port is the gateway, since a hop count cannot validate the peer
 *   itself (Fastify 5.12.8, lib/request.js, getTrustProxyFn).
 * - The pod listens on every interface (HOST=0.0.0.0), because the service's default is loopback.
 */
const publicPort = 8080;
const gatewayNamespace = 'envoy-gateway-system';

type Peer = {
  namespaceSelector?: { matchLabels?: Record<string, string> };
  podSelector?: unknown;
  ipBlock?: unknown;
};
type IngressRule = { from?: Peer[]; ports?: { port?: number }[] };

const clientAddressProblems = (objects: readonly KubeObject[], namespace: string): string[] => {
  const problems: string[] = [];
  const config = objects.find(
    (o) => o.kind === 'ConfigMap' && o.metadata.name === 'links-config' && o.metadata.namespace === namespace,
  ) as (KubeObject & { data?: Record<string, string> }) | undefined;
  if (config?.data?.TRUST_PROXY !== '1')
    problems.push(
      `${namespace}: TRUST_PROXY is ${JSON.stringify(config?.data?.TRUST_PROXY)}, not the gateway's one hop`,
    );
  if (config?.data?.HOST !== '0.0.0.0')
    problems.push(
      `${namespace}: HOST is ${JSON.stringify(config?.data?.HOST)}; the gateway cannot reach loopback`,
    );
  for (const policy of objects.filter(
    (o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === namespace,
  )) {
    const rules = ((policy.spec as { ingress?: IngressRule[] }).ingress ?? []).filter(
      (rule) => rule.ports === undefined || rule.ports.some((port) => port.port === publicPort),
    );
    for (const rule of rules) {
      const peers = rule.from ?? [{}];
      const onlyGateway = peers.every(
        (peer) =>
          peer.ipBlock === undefined &&
          peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === gatewayNamespace,
      );
      if (!onlyGateway)
        problems.push(
          `${namespace}/NetworkPolicy/${policy.metadata.name}: admits more than the gateway to ${publicPort}`,
        );
    }
  }
  for (const policy of objects.filter((o) => o.kind === 'ClientTrafficPolicy')) {
    if ((policy.spec as { clientIPDetection?: unknown }).clientIPDetection !== undefined)
      problems.push(
        `ClientTrafficPolicy/${policy.metadata.name}: clientIPDetection changes the X-Forwarded-For hops`,
      );
  }
  return problems;
};

const rendered = renderDirectories(fixtureInputs()).flatMap(({ objects }) => objects);
const namespaces = environments.map((env) => env.namespace);

const replace = (target: (o: KubeObject) => boolean, change: (o: KubeObject) => KubeObject): KubeObject[] =>
  rendered.map((o) => (target(o) ? change(structuredClone(o)) : o));

describe('the client address the service keys its limits on is the one the gateway saw', () => {
  it.each(namespaces)(
    '%s: one trusted hop, reachable only from the gateway, no client-IP override',
    (namespace) => {
      expect(clientAddressProblems(rendered, namespace)).toEqual([]);
    },
  );

  it('finds TRUST_PROXY=true, a loopback HOST, a second peer on the public port and a clientIPDetection', () => {
    const config = (o: KubeObject) => o.kind === 'ConfigMap' && o.metadata.namespace === 'links-prod';
    const trustAll = replace(config, (o) => ({
      ...o,
      data: { ...(o.data as object), TRUST_PROXY: 'true' },
    }));
    expect(clientAddressProblems(trustAll, 'links-prod')).toEqual([
      'links-prod: TRUST_PROXY is "true", not the gateway\'s one hop',
    ]);
    const loopback = replace(config, (o) => ({
      ...o,
      data: { ...(o.data as object), HOST: '127.0.0.1' },
    }));
    expect(clientAddressProblems(loopback, 'links-prod')).toEqual([
      'links-prod: HOST is "127.0.0.1"; the gateway cannot reach loopback',
    ]);
    const fromAnywhere = replace(
      (o) =>
        o.kind === 'NetworkPolicy' &&
        o.metadata.namespace === 'links-prod' &&
        o.metadata.name === 'links-from-gateway',
      (o) => ({ ...o, spec: { ...(o.spec as object), ingress: [{ ports: [{ port: publicPort }] }] } }),
    );
    expect(clientAddressProblems(fromAnywhere, 'links-prod')).toEqual([
      'links-prod/NetworkPolicy/links-from-gateway: admits more than the gateway to 8080',
    ]);
    const override: KubeObject = {
      apiVersion: 'gateway.envoyproxy.io/v1alpha1',
      kind: 'ClientTrafficPolicy',
      metadata: { name: 'xff', namespace: gatewayNamespace },
      spec: { clientIPDetection: { xForwardedFor: { numTrustedHops: 2 } } },
    };
    expect(clientAddressProblems([...rendered, override], 'links-prod')).toEqual([
      'ClientTrafficPolicy/xff: clientIPDetection changes the X-Forwarded-For hops',
    ]);
  });
});
