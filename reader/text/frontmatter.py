"""YAML front matter of Markdown notes: a safe subset read by hand (no YAML library)."""

from __future__ import annotations

import re
from datetime import date, datetime

Value = str | list[str] | dict[str, str]

_BLANK_FM = ("~", "null", "Null", "NULL")
_FM_KEY = re.compile(r"^([A-Za-z_][\w.-]*)[ ]*:(?:[ ]+(.*))?$")
_FM_ITEM = re.compile(r"^[ ]*-(?:[ ]+(.*))?$")
_FM_NESTED = re.compile(r"^[ ]+([A-Za-z_][\w.-]*)[ ]*:(?:[ ]+(.*))?$")
_FM_BLOCK_SCALAR = re.compile(r"^[|>][-+0-9]*$")
_FM_FLOW_ITEM = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'|[^,]+")
_WIKILINK_NAME = re.compile(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]")
_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z", "%B %d, %Y", "%b %d, %Y", "%d %B %Y")


def split_front_matter(lines: list[str]) -> tuple[dict[str, Value], list[str]]:
    """The front matter fields and the body lines; no closed, readable block means no fields."""
    if not lines or lines[0].rstrip() != "---":
        return {}, lines
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        return {}, lines
    fields = _read_yaml(lines[1:end])
    # Without a single "key: value" the "---" lines were rules around text, not metadata.
    return (fields, lines[end + 1 :]) if fields else ({}, lines)


def _read_yaml(lines: list[str]) -> dict[str, Value]:
    """The safe subset of YAML front matter: scalars, flow and block lists, one nested level."""
    fields: dict[str, Value] = {}
    key: str | None = None
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if match := _FM_KEY.match(line):
            key = match[1].lower()
            raw = (match[2] or "").strip()
            if _FM_BLOCK_SCALAR.match(raw):
                fields[key] = ""  # "|" or ">": the indented lines below are the text
            elif raw.startswith("[") and not raw.startswith("[["):  # "[[x]]" is a wiki link
                inner = raw[1 : raw.rindex("]")] if "]" in raw else raw[1:]
                flow = (_scalar(item) for item in _FM_FLOW_ITEM.findall(inner))
                fields[key] = [item for item in flow if item]
            else:
                fields[key] = _scalar(raw)
            continue
        if key is None:
            continue
        current = fields[key]
        item, nested = _FM_ITEM.match(line), _FM_NESTED.match(line)
        if item and (current == "" or isinstance(current, list)):
            items = current if isinstance(current, list) else []
            fields[key] = [*items, _scalar(item[1] or "")]
        elif nested and (current == "" or isinstance(current, dict)):
            mapping = current if isinstance(current, dict) else {}
            fields[key] = {**mapping, nested[1].lower(): _scalar(nested[2] or "")}
        elif isinstance(current, str) and line.startswith(" "):
            fields[key] = f"{current} {line.strip()}".strip()  # a value folded onto more lines
        else:
            key = None  # a line that is not YAML: stop attaching lines to the last key
    return fields


def _scalar(raw: str) -> str:
    """A YAML scalar without its quotes or trailing comment."""
    raw = raw.strip()
    if raw[:1] == '"':
        match = re.match(r'"((?:[^"\\]|\\.)*)"', raw)
        value = match[1] if match else raw[1:]
        return re.sub(r"\\(.)", r"\1", value)
    if raw[:1] == "'":
        match = re.match(r"'((?:[^']|'')*)'", raw)
        return (match[1] if match else raw[1:]).replace("''", "'")
    raw = re.sub(r"\s#.*$", "", raw).strip()
    return "" if raw in _BLANK_FM else raw


def field(fields: dict[str, Value], *keys: str) -> str | None:
    """The first non-empty value among the keys, as one line of text."""
    for key in keys:
        value = fields.get(key)
        if isinstance(value, dict):
            value = value.get("name", "")
        if isinstance(value, list):
            value = ", ".join(item for item in value if item)
        if value:
            text = " ".join(_WIKILINK_NAME.sub(r"\1", value).split())
            if text:
                return text
    return None


def tags_of(fields: dict[str, Value]) -> tuple[str, ...]:
    """Tags from a list, or from a comma- or space-separated string (Jekyll allows both)."""
    for key in ("tags", "keywords", "tag"):
        value = fields.get(key)
        if isinstance(value, str):
            value = value.split(",") if "," in value else value.split()
        if isinstance(value, list):
            tags = [" ".join(tag.split()).lstrip("#") for tag in value]
            if found := tuple(dict.fromkeys(tag for tag in tags if tag)):
                return found
    return ()


def iso_date(value: str) -> str:
    """The date in ISO 8601 where it parses, else as given."""
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            return parse(value).isoformat()
        except ValueError:
            pass
    for layout in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(value, layout)
        except ValueError:
            continue
        return parsed.isoformat() if "%H" in layout else parsed.date().isoformat()
    return value
