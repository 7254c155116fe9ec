"""The forms of an HTML page, read with the standard library's parser: their method, action and
the names of their fields (inputs, selects with their options, textareas)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class HtmlForm:
    method: str
    action: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> kind (input type, select...)
    options: dict[str, list[str]] = field(default_factory=dict)
    # What the page fills in: an input's value, a textarea's text, the selected (or first
    # non-empty) option, a checked box.
    defaults: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[HtmlForm] = []
        self.current: HtmlForm | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.current = HtmlForm(
                method=(attributes.get("method") or "get").lower(),
                action=attributes.get("action") or "",
            )
            self.forms.append(self.current)
        elif self.current is None:
            return
        elif tag in ("input", "textarea") and attributes.get("name"):
            name = attributes["name"]
            kind = "textarea" if tag == "textarea" else (attributes.get("type") or "text")
            if kind in ("submit", "button", "image", "reset"):
                return
            self.current.fields.setdefault(name, kind)
            if tag == "textarea":
                self.textarea = name
                self.current.defaults.setdefault(name, "")
            elif kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.current.defaults[name] = attributes.get("value") or "on"
            else:
                self.current.defaults.setdefault(name, attributes.get("value") or "")
        elif tag == "select" and attributes.get("name"):
            self.select = attributes["name"]
            self.current.fields[self.select] = "select"
            self.current.options.setdefault(self.select, [])
        elif tag == "option" and self.select is not None:
            value = attributes.get("value") or ""
            self.current.options[self.select].append(value)
            if "selected" in attributes or (value and self.select not in self.current.defaults):
                self.current.defaults[self.select] = value

    def handle_data(self, data):
        if self.current is not None and self.textarea is not None:
            self.current.defaults[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def forms_of(html: str) -> list[HtmlForm]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


LANGUAGE_SWITCH = re.compile(r"<form[^>]*language-switch.*?</form>", re.S)


def without_language_switch(html: str) -> str:
    """The page without the language switch, whose hidden `next` carries the page's own address
    (query string included) back after the switch."""
    return LANGUAGE_SWITCH.sub("", html)
