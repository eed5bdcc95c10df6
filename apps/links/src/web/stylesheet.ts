/**
 * The colours of each scheme, named so a test can compute their contrast (WCAG 2.x asks 4.5:1 for text). Backgrounds
 * are set, not left to the browser, so the contrast is the same in every browser.
 */
export const palette = {
  light: { background: '#ffffff', text: '#1a1a1a', error: '#b00020', notice: '#1b5e20', muted: '#595959' },
  dark: { background: '#121212', text: '#e8e8e8', error: '#ff8a80', notice: '#a5d6a7', muted: '#b0b0b0' },
} as const;

const scheme = (colours: (typeof palette)['light' | 'dark']) => `
  body { background: ${colours.background}; color: ${colours.text}; }
  .error { color: ${colours.error}; border-left-color: ${colours.error}; }
  .notice { color: ${colours.notice}; border-left-color: ${colours.notice}; }
  caption, .target { color: ${colours.muted}; }`;

/** Served from /assets/style.css: the CSP allows styles from this origin only, never inline. */
export const stylesheet = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
body { max-width: 60rem; margin: 0 auto; padding: 1rem; }
${scheme(palette.light)}
@media (prefers-color-scheme: dark) {${scheme(palette.dark)}
}
header { display: flex; justify-content: space-between; align-items: center; gap: 0.5rem 1rem; flex-wrap: wrap; }
header nav { display: flex; align-items: center; gap: 0.5rem; flex-wrap: wrap; }
.who { overflow-wrap: anywhere; }
h1 { font-size: 1.6rem; line-height: 1.2; }
form.stacked { display: grid; gap: 0.5rem; max-width: 32rem; }
label { font-weight: 600; }
input { font: inherit; padding: 0.4rem; min-width: 0; }
button, a.button { font: inherit; padding: 0.4rem 0.9rem; cursor: pointer; white-space: nowrap; }
a.button { display: inline-block; border: 1px solid currentColor; border-radius: 0.25rem; text-decoration: none; }
.error, .notice { border-left: 4px solid; padding-left: 0.5rem; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; padding-bottom: 0.4rem; }
th, td { text-align: left; padding: 0.4rem; border-bottom: 1px solid #8884; vertical-align: top; }
/*
 * Only URLs may break mid-word: they have no spaces. Words in headings and buttons never do. A target URL may break
 * anywhere (its column yields the room); a short link only when it cannot fit at all, so its column keeps it whole.
 */
.target { overflow-wrap: anywhere; }
.short { overflow-wrap: break-word; }
/* One click selects the whole short link, ready to copy, with no script. */
.short { user-select: all; font-family: ui-monospace, monospace; }
td.clicks { text-align: right; font-variant-numeric: tabular-nums; }
form.inline { display: inline; }
form.actions { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
nav.pages { display: flex; gap: 1rem; justify-content: space-between; margin-top: 1rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
/* On a phone each link is a card: short link, target, then clicks and the delete button on one line. */
@media (max-width: 40rem) {
  table, caption, thead, tbody, tr, td { display: block; }
  thead tr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  tr { border-bottom: 1px solid #8884; padding: 0.5rem 0; }
  td { border: 0; padding: 0.15rem 0; }
  td.clicks { display: inline-block; text-align: left; margin-right: 1rem; }
  td.clicks::after { content: " clicks"; }
  td:last-child { display: inline-block; }
}
`;
