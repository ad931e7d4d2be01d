"""Where each page's server time goes: a real server with PLAINSIGHT_PROFILE set, every page opened twice in
Chromium, and the warm run's pyinstrument profile printed (the slowest calls first).

    .venv/bin/python bench/profile_pages.py [--pages home,model] [--audience analyst] [--depth 25]
                                            [--models DIR --bundle NAME] [--first]

Needs pyinstrument (the dev extras) and Chromium. The profiles stay in the folder it prints, one text file per
page run, for a closer look. ``--models``/``--bundle`` point it at another models folder and bundle (a big one:
``bench/make_big_bundle.py``); ``--first`` prints each page's first visit instead of the warm one.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pages import BROWSER_ARGS, PAGES, ROOT, open_page, serve, settle  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--audience", choices=["stakeholder", "analyst"], default="stakeholder")
    parser.add_argument("--depth", type=int, default=30, help="lines of each profile to print")
    parser.add_argument("--models", type=Path, help="the models folder (default: the app's own)")
    parser.add_argument("--bundle", help="the bundle to open (default: the app's first)")
    parser.add_argument("--first", action="store_true", help="print each page's first visit, not the warm one")
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("profile_pages needs Chromium on PATH: apt-get install chromium")
    work = Path(tempfile.mkdtemp(prefix="profile-pages-"))
    profiles = work / "profiles"
    asked = {"audience": "analyst"} if args.audience == "analyst" else {}
    if args.bundle:
        asked["model"] = args.bundle
    query = ("?" + "&".join(f"{k}={v}" for k, v in asked.items())) if asked else ""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        env = {"PLAINSIGHT_CACHE_DIR": str(work / "cache"), "PLAINSIGHT_PROFILE": str(profiles)}
        if args.models is not None:
            env["PLAINSIGHT_MODELS_DIR"] = str(args.models)
        with serve(ROOT / "streamlit_app.py", ROOT, env, [], work / "server.log") as (base, pid):
            open_page(browser, base + "/" + query)[0].context.close()  # the first overview fills the caches
            for name in args.pages.split(","):
                took = []
                for _ in range(2):  # the second visit is the warm one
                    settle(pid)
                    page, seconds = open_page(browser, f"{base}/{PAGES[name]}{query}")
                    page.context.close()
                    took.append(seconds)
                settle(pid)
                runs = sorted(profiles.glob(f"*-{PAGES[name] or 'home'}.txt"))
                shown, which = (runs[-2], "first") if args.first and len(runs) > 1 else (runs[-1], "warm")
                seconds = took[0] if which == "first" else took[-1]
                print(f"\n===== {name} ({args.audience}), {which}: {seconds:.2f} s in the browser; {shown}")
                print("\n".join(shown.read_text().splitlines()[: args.depth]))
        browser.close()
    print(f"profiles in {work}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
