// The live quota panel of a selection batch: unticking a nominee asks the API for the check
// without them and redraws the rules (the numbers are the server's; nothing is computed here).
(function () {
  const panel = document.getElementById("quota-panel");
  if (!panel) return;
  const rules = panel.querySelector('[data-quota="rules"]');
  const summary = panel.querySelector('[data-quota="summary"]');
  const verdict = panel.querySelector('[data-quota="verdict"]');
  const boxes = Array.from(document.querySelectorAll("input[data-nomination]"));
  const words = {
    spare: rules.dataset.spare, short: rules.dataset.short, over: rules.dataset.over,
  };
  function cell(text, right, bad) {
    const td = document.createElement("td");
    td.className = "px-2 py-1" + (right ? " text-right" : "") + (bad ? " text-red-600 font-semibold" : "");
    td.textContent = text;
    return td;
  }
  let asked = 0; // an answer to an earlier tick that comes late is not drawn over a later one
  async function refresh() {
    const mine = ++asked;
    const left = boxes.filter((b) => !b.checked).map((b) => b.dataset.nomination);
    const url = panel.dataset.url + "?exclude=" + encodeURIComponent(left.join(","));
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const check = await response.json();
    if (mine !== asked) return;
    rules.replaceChildren(...check.rules.map((r) => {
      const tr = document.createElement("tr");
      tr.className = "border-t border-base-200";
      tr.dataset.met = r.met ? "1" : "0";
      const state = r.met ? words.spare.replace("N", r.slack)
        : (r.minimum ? words.short : words.over).replace("N", r.shortfall);
      tr.append(cell(r.rule), cell(r.count + " / " + r.base, true), cell(r.share_display, true),
        cell(String(r.line), true), cell(state, true, !r.met),
        cell(r.points === null ? "—" : panel.dataset.points.replace("P", (r.points > 0 ? "+" : "") + r.points.toFixed(1)), true));
      return tr;
    }));
    summary.textContent = panel.dataset.summary.replace("N", check.nominees).replace("P", check.places);
    verdict.textContent = check.met ? panel.dataset.met : panel.dataset.unmet;
  }
  boxes.forEach((b) => b.addEventListener("change", refresh));
})();
