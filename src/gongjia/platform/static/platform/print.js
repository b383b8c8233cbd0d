// The print button of printable pages (no inline script runs under the pages' security policy).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
