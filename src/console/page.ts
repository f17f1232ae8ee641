/** The console's one HTML page: it loads the app module, which draws everything else. */
export const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tailor console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/console.css">
<script type="module" src="/console/ui/app.js"></script>
</head>
<body>
<div id="app"><p class="loading">Loading the console…</p></div>
<noscript>The Tailor console needs JavaScript.</noscript>
</body>
</html>
`;

/** One stylesheet: readable at 390 px wide and at 1280 px, focus always visible. */
export const STYLES = `
:root { --ink: #16191f; --muted: #5f6b7a; --line: #d1d5db; --accent: #0a5bb5; --bg: #f2f3f3; --good: #037f0c; --bad: #b0160e; --busy: #8a5a00;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; z-index: 10; }
.skip:focus { left: .5rem; }
header.top { display: flex; gap: 1rem; align-items: center; background: #232f3e; color: #fff; padding: .5rem 1rem; flex-wrap: wrap; }
header.top .brand { color: #fff; font-weight: 700; text-decoration: none; }
header.top .who { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-size: .85rem; color: #d5dbdb; }
.layout { display: grid; grid-template-columns: 220px 1fr; min-height: calc(100vh - 48px); }
nav { background: #fff; border-right: 1px solid var(--line); padding: .5rem 1rem; }
nav h2 { font-size: .8rem; text-transform: uppercase; color: var(--muted); margin: 1rem 0 .25rem; }
nav ul { list-style: none; margin: 0; padding: 0; }
nav a { display: block; padding: .2rem 0; text-decoration: none; }
nav a[aria-current="page"] { font-weight: 700; }
main { padding: 1rem 1.5rem; min-width: 0; }
main:focus { outline: none; }
h1 { font-size: 1.5rem; margin: .25rem 0 1rem; }
h1:focus { outline: none; }
h2 { font-size: 1.15rem; }
.page-header { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; justify-content: space-between; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; }
button, .button { font: inherit; padding: .4rem .9rem; border-radius: 2rem; border: 1px solid var(--accent); background: #fff; color: var(--accent); cursor: pointer; font-weight: 600; }
button.primary { background: var(--accent); color: #fff; }
button:disabled { opacity: .5; cursor: default; }
button.link { border: none; padding: 0; background: none; text-decoration: underline; font-weight: 400; border-radius: 0; }
.field { margin: .75rem 0; display: flex; flex-direction: column; gap: .25rem; max-width: 40rem; }
label { font-weight: 600; }
input[type=text], input[type=password], input[type=search], input:not([type]), select, textarea { font: inherit; padding: .4rem .5rem; border: 1px solid #7d8998; border-radius: 4px; background: #fff; width: 100%; }
textarea { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; min-height: 16rem; }
fieldset { border: 1px solid var(--line); border-radius: 4px; margin: .75rem 0; max-width: 40rem; }
.radio { display: block; font-weight: 400; margin: .25rem 0; }
.hint { color: var(--muted); margin: 0; font-size: .85rem; font-weight: 400; }
.table-wrap { overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 6px; margin: .75rem 0; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: 700; padding: .5rem .75rem; }
th, td { text-align: left; padding: .4rem .75rem; border-top: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
th { background: #fafafa; font-size: .85rem; }
.alert { padding: .6rem .8rem; border-radius: 4px; margin: .5rem 0; max-width: 60rem; overflow-wrap: anywhere; }
.alert.error { background: #fff1f0; border: 1px solid var(--bad); color: var(--bad); }
.alert.notice { background: #f0fff4; border: 1px solid var(--good); color: var(--good); }
.badge { white-space: nowrap; display: inline-block; padding: 0 .5rem; border-radius: 1rem; font-size: .8rem; font-weight: 700; border: 1px solid currentColor; }
.badge.good { color: var(--good); } .badge.bad { color: var(--bad); } .badge.busy { color: var(--busy); }
.panel { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin: .75rem 0; }
pre, code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; }
pre { background: #fff; border: 1px solid var(--line); padding: .75rem; overflow: auto; max-height: 30rem; }
[role=tablist] { display: flex; gap: .25rem; border-bottom: 1px solid var(--line); margin: .5rem 0; }
[role=tab] { border-radius: 4px 4px 0 0; border-bottom: none; }
[role=tab][aria-selected=true] { background: var(--accent); color: #fff; }
.steps { list-style: none; padding: 0; display: flex; gap: 1rem; flex-wrap: wrap; color: var(--muted); }
.steps [aria-current=step] { color: var(--ink); font-weight: 700; }
.validation { font-size: .85rem; }
.validation.ok { color: var(--good); }
.validation.bad { color: var(--bad); }
.dropzone { border: 2px dashed #7d8998; border-radius: 6px; padding: 1.5rem; text-align: center; background: #fff; margin: .75rem 0; }
.dropzone.over { border-color: var(--accent); background: #eef5ff; }
progress { width: 100%; max-width: 30rem; }
.cards li { margin: .4rem 0; }
.signin-page { max-width: 28rem; margin: 3rem auto; background: #fff; padding: 1rem 1.5rem 1.5rem; border: 1px solid var(--line); border-radius: 8px; }
.chart { max-width: 100%; height: auto; background: #fff; }
@media (max-width: 700px) {
  .layout { grid-template-columns: 1fr; }
  nav { border-right: none; border-bottom: 1px solid var(--line); display: flex; flex-wrap: wrap; gap: 0 1.25rem; }
  nav h2 { margin: .5rem 0 0; }
  nav ul { display: flex; flex-wrap: wrap; gap: 0 .75rem; }
  main { padding: .75rem; }
  .signin-page { margin: 1rem; }
  thead { display: none; }
  tr { display: block; border-top: 1px solid var(--line); }
  td { display: block; border: none; padding: .2rem .75rem; }
  td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; color: var(--muted); }
}
`;
