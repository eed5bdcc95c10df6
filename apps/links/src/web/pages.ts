import type { Link } from '../links/links-repository.js';
import { html, type SafeHtml } from './html.js';

/** Who the header speaks to; `unknown` when the account could not be checked (the database is down). */
export type Visitor = { signedInAs: string } | 'anonymous' | 'unknown';

interface Layout {
  title: string;
  csrfToken: string;
  visitor: Visitor;
}

const logoutForm = (csrfToken: string) => html`<form class="inline" method="post" action="/logout">
  <input type="hidden" name="_csrf" value="${csrfToken}">
  <button type="submit">Log out</button>
</form>`;

const navFor = ({ visitor, csrfToken }: Layout) => {
  if (visitor === 'unknown') return html``;
  if (visitor === 'anonymous')
    return html`<nav><a href="/login">Log in</a> · <a href="/register">Create account</a></nav>`;
  return html`<nav><span class="who">${visitor.signedInAs}</span> ${logoutForm(csrfToken)}</nav>`;
};

export const page = (layout: Layout, body: SafeHtml): string =>
  html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${layout.title} · links</title>
<link rel="stylesheet" href="/assets/style.css">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
</head>
<body>
<header>
  <a class="home" href="/">links</a>
  ${navFor(layout)}
</header>
<main>
${body}
</main>
</body>
</html>
`.value;

const errorBox = (message: string | undefined) =>
  message === undefined ? html`` : html`<p class="error" role="alert" id="form-error">${message}</p>`;

interface CredentialsForm {
  csrfToken: string;
  email?: string;
  error?: string;
}

const credentialsForm = (action: string, submit: string, form: CredentialsForm, autocomplete: string) => html`
${errorBox(form.error)}
<form class="stacked" method="post" action="${action}">
  <input type="hidden" name="_csrf" value="${form.csrfToken}">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="${form.email ?? ''}">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="${autocomplete}" required minlength="8" maxlength="128">
  <button type="submit">${submit}</button>
</form>`;

export const registerPage = (form: CredentialsForm): string =>
  page(
    { title: 'Create account', csrfToken: form.csrfToken, visitor: 'anonymous' },
    html`<h1>Create account</h1>
<p>Use at least 8 characters. Long passphrases are welcome; very common passwords are refused.</p>
${credentialsForm('/register', 'Create account', form, 'new-password')}
<p>Already have an account? <a href="/login">Log in</a>.</p>`,
  );

export const loginPage = (form: CredentialsForm & { notice?: string }): string =>
  page(
    { title: 'Log in', csrfToken: form.csrfToken, visitor: 'anonymous' },
    html`<h1>Log in</h1>
${form.notice === undefined ? html`` : html`<p role="status">${form.notice}</p>`}
${credentialsForm('/login', 'Log in', form, 'current-password')}
<p>No account yet? <a href="/register">Create account</a>.</p>`,
  );

interface DashboardView {
  csrfToken: string;
  email: string;
  links: readonly Link[];
  /** The service's own origin, so each short link is shown whole, ready to copy. */
  origin: string;
  /** The cursor of the next (older) page, when there is one. */
  olderCursor: string | null;
  /** True on any page after the first. */
  paged: boolean;
  notice?: SafeHtml;
  error?: string;
  url?: string;
  code?: string;
}

const shortUrl = (origin: string, code: string) => `${origin}/${code}`;

const linkRow = (link: Link, view: DashboardView) => html`<tr>
  <td data-label="Short link"><a class="short" href="/${link.code}">${shortUrl(view.origin, link.code)}</a></td>
  <td data-label="Target URL" class="target">${link.url}</td>
  <td data-label="Clicks" class="clicks">${link.clicks}</td>
  <td><a class="button" href="/links/${link.code}/delete" aria-label="Delete ${link.code}">Delete</a></td>
</tr>`;

const pagination = (view: DashboardView) =>
  view.olderCursor === null && !view.paged
    ? html``
    : html`<nav class="pages" aria-label="Pages">
  ${view.paged ? html`<a href="/dashboard">Newest links</a>` : html``}
  ${view.olderCursor === null ? html`` : html`<a href="/dashboard?before=${view.olderCursor}">Older links</a>`}
</nav>`;

export const dashboardPage = (view: DashboardView): string =>
  page(
    { title: 'Your links', csrfToken: view.csrfToken, visitor: { signedInAs: view.email } },
    html`<h1>Your links</h1>
${view.notice === undefined ? html`` : html`<p class="notice" role="status">${view.notice}</p>`}
${errorBox(view.error)}
<form class="stacked" method="post" action="/links">
  <input type="hidden" name="_csrf" value="${view.csrfToken}">
  <label for="url">URL</label>
  <input id="url" name="url" type="url" required placeholder="https://example.com/page" value="${view.url ?? ''}">
  <label for="code">Custom code (optional)</label>
  <input id="code" name="code" maxlength="32" pattern="[A-Za-z0-9][A-Za-z0-9_\\-]{2,31}" value="${view.code ?? ''}">
  <button type="submit">Shorten</button>
</form>
${
  view.links.length === 0
    ? html`<p>No links yet.</p>`
    : html`<table>
<caption>Newest first. Select a short link to copy it.</caption>
<thead><tr><th scope="col">Short link</th><th scope="col">Target URL</th><th scope="col">Clicks</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>${view.links.map((link) => linkRow(link, view))}</tbody>
</table>`
}
${pagination(view)}`,
  );

/** Asks before deleting: a page of its own, so it works without JavaScript. */
export const confirmDeletePage = (view: {
  csrfToken: string;
  email: string;
  link: Link;
  origin: string;
}): string =>
  page(
    { title: 'Delete link', csrfToken: view.csrfToken, visitor: { signedInAs: view.email } },
    html`<h1>Delete this link?</h1>
<p><span class="short">${shortUrl(view.origin, view.link.code)}</span> leads to</p>
<p class="target">${view.link.url}</p>
<p>It has ${view.link.clicks} ${view.link.clicks === 1 ? 'click' : 'clicks'}. Once deleted, the short link stops working.</p>
<form class="actions" method="post" action="/links/${view.link.code}/delete">
  <input type="hidden" name="_csrf" value="${view.csrfToken}">
  <button type="submit" class="danger">Delete</button>
  <a href="/dashboard">Cancel</a>
</form>`,
  );

export const messagePage = (title: string, message: string, csrfToken: string, visitor: Visitor): string =>
  page({ title, csrfToken, visitor }, html`<h1>${title}</h1><p>${message}</p><p><a href="/">Home</a></p>`);
