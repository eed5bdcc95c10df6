/**
 * Whether a `${{ … }}` expression in a script reads event data someone outside the repository controls (titles,
 * bodies, branch names, labels, e-mail addresses). Fields that are numbers, ids, SHAs, booleans, timestamps or
 * fixed words (`github.event.pull_request.number`, `…head.sha`, `github.event.action`) cannot carry a shell
 * payload, so reading them is not an injection. Pure.
 */
const EXPRESSION = /\$\{\{([^}]*)\}\}/g;
const ALWAYS_UNTRUSTED = /\bgithub\.head_ref\b|\btoJSON\(\s*github\s*\)|\bgithub\.triggering_actor\b/i;
const EVENT_PATH = /\bgithub\.event(?![\w])((?:\.[\w-]+|\[[^\]]*\])*)/gi;
const SAFE_FIELD =
  /(?:^|\.)(number|id|node_id|sha|head_sha|merge_commit_sha|before|after|action|conclusion|status|merged|draft|locked|run_number|run_attempt|run_id|created_at|updated_at|closed_at|merged_at|commits|additions|deletions|changed_files|comments|forced|deleted)$/i;
/** The base repository (not a fork's): its owner controls these. */
const SAFE_REPOSITORY =
  /^\.repository\.(name|full_name|id|owner\.login|owner\.id|default_branch|html_url|private|visibility)$/i;

const isSafeEventPath = (path: string): boolean => SAFE_FIELD.test(path) || SAFE_REPOSITORY.test(path);

export const hasUntrustedExpression = (text: string): boolean =>
  [...text.matchAll(EXPRESSION)].some(([, body = '']) => {
    if (ALWAYS_UNTRUSTED.test(body)) return true;
    return [...body.matchAll(EVENT_PATH)].some(([, path = '']) => path === '' || !isSafeEventPath(path));
  });
