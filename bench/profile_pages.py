"""Where each page's server time goes: a real server with PLAINSIGHT_PROFILE set, every page opened twice in
Chromium, and the warm run's pyinstrument profile printed (the slowest calls first).

    .venv/bin/python bench/profile_pages.py [--pages home,model] [--audience analyst] [--depth 25]

Needs pyinstrument (the dev extras) and Chromium. The profiles stay in the folder it prints, one text file per
page run, for a closer look.
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
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("profile_pages needs Chromium on PATH: apt-get install chromium")
    work = Path(tempfile.mkdtemp(prefix="profile-pages-"))
    profiles = work / "profiles"
    query = "?audience=analyst" if args.audience == "analyst" else ""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        env = {"PLAINSIGHT_CACHE_DIR": str(work / "cache"), "PLAINSIGHT_PROFILE": str(profiles)}
        with serve(ROOT / "streamlit_app.py", ROOT, env, [], work / "server.log") as (base, pid):
            open_page(browser, base + "/")[0].context.close()  # the first overview fills the caches
            for name in args.pages.split(","):
                for _ in range(2):  # the second visit is the warm one
                    settle(pid)
                    page, seconds = open_page(browser, f"{base}/{PAGES[name]}{query}")
                    page.context.close()
                settle(pid)
                runs = sorted(profiles.glob(f"*-{PAGES[name] or 'home'}.txt"))
                print(f"\n===== {name} ({args.audience}), warm: {seconds:.2f} s in the browser; {runs[-1]}")
                print("\n".join(runs[-1].read_text().splitlines()[: args.depth]))
        browser.close()
    print(f"profiles in {work}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
