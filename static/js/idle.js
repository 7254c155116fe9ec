// Idle logoff in the browser: after the practice's idle time without input, sign out so that
// no client record stays on an unattended screen. The server enforces the same limit.
(function () {
  const seconds = Number(document.body.dataset.idleSeconds || 0);
  const form = document.getElementById("logout-form");
  if (!seconds || !form) return;
  let timer;
  const reset = () => {
    clearTimeout(timer);
    timer = setTimeout(() => form.submit(), seconds * 1000);
  };
  ["mousemove", "keydown", "pointerdown", "scroll", "touchstart"].forEach((name) =>
    window.addEventListener(name, reset, { passive: true })
  );
  reset();
})();
