"""The plan tree as HTML, built in Python.

A plan may hold thousands of items; rendering each through the template engine cost over a
second per page. Here every label is translated once per page, every address built from one
reversed pattern, and every value escaped with ``django.utils.html.escape``. The markup is the
same as a template would give (see ``templates/plans/public/_tree.html``).
"""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from dialogos.core import markdown
from dialogos.plans.models import PlanItem
from dialogos.plans.queries import IndicatorRow, PlanTree, TreeRow

PLACEHOLDER = 987654321


def _pattern(name: str, *args: Any) -> str:
    """A reversed address with ``{}`` where the last argument goes."""
    return reverse(name, args=[*args, PLACEHOLDER]).replace(str(PLACEHOLDER), "{}")


def _state_pattern(slug: str) -> str:
    return reverse("plans:state", args=[slug, "ZZ"]).replace("/ZZ/", "/{}/")


def _number(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(number_format(int(value)))
    return str(number_format(value, 2))


def escape(value: Any) -> str:
    """``html.escape`` of the value's text (the standard library's, without Django's lazy
    wrapper: this runs tens of thousands of times per page)."""
    return html.escape(str(value), quote=True)


class TreeRenderer:
    def __init__(self, slug: str) -> None:
        self.language = (get_language() or settings.LANGUAGE_CODE)[:2]
        self.country_links: dict[str, str] = {}
        self.state_url = _state_pattern(slug)
        self.meeting_url = _pattern("meetings:detail")
        self.document_url = _pattern("library:document")
        self.practice_url = _pattern("library:practice")
        self.labels = {
            "progress": escape(_("Progress")),
            "status": escape(_("Status:")),
            "lead": escape(_("Lead:")),
            "co_leads": escape(_("Co-leads:")),
            "through": escape(_("Implemented through:")),
            "indicator": escape(_("Indicator:")),
            "baseline": escape(_("baseline")),
            "target": escape(_("target")),
            "latest": escape(_("latest")),
        }
        self.kinds = {value: escape(label) for value, label in PlanItem.Kind.choices}

    def text(self, value: Any) -> str:
        """Escaped text in the page's language (with the usual fallback)."""
        if hasattr(value, "get_text"):
            return escape(value.get_text(self.language))
        return escape(value)

    def lang(self, value: Any) -> str:
        return escape(value.language_of(self.language)) if hasattr(value, "language_of") else ""

    def countries(self, countries: list[Any]) -> str:
        links = []
        for country in countries:
            link = self.country_links.get(country.code)
            if link is None:
                link = (
                    f'<a href="{self.state_url.format(escape(country.code))}">'
                    f"{self.text(country.name)}</a>"
                )
                self.country_links[country.code] = link
            links.append(link)
        return ", ".join(links)

    def link(self, link: Any) -> str:
        if link.meeting_id:
            url, title = self.meeting_url.format(link.meeting_id), link.meeting.title
        elif link.document_id:
            url, title = self.document_url.format(link.document_id), link.document.title
        elif link.practice_id:
            url, title = self.practice_url.format(link.practice_id), link.practice.title
        else:
            return (
                f'<a href="{escape(link.url)}" rel="noopener">'
                f"{self.text(link.label) or escape(link.url)}</a>"
            )
        return f'<a href="{url}">{self.text(link.label) or self.text(title)}</a>'

    def indicator(self, row: IndicatorRow) -> str:
        ind = row.indicator
        labels = self.labels
        parts = [f"{labels['indicator']} {self.text(ind.name)}"]
        if ind.baseline is not None:
            parts.append(f"{labels['baseline']} {_number(ind.baseline)}")
        if ind.target is not None:
            parts.append(f"{labels['target']} {_number(ind.target)}")
        if row.latest is not None:
            parts.append(
                f"{labels['latest']} {_number(row.latest.value)} ({row.latest.on:%Y-%m-%d})"
            )
        if row.state_values:
            count = len(row.state_values)
            parts.append(
                escape(
                    ngettext(
                        "reported by %(counter)s state", "reported by %(counter)s states", count
                    )
                    % {"counter": count}
                )
            )
        text = " · ".join(parts)
        if str(ind.unit_label):
            text += f" ({self.text(ind.unit_label)})"
        return f'<p class="plan-item__facts">{text}</p>'

    def row(self, row: TreeRow) -> str:
        item, labels = row.item, self.labels
        progress = item.progress
        percent = round(progress)
        code = f'<span class="plan-item__code">{escape(item.code)}</span>' if item.code else ""
        facts = []
        if not row.has_children and item.status is not None:
            facts.append(f"{labels['status']} {self.text(item.status.name)}")
        if row.leads:
            facts.append(f"{labels['lead']} {self.countries(row.leads)}")
        if row.co_leads:
            facts.append(f"{labels['co_leads']} {self.countries(row.co_leads)}")
        if row.participants:
            count = len(row.participants)
            facts.append(
                escape(
                    ngettext(
                        "%(counter)s participating state", "%(counter)s participating states", count
                    )
                    % {"counter": count}
                )
            )
        html = [
            f'<li class="plan-item plan-item--depth-{item.depth}" id="item-{item.pk}">',
            '<div class="plan-item__head"><h3 class="plan-item__title">',
            f'{code}<span lang="{self.lang(item.title)}">{self.text(item.title)}</span> ',
            f'<span class="tag">{self.kinds[item.kind]}</span></h3>',
            f'<span class="plan-progress"><progress max="100" value="{progress}" '
            f'aria-label="{labels["progress"]}">{percent}%</progress> <span>{percent}%</span>'
            "</span></div>",
        ]
        if facts:
            html.append(f'<p class="plan-item__facts">{" · ".join(facts)}</p>')
        if item.description:
            html.append(
                f'<div class="plan-item__facts prose" lang="{self.lang(item.description)}">'
                f"{markdown.render(item.description.get_text(self.language))}</div>"
            )
        if row.links:
            links = "; ".join(self.link(link) for link in row.links)
            html.append(f'<p class="plan-item__facts">{labels["through"]} {links}</p>')
        html.extend(self.indicator(ind) for ind in row.indicators)
        return "".join(html)


# Items of this depth and deeper start folded (inside ``<details>``) under their parent.
FOLD_DEPTH = 3


def descendants(depths: list[int]) -> list[int]:
    """How many rows follow each row deeper than it, before the next at its level or above."""
    counts = [0] * len(depths)
    stack: list[int] = []
    for index, depth in enumerate(depths):
        while stack and depths[stack[-1]] >= depth:
            stack.pop()
        for ancestor in stack:
            counts[ancestor] += 1
        stack.append(index)
    return counts


def tree_html(tree: PlanTree, *, slug: str, fold_depth: int | None = FOLD_DEPTH) -> SafeString:
    """The items of ``tree`` as nested lists (without the outer ``<ul class="plan-tree">``).

    The parts of an item at ``fold_depth - 1`` come folded in ``<details>`` (open without
    JavaScript, found by the browser's search), everything above open; ``None``: all open."""
    renderer = TreeRenderer(slug)
    rows = tree.rows
    base = min((row.item.depth for row in rows), default=0)
    depths = [row.item.depth - base for row in rows]
    counts = descendants(depths)
    out: list[str] = []
    lists: list[bool] = []  # for each open nested list: is it folded?
    previous: int | None = None
    for index, row in enumerate(rows):
        depth = depths[index]
        if previous is not None and depth > previous:
            for level in range(previous + 1, depth + 1):
                folded = fold_depth is not None and level + base == fold_depth
                if folded:
                    label = ngettext(
                        "Show the %(counter)s item below",
                        "Show the %(counter)s items below",
                        counts[index - 1],
                    ) % {"counter": counts[index - 1]}
                    out.append(
                        f'<details class="plan-tree__more"><summary>{escape(label)}</summary>'
                    )
                out.append('<ul class="plan-tree__children">')
                lists.append(folded)
        elif previous is not None:
            out.append("</li>")
            for _level in range(previous - depth):
                out.append("</ul></details></li>" if lists.pop() else "</ul></li>")
        out.append(renderer.row(row))
        previous = depth
    if previous is not None:
        out.append("</li>")
        while lists:
            out.append("</ul></details></li>" if lists.pop() else "</ul></li>")
    return mark_safe("\n".join(out))  # noqa: S308 - every value escaped above
