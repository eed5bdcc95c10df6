/** The site icon: a chain link on the page colour, as SVG (one small file, sharp at every size). */
export const favicon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" rx="6" fill="#1a1a1a"/>
<path d="M13 19l6-6M11 15l-2 2a4 4 0 0 0 6 6l2-2M21 17l2-2a4 4 0 0 0-6-6l-2 2" fill="none" stroke="#fff" stroke-width="2.5" stroke-linecap="round"/>
</svg>
`;
