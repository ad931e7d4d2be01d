"""Eight readers at once on one server, each in a browser of their own: nobody ever sees another's file, customer,
or settings.

Each reader (a browser context: its own cookies, its own server session) uploads a file of their own customers,
picks a customer, sets the impact budget, and half of them switch to the analyst view, all at the same time as
the others. Once all eight are done, each walks the pages again from the sidebar
and must find their own things, and none of the others', on every page.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pandas as pd
import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from tests.e2e.test_browser import BROWSER_ARGS, VIEWPORT, WAIT_MS, _serve, chromium, models_dir  # noqa: F401

pytestmark = pytest.mark.e2e
READERS = 8


class Reader:
    """What one reader does and owns: markers no other reader's page may show."""

    def __init__(self, index: int, data: pd.DataFrame) -> None:
        self.index = index
        self.file = f"team-{index}-customers.csv"
        self.rows = data.iloc[40 + 5 * index : 45 + 5 * index]
        self.customer = str(data["customerID"].iloc[300 + 11 * index])
        self.budget = f"${3000 + 137 * (index + 1):,}"
        self.analyst = index % 2 == 1

    @property
    def markers(self) -> list[str]:
        return [self.file, self.customer, self.budget, str(self.rows["customerID"].iloc[0])]


async def _go(page: Page, title: str) -> None:
    """Click the sidebar's link to a page (a page change within the session, as a reader moves around)."""
    await page.get_by_test_id("stSidebar").get_by_role("link", name=title, exact=True).click()


async def _settled(page: Page) -> None:
    await expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=WAIT_MS)
    await expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=WAIT_MS)


async def _text(page: Page) -> str:
    await _settled(page)
    return await page.get_by_test_id("stMain").inner_text()


async def _act(reader: Reader, page: Page, server: str) -> None:
    """The reader's own choices, made while the seven others make theirs."""
    see = lambda locator: expect(locator).to_be_visible(timeout=WAIT_MS)  # noqa: E731
    await page.goto(f"{server}/?model=churn-demo")
    await see(page.get_by_role("heading", name="Customer churn risk", exact=True))
    await _settled(page)
    if reader.analyst:
        await page.get_by_test_id("stSidebar").get_by_text("Analyst", exact=True).click()
        await see(page.get_by_text("Analyst detail", exact=False).first)
        await _settled(page)

    await _go(page, "Your customers")
    await see(page.get_by_role("heading", name="Explain your own customers"))
    await page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": reader.file, "mimeType": "text/csv", "buffer": reader.rows.to_csv(index=False).encode()}]
    )
    await see(page.get_by_role("heading", name=f"5 customers from {reader.file}"))
    await _settled(page)

    await _go(page, "Customer")
    box = page.get_by_role("textbox", name=re.compile("Find a customer"))
    await box.fill(reader.customer)
    await box.press("Enter")
    await see(page.get_by_role("heading", name=f"Customer {reader.customer}"))
    await _settled(page)

    await _go(page, "What if")
    await see(page.get_by_role("heading", name=f"What if: customer {reader.customer}"))
    await _settled(page)

    await _go(page, "Business impact")
    budget = page.get_by_role("textbox", name="Budget (dollars)")
    await see(budget)
    await _settled(page)
    await budget.fill(reader.budget)
    await budget.press("Enter")
    await see(page.get_by_text(f"The budget is {reader.budget}", exact=False).first)
    await _settled(page)


async def _check(reader: Reader, others: list[Reader], page: Page) -> list[str]:
    """Walk the pages again; what this reader's pages got wrong, in words (empty when all is well)."""
    wrong: list[str] = []
    foreign = [(other.index, marker) for other in others for marker in other.markers]

    def look(where: str, text: str, *own: str) -> None:
        wrong.extend(f"reader {reader.index}, {where}: own '{m}' missing" for m in own if m not in text)
        wrong.extend(f"reader {reader.index}, {where}: shows reader {j}'s '{m}'" for j, m in foreign if m in text)

    await _go(page, "Your customers")
    await expect(page.get_by_role("heading", name=f"5 customers from {reader.file}")).to_be_visible(timeout=WAIT_MS)
    look("Your customers", await _text(page), reader.file, str(reader.rows["customerID"].iloc[0]))

    await _go(page, "Customer")
    await expect(page.get_by_role("heading", name=f"Customer {reader.customer}")).to_be_visible(timeout=WAIT_MS)
    look("Customer", await _text(page), reader.customer)

    await _go(page, "What if")
    await expect(page.get_by_role("heading", name=f"What if: customer {reader.customer}")).to_be_visible(
        timeout=WAIT_MS
    )
    look("What if", await _text(page), reader.customer)

    await _go(page, "Business impact")
    budget = page.get_by_role("textbox", name="Budget (dollars)")
    await expect(budget).to_have_value(reader.budget, timeout=WAIT_MS)
    look("Business impact", await _text(page), f"The budget is {reader.budget}")

    analyst_shown = await page.get_by_text("Analyst detail", exact=False).count() > 0
    if analyst_shown != reader.analyst:
        wrong.append(f"reader {reader.index}: the analyst view is {'on' if analyst_shown else 'off'}")
    return wrong


async def _readers(server: str, chromium_path: str, readers: list[Reader]) -> list[str]:
    async with async_playwright() as playwright:
        browser: Browser = await playwright.chromium.launch(executable_path=chromium_path, args=BROWSER_ARGS)
        pages = []
        for _ in readers:
            page = await (await browser.new_context(viewport=VIEWPORT)).new_page()
            page.set_default_timeout(WAIT_MS)
            pages.append(page)
        # All eight act at once; the checks start only when every reader has made every choice.
        await asyncio.gather(*(_act(r, p, server) for r, p in zip(readers, pages, strict=True)))
        found = await asyncio.gather(
            *(_check(r, [o for o in readers if o is not r], p) for r, p in zip(readers, pages, strict=True))
        )
        await browser.close()
    return [line for lines in found for line in lines]


def test_eight_readers_at_once_never_see_each_others_things(
    chromium: str,  # noqa: F811
    models_dir: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    data = pd.read_csv(models_dir / "churn-demo" / "data.csv", dtype={"customerID": str})
    readers = [Reader(i, data) for i in range(READERS)]
    with _serve(models_dir, tmp_path) as server:
        wrong = asyncio.run(_readers(server, chromium, readers))
    assert wrong == []
