/**
 * A script that downloads code and runs it unseen (`curl … | sh`, `bash <(wget …)`, `sh -c "$(curl …)"`):
 * whoever controls the URL, the DNS or the network path controls the build. Shared by the Dockerfile and the
 * workflow policies. Pure.
 */
const FETCH = String.raw`(?:curl|wget|iwr|Invoke-WebRequest|fetch)\b`;
/** `VAR=value` words before a command (`| ENV="$HOME/.shrc" SHELL="$(which sh)" sh -`, pnpm's documented line). */
const ASSIGNMENTS = String.raw`(?:[A-Za-z_]\w*=(?:"[^"]*"|'[^']*'|\S*)\s+)*`;
const SHELL = String.raw`(?:sudo\s+(?:-\S+\s+)*)?(?:env\s+)?${ASSIGNMENTS}(?:ba|da|z|k|c|tc|fi)?sh|python[23]?|perl|ruby|node|php|iex|Invoke-Expression|pwsh|powershell`;
const PIPE_TO_SHELL = new RegExp(
  String.raw`${FETCH}[^|\n]*\|\s*(?:tee\s+\S+\s*\|\s*)?(?:${SHELL})\b(?!\S*=)` +
    String.raw`|(?:${SHELL})\s+(?:-\S+\s+)*<\(\s*${FETCH}` +
    String.raw`|(?:${SHELL})\s+(?:-\S+\s+)*-c\s+["']?\$\(\s*${FETCH}` +
    String.raw`|(?:source|\.)\s+<\(\s*${FETCH}`,
  'i',
);

/** The line numbers (1-based, within `script`) that pipe a download into an interpreter. */
export const pipeToShellLines = (script: string): number[] =>
  script
    .replace(/\\\r?\n/g, ' ')
    .split('\n')
    .flatMap((line, index) => (PIPE_TO_SHELL.test(line) ? [index + 1] : []));
