/**
 * HTTPS at the gateway: cert-manager issues one certificate per environment hostname from Let's Encrypt, proving
 * control of the name with an HTTP-01 challenge served through the gateway's own HTTP listener.
 */
export interface TlsSpec {
  /** The ClusterIssuer the Gateway's `cert-manager.io/cluster-issuer` annotation names. */
  readonly clusterIssuer: string;
  readonly acme: {
    /** The ACME directory: Let's Encrypt production (its staging directory issues untrusted certificates). */
    readonly server: string;
    /**
     * The ACME account's contact, where Let's Encrypt sends account and expiry notices. The placeholder is the one
     * value a fork must change (then `npx runway synth`).
     */
    readonly email: `${string}@${string}`;
    /** The Secret, in cert-manager's namespace, that holds the ACME account's private key. */
    readonly accountKeySecret: string;
  };
}

export const tls: TlsSpec = {
  clusterIssuer: 'letsencrypt',
  acme: {
    server: 'https://acme-v02.api.letsencrypt.org/directory',
    email: 'platform@runway.dev',
    accountKeySecret: 'letsencrypt-account-key',
  },
};
