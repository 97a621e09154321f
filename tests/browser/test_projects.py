"""A project's staff member enters a month's results; a visitor then sees them in the chart and
the table of the public project page (no JavaScript needed for either)."""

from __future__ import annotations

from typing import Any

from tests.projects.conftest import Mrc, make_project, mrc  # noqa: F401 — fixtures


def test_staff_enter_a_month_and_a_visitor_sees_it(
    mrc: Mrc,  # noqa: F811
    page: Any,
    sign_in: Any,
    chromium: Any,
    live_server: Any,
) -> None:
    sign_in(mrc.staff)
    page.goto("/en/account/projects/")
    page.get_by_role("link", name="Migrant Resource Centre Islamabad").click()
    page.get_by_role("link", name="Migrants counselled").click()
    page.fill("input[name=period]", "2024-06")
    page.get_by_label("In person").fill("140")
    page.get_by_label("Telephone or hotline").fill("52")
    page.get_by_label("Online").fill("38")
    page.get_by_role("button", name="Save the results").click()
    page.get_by_text("The results are saved.").wait_for()
    assert "2024-06" in page.locator(".project-table").inner_text()

    visitor = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    public = visitor.new_page()
    public.goto(f"/en/projects/{mrc.project.pk}/")
    chart = public.locator("svg.project-chart")
    assert chart.count() == 1
    assert "Migrants counselled" in chart.locator("title").text_content()
    assert "140" in chart.locator("desc").text_content()
    row = public.locator("tr", has=public.locator("th", has_text="2024-06"))
    assert row.locator("td").all_inner_texts() == ["140", "52", "38", "230"]
    visitor.close()

    # Russian, for the same visitor.
    visitor = chromium.new_context(base_url=live_server.url)
    public = visitor.new_page()
    public.goto(f"/ru/projects/{mrc.project.pk}/")
    public.get_by_role("heading", name="Результаты").wait_for()
    visitor.close()
