/* Inline formulas that are wider than their line (on a phone, say) cannot wrap:
 * MathJax 3 does not break inline math. Such a formula would run past the edge
 * of the page and be cut off. This script gives each one the class
 * `wide-inline-math`, which custom.css turns into a line of its own that
 * scrolls sideways. It runs once MathJax has typeset the page, and again when
 * the window is resized. site_tests/test_layout.py checks the result. */
(function () {
  var SELECTOR = '.bd-article mjx-container[jax="CHTML"]:not([display="true"])';

  function fitWideInlineMath() {
    document.querySelectorAll(SELECTOR).forEach(function (math) {
      math.classList.remove("wide-inline-math");
      var line = math.parentElement && math.parentElement.closest("p, li, dd, td, th, div");
      if (line && math.getBoundingClientRect().width > line.clientWidth) {
        math.classList.add("wide-inline-math");
      }
    });
  }

  function start() {
    var mj = window.MathJax;
    var typeset = mj && mj.startup && mj.startup.promise ? mj.startup.promise : Promise.resolve();
    typeset.then(fitWideInlineMath);
    var timer;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(fitWideInlineMath, 150);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
