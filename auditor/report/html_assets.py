"""The HTML report's fixed parts: stylesheet (screen and print), the few lines of sort/filter
script (no data in it: it reads the DOM), and the "how to read this report" guide."""

from __future__ import annotations

STYLE = """
:root{--ink:#1f2933;--muted:#56606d;--line:#d9dee4;--bg:#f5f6f8;--bad:#b42318;--bad-bg:#fdecea;
--warn:#7a5200;--warn-bg:#fff4d6;--good:#136c40;--good-bg:#e6f4ec;--accent:#0b5cad}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,
sans-serif;color:var(--ink);background:var(--bg)}
main{max-width:1500px;margin:0 auto;padding:26px 32px 40px}
a{color:var(--accent)} h1{font-size:28px;margin:0} h2{font-size:19px;margin:30px 0 10px}
h3{font-size:15px;margin:16px 0 6px} code{font-family:ui-monospace,Menlo,Consolas,monospace}
.muted{color:var(--muted)} p.good{color:var(--good)} span.bad{color:var(--bad)}
p.warning{color:var(--warn)} :target{scroll-margin-top:48px}
header{border-bottom:3px solid var(--ink);padding-bottom:12px;margin-bottom:18px}
.sub{margin:0;color:var(--muted)} .meta{display:flex;flex-wrap:wrap;gap:6px 30px;margin:12px 0 0}
.meta dt{font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.meta dd{margin:0;font-weight:600;overflow-wrap:anywhere}
.policy{border:1px solid;border-left-width:8px;border-radius:6px;padding:12px 18px}
.policy.fail{border-color:var(--bad);background:var(--bad-bg)}
.policy.pass{border-color:var(--good);background:var(--good-bg)}
.policy.incomplete{border-color:#d99a00;background:var(--warn-bg)}
.policy.incomplete h2{color:var(--warn)} .incomplete-why{font-weight:600}
.headline{font-size:15.5px;color:var(--ink)!important;max-width:75em}
.policy h2{margin:0 0 2px;font-size:22px} .policy.fail h2{color:var(--bad)}
.policy.pass h2{color:var(--good)} .policy p{margin:4px 0}
.rules{margin:0;padding-left:20px} .rules li{margin:5px 0}
.rule{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:700}
li.failure .rule{color:var(--bad)} li.warning .rule{color:var(--warn)}
.keys{margin:2px 0 0;font-size:12.5px;max-height:7.6em;overflow:auto;overflow-wrap:anywhere}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:12px}
.card{background:#fff;border:1px solid var(--line);border-top:4px solid #aab3bd;
border-radius:6px;padding:10px 14px}
.card.bad{border-top-color:var(--bad)} .card.warn{border-top-color:#d99a00}
.card.good{border-top-color:var(--good)} .card.bad .value{color:var(--bad)}
.card .label{font-size:11.5px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.card .value{font-size:26px;font-weight:700;line-height:1.2} .card .note{font-size:12.5px}
.minis{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:12px;
margin-top:14px;align-items:start}
table{border-collapse:collapse} .num{text-align:right;font-variant-numeric:tabular-nums}
.mini{width:100%;background:#fff;border:1px solid var(--line);font-size:13px}
.mini caption{text-align:left;font-weight:700;padding:0 0 4px}
.mini td{padding:3px 8px;border-top:1px solid var(--line)}
.problems{width:100%;background:#fff;border:1px solid var(--line);font-size:13px}
.problems th,.problems td{text-align:left;padding:5px 10px;border-top:1px solid var(--line);
vertical-align:top} .problems thead th{background:#eef1f4}
.problems tbody th{font-weight:600;white-space:nowrap} .problems tr.bad th{color:var(--bad)}
.problems .keys{margin:0}
.figures{display:grid;grid-template-columns:1fr 1fr;gap:14px;align-items:start}
figure{margin:0;background:#fff;border:1px solid var(--line);border-radius:6px;padding:14px}
figure.wide{grid-column:1/-1} figcaption{font-size:12.5px;color:var(--muted);margin-top:6px}
svg.chart{display:block;width:100%;height:auto}
.chart text{font-size:12px;fill:#1f2933} .chart .tick,.chart .muted{fill:#56606d}
.chart .tick{font-size:11px} .chart .value{font-weight:700} .chart .grid{stroke:#e6e9ed}
.chart .axis{stroke:#56606d} .chart .cutoff{stroke:#b42318;stroke-width:2;stroke-dasharray:6 4}
.chart .cutoff-label{fill:#b42318;font-weight:700}
.tools{margin:0 0 8px} #filter{font:inherit;padding:4px 8px;width:320px;
border:1px solid #8d99a6;border-radius:4px}
.wrap{background:#fff;border:1px solid var(--line);border-radius:6px;overflow-x:auto}
table.refs{width:100%;min-width:960px;table-layout:fixed;font-size:12.5px}
table.refs th{position:sticky;top:0;z-index:1;background:#eef1f4;text-align:left;padding:7px 6px;
border-bottom:2px solid #8d99a6;font-size:12px}
.js-sort th.sortable{cursor:pointer} .js-sort th[aria-sort=ascending]::after{content:" ▲"}
.js-sort th[aria-sort=descending]::after{content:" ▼"}
table.refs td{padding:6px 5px;border-top:1px solid var(--line);vertical-align:top;
overflow-wrap:anywhere} table.refs td.num{overflow-wrap:normal}
table.refs .tag{white-space:normal;overflow-wrap:anywhere;max-width:100%;box-sizing:border-box}
table.refs .tag.check{white-space:normal;overflow-wrap:normal}
table.refs small{display:block;color:var(--muted);font-size:11px;line-height:1.3;margin-top:2px}
table.refs .why{display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;
overflow:hidden}
table.refs tr.g0,table.refs tr.g1,table.refs tr.g2,table.refs tr.g3{background:#fff6f5}
table.refs tr.g4{background:#fffbef}
table.refs tr:target{outline:3px solid var(--accent);outline-offset:-3px}
table.refs .findings{font-size:12px}
.findings ul{margin:0;padding:0;list-style:none} .findings li{margin:0 0 3px}
.findings li.error code{color:var(--bad);font-weight:700}
.findings li.warning code{color:var(--warn);font-weight:700} .findings li.info{color:var(--muted)}
.tag{display:inline-block;padding:0 6px;border-radius:3px;border:1px solid #c5ccd3;
background:#f3f5f7;font-size:11.5px;white-space:nowrap}
.tag.bad{background:var(--bad-bg);border-color:#eea59c;color:var(--bad);font-weight:700}
.tag.warn{background:var(--warn-bg);border-color:#e6c36a;color:var(--warn)}
.tag.good{background:var(--good-bg);border-color:#9fd3b6;color:var(--good)}
.tag.guide{background:#eaf1fb;border-color:#a9c4e8;color:#0b4a8a}
small.tag{display:inline-block!important}
.guide-text dl{display:grid;grid-template-columns:170px 1fr;gap:6px 16px;margin:0;
background:#fff;border:1px solid var(--line);border-radius:6px;padding:14px 18px}
.guide-text dt{font-weight:700} .guide-text dd{margin:0}
footer{margin-top:26px;padding-top:10px;border-top:1px solid var(--line);color:var(--muted);
font-size:12px} .run{font-size:12px}
@media (max-width:1000px){.figures{grid-template-columns:1fr}.wrap{overflow-x:auto}
table.refs th{position:static}.guide-text dl{grid-template-columns:1fr}}
@page{size:A4 landscape;margin:10mm}
@media print{*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{background:#fff;font-size:10pt} main{max-width:none;padding:0} a{color:inherit;
text-decoration:none} table.refs{font-size:7.5pt;min-width:0}
table.refs th{position:static;font-size:7.5pt}
table.refs small,table.refs .tag,table.refs .findings{font-size:7pt}
table.refs td{padding:3px 4px} .cards{grid-template-columns:repeat(auto-fill,minmax(180px,1fr))}
.minis{grid-template-columns:repeat(auto-fill,minmax(125px,1fr))}
/* on paper the peer-review reason is printed in full: give it room */
table.refs col:nth-child(1){width:6%!important}table.refs col:nth-child(2){width:9%!important}
table.refs col:nth-child(3){width:3.5%!important}table.refs col:nth-child(4){width:4%!important}
table.refs col:nth-child(5){width:4.5%!important}table.refs col:nth-child(6){width:14%!important}
table.refs col:nth-child(7){width:6%!important}table.refs col:nth-child(8){width:7%!important}
table.refs col:nth-child(9){width:7%!important}table.refs col:nth-child(10){width:9%!important}
table.refs col:nth-child(11){width:14%!important}table.refs col:nth-child(12){width:16%!important}
thead{display:table-header-group} tr,li,.card,figure,.mini,.policy{break-inside:avoid}
h2,h3{break-after:avoid} .tools{display:none!important} .keys{max-height:none;overflow:visible}
table.refs .why{display:block;-webkit-line-clamp:none;overflow:visible}
.figures{grid-template-columns:1fr 1fr} .wrap{border:0;overflow:visible}}
"""

