/** `TRUST_PROXY`: no proxy, how many proxies stand in front of the service, or their addresses/CIDR ranges. */
export type ProxyTrustSetting = false | number | string;

/** What Fastify's `trustProxy` takes: a list of addresses, or a function of (address, hop index). */
export type ProxyTrust = false | string | ((address: string, hop: number) => boolean);

/**
 * A hop count becomes a function: Fastify 5.12.8 treats a number as "trust nothing" (lib/request.js,
 * getTrustProxyFn: "Hop-count-only trust cannot validate the immediate peer. Fail closed"). Here the immediate
 * peer is validated by the network instead: the NetworkPolicy admits only the gateway to the public port (a
 * check over synth's output, packages/platform/test/synth-client-address.test.ts). Hop 0 is the socket's peer;
 * with 1, only it is trusted, so the client is the address the gateway appended last to X-Forwarded-For and
 * whatever a client wrote further left is ignored.
 */
export const proxyTrust = (setting: ProxyTrustSetting): ProxyTrust =>
  typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
