/** Served from /assets/style.css: the CSP allows styles from this origin only, never inline. */
export const stylesheet = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
body { max-width: 48rem; margin: 0 auto; padding: 1rem; }
header { display: flex; justify-content: space-between; align-items: center; gap: 1rem; flex-wrap: wrap; }
form.stacked { display: grid; gap: 0.5rem; max-width: 24rem; }
label { font-weight: 600; }
input { font: inherit; padding: 0.4rem; }
button { font: inherit; padding: 0.4rem 0.9rem; cursor: pointer; }
.error { color: #b00020; border-left: 4px solid #b00020; padding-left: 0.5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.4rem; border-bottom: 1px solid #8884; word-break: break-all; }
form.inline { display: inline; }
`;