# Reads only the page (no data is embedded here): every table.js-sort sorts on a header click
# (or Enter); the #filter box hides the rows of the table it names (data-table) that do not
# hold what is typed, in the whole row or, with data-match="first", in its first cell.
SCRIPT = """(function(){
function val(c){var s=c.getAttribute("data-sort");
if(s===null)return c.textContent.trim().toLowerCase();return s===""?null:Number(s)}
function sortable(t){var b=t.tBodies[0],hs=t.tHead.rows[0].cells;
Array.prototype.forEach.call(hs,function(th,i){th.tabIndex=0;th.classList.add("sortable");
function go(){var up=th.getAttribute("aria-sort")!=="ascending";
for(var h of hs)h.removeAttribute("aria-sort");
th.setAttribute("aria-sort",up?"ascending":"descending");
var rows=Array.from(b.rows);rows.sort(function(x,y){var a=val(x.cells[i]),c=val(y.cells[i]);
if(a===c)return 0;if(a===null)return 1;if(c===null)return -1;return(a<c?-1:1)*(up?1:-1)});
rows.forEach(function(r){b.appendChild(r)})}
th.addEventListener("click",go);th.addEventListener("keydown",function(e){
if(e.key==="Enter"||e.key===" "){e.preventDefault();go()}})})}
document.querySelectorAll("table.js-sort").forEach(sortable);
var f=document.getElementById("filter"),n=document.getElementById("shown");if(!f)return;
var t=document.getElementById(f.getAttribute("data-table"));if(!t)return;
var b=t.tBodies[0],first=f.getAttribute("data-match")==="first";
document.getElementById("tools").hidden=false;
function text(r){return(first?r.cells[0]:r).textContent.toLowerCase()}
function count(){var k=0;for(var r of b.rows)if(!r.hidden)k++;
n.textContent=(n.dataset.words||"{shown} of {total} shown").replace("{shown}",k)
.replace("{total}",b.rows.length)}
f.addEventListener("input",function(){var q=f.value.trim().toLowerCase();
for(var r of b.rows)r.hidden=!!q&&text(r).indexOf(q)<0;count()});count()})();"""
