/**
 * Argo CD reads public repositories over HTTPS without credentials, so an SSH remote (what most developers clone
 * with) is turned into its HTTPS address; other URLs are kept as they are.
 */
export const toFetchableUrl = (remote: string): string => {
  const scp = /^[\w.-]+@([\w.-]+):(.+)$/.exec(remote);
  if (scp) return `https://${scp[1]}/${scp[2]}`;
  const ssh = /^ssh:\/\/[\w.-]+@([\w.-]+)(?::\d+)?\/(.+)$/.exec(remote);
  if (ssh) return `https://${ssh[1]}/${ssh[2]}`;
  return remote;
};
