"""What the browser tests share beyond fixtures: axe-core (bundled by the axe-playwright-python wheel, so nothing
is downloaded at test time), the sideways-overflow check, screenshots saved as artefacts, and signing in."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from tests.conftest import PASSWORD

# WCAG 2.0 and 2.1, levels A and AA (issue 12 §6: "no A/AA violations").
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}
NARROW = {"width": 360, "height": 740}
# A phone's user agent (Chrome on Android): the site must not depend on it, but the journey should look like one.
MOBILE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)

ARTEFACTS = Path(
    os.environ.get("GONGKAI_ARTEFACTS") or Path(__file__).resolve().parents[2] / "artefacts" / "browser"
)

_axe_script: str | None = None


def _axe() -> str:
    global _axe_script
    if _axe_script is None:
        from axe_playwright_python.base import AXE_SCRIPT  # the wheel's axe.min.js (axe-core, MPL-2.0)

        _axe_script = AXE_SCRIPT
    return _axe_script


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.x A/AA violations on the page as it stands. Injected through Playwright's evaluate
    (the DevTools protocol), which the site's Content-Security-Policy does not restrict."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe())
    options = {"runOnly": {"type": "tag", "values": WCAG_AA_TAGS}, "resultTypes": ["violations"]}
    result: dict[str, Any] = page.evaluate("options => axe.run(document, options)", options)
    return list(result["violations"])


def describe_violations(violations: list[dict[str, Any]]) -> list[str]:
    """One line per violating element: rule id, impact, CSS target, the rule's help and the HTML."""
    lines = []
    for v in violations:
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            html = re.sub(r"\s+", " ", node.get("html", ""))[:160]
            lines.append(f"{v['id']} ({v['impact']}) at {target}: {v['help']} — {html}")
    return lines


def assert_accessible(page: Any, label: str = "") -> None:
    """No axe-core violation tagged WCAG 2.0/2.1 A or AA; each one printed with its id, target and help."""
    found = describe_violations(axe_violations(page))
    for line in found:
        print(f"axe {label or page.url}: {line}")
    assert not found, f"axe-core found WCAG A/AA violations on {label or page.url}:\n" + "\n".join(found)


OVERFLOW_JS = """
() => {
  const root = document.documentElement, width = root.clientWidth;
  const wide = [];
  const own = (el) => {
    const id = el.id ? '#' + el.id : '';
    const cls = typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    return el.tagName.toLowerCase() + id + cls;
  };
  // An element without id or class is named after its nearest ancestor that has one.
  const name = (el) => {
    if (own(el) !== el.tagName.toLowerCase()) return own(el);
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (own(a) !== a.tagName.toLowerCase()) return own(a) + ' ' + own(el);
    }
    return own(el);
  };
  // Whether an ancestor from ``a`` up scrolls or clips what is inside it.
  const clippedFrom = (a) => {
    for (; a && a !== document.documentElement; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll('body, body *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    // The outermost element that sticks out, unless an ancestor scrolls it or clips it.
    const parent = el.parentElement;
    if (clippedFrom(parent) || (parent && parent.getBoundingClientRect().right > width + 1)) continue;
    wide.push(name(el) + ' right=' + Math.round(box.right));
  }
  if (!wide.length) {  // nothing simple to blame: the elements reaching furthest right
    const far = [...document.querySelectorAll('body *')].map((el) => [el.getBoundingClientRect().right, el])
      .filter(([right]) => right > width + 1).sort((a, b) => b[0] - a[0]).slice(0, 5);
    for (const [right, el] of far) wide.push(name(el) + ' right=' + Math.round(right));
  }
  {  // text that runs out of its box (a long word that does not wrap)
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node && wide.length < 5; node = walker.nextNode()) {
      if (!node.textContent.trim() || clippedFrom(node.parentElement)) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const right = range.getBoundingClientRect().right;
      if (right > width + 1) {
        wide.push(name(node.parentElement) + ' text=' + node.textContent.trim().slice(0, 30) + ' right=' +
          Math.round(right));
      }
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: width, wide: [...new Set(wide)].slice(0, 8)};
}
"""


def overflow(page: Any) -> str:
    """'' when the page does not scroll sideways (scrollWidth <= clientWidth); else the widths and the
    outermost elements that stick out, for the report."""
    found: dict[str, Any] = page.evaluate(OVERFLOW_JS)
    if found["scrollWidth"] <= found["clientWidth"]:
        return ""
    return f"scrollWidth {found['scrollWidth']} > clientWidth {found['clientWidth']}; wide: " + json.dumps(
        found["wide"], ensure_ascii=False
    )


def page_problems(page: Any, label: str) -> list[str]:
    """Both checks of a public page, as lines for a soft assertion (all pages reported, not only the first)."""
    problems = [f"{label}: overflow: {found}"] if (found := overflow(page)) else []
    problems += [f"{label}: axe {line}" for line in describe_violations(axe_violations(page))]
    return problems


def slug(text: str) -> str:
    return re.sub(r"[^\w.-]+", "-", text, flags=re.UNICODE).strip("-")[:80] or "step"


class Shots:
    """Full-page screenshots of one test, ``<artefacts>/<test>/<nn>-<step>.png`` (numbered in order)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.count = 0
        directory.mkdir(parents=True, exist_ok=True)
        for old in directory.glob("*.png"):  # a re-run replaces the previous run's pictures
            old.unlink()

    def __call__(self, page: Any, step: str) -> Path:
        self.count += 1
        path = self.directory / f"{self.count:02d}-{slug(step)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


def sign_in(browser: Any, base: str, username: str, next_path: str, **context: Any) -> Any:
    """A new browser context (own cookies) signed in as ``username``, on ``next_path``."""
    page = browser.new_context(locale="zh-CN", **context).new_page()
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*" + re.escape(next_path.split("?")[0]) + r".*"))
    return page


def website(tree: Any) -> Any:
    """The city portal, the channel the education bureau publishes on (the nearest government's)."""
    from gongkai.catalog.models import Channel, ChannelKind

    return Channel.objects.create(
        name="测试市门户网站", kind=ChannelKind.objects.get(code="website"), owner=tree.city
    )


def published(personas: Any, body: Any, site: Any, title: str, on: Any, **extra: Any) -> Any:
    """An item of ``body`` drafted by the clerk, passed by the reviewer and published on ``site``."""
    from gongkai.catalog import transitions

    pub, _warnings = transitions.create_draft(personas.clerk, body, title=title, made_on=on, **extra)
    transitions.review(personas.reviewer, pub, on=on, conclusion="passed")
    return transitions.publish(personas.clerk, pub, on=on, channels=[site])


def document_path(pub: Any) -> str:
    return f"/documents/{pub.index_code}/{pub.index_year}/{pub.index_serial}/"
