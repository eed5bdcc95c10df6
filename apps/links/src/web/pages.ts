import type { Link } from '../links/links-repository.js';
import { html, type SafeHtml } from './html.js';

interface Layout {
  title: string;
  csrfToken: string;
  signedInAs?: string | undefined;
}

const logoutForm = (csrfToken: string) => html`<form class="inline" method="post" action="/logout">
  <input type="hidden" name="_csrf" value="${csrfToken}">
  <button type="submit">Log out</button>
</form>`;

export const page = (layout: Layout, body: SafeHtml): string =>
  html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${layout.title} · links</title>
<link rel="stylesheet" href="/assets/style.css">
</head>
<body>
<header>
  <a href="/">links</a>
  ${layout.signedInAs === undefined ? html`<nav><a href="/login">Log in</a> · <a href="/register">Create account</a></nav>` : html`<nav>${layout.signedInAs} ${logoutForm(layout.csrfToken)}</nav>`}
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
    { title: 'Create account', csrfToken: form.csrfToken },
    html`<h1>Create account</h1>
<p>Use at least 8 characters. Long passphrases are welcome; very common passwords are refused.</p>
${credentialsForm('/register', 'Create account', form, 'new-password')}
<p>Already have an account? <a href="/login">Log in</a>.</p>`,
  );

export const loginPage = (form: CredentialsForm & { notice?: string }): string =>
  page(
    { title: 'Log in', csrfToken: form.csrfToken },
    html`<h1>Log in</h1>
${form.notice === undefined ? html`` : html`<p role="status">${form.notice}</p>`}
${credentialsForm('/login', 'Log in', form, 'current-password')}
<p>No account yet? <a href="/register">Create account</a>.</p>`,
  );

interface DashboardView {
  csrfToken: string;
  email: string;
  links: readonly Link[];
  origin: string;
  error?: string;
  url?: string;
  code?: string;
}

const linkRow = (link: Link, view: DashboardView) => html`<tr>
  <td><a href="/${link.code}">${link.code}</a></td>
  <td>${link.url}</td>
  <td>${link.clicks}</td>
  <td><form class="inline" method="post" action="/links/${link.code}/delete">
    <input type="hidden" name="_csrf" value="${view.csrfToken}">
    <button type="submit" aria-label="Delete ${link.code}">Delete</button>
  </form></td>
</tr>`;

export const dashboardPage = (view: DashboardView): string =>
  page(
    { title: 'Your links', csrfToken: view.csrfToken, signedInAs: view.email },
    html`<h1>Your links</h1>
${errorBox(view.error)}
<form class="stacked" method="post" action="/links">
  <input type="hidden" name="_csrf" value="${view.csrfToken}">
  <label for="url">URL</label>
  <input id="url" name="url" type="url" required maxlength="2048" placeholder="https://example.com/page" value="${view.url ?? ''}">
  <label for="code">Custom code (optional)</label>
  <input id="code" name="code" maxlength="32" pattern="[A-Za-z0-9][A-Za-z0-9_\\-]{2,31}" value="${view.code ?? ''}">
  <button type="submit">Shorten</button>
</form>
${
  view.links.length === 0
    ? html`<p>No links yet.</p>`
    : html`<table>
<caption>Newest first; short links are relative to ${view.origin}</caption>
<thead><tr><th scope="col">Code</th><th scope="col">Target URL</th><th scope="col">Clicks</th><th scope="col"><span>Actions</span></th></tr></thead>
<tbody>${view.links.map((link) => linkRow(link, view))}</tbody>
</table>`
}`,
  );

export const messagePage = (title: string, message: string, csrfToken: string): string =>
  page({ title, csrfToken }, html`<h1>${title}</h1><p>${message}</p><p><a href="/">Home</a></p>`);
