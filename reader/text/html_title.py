"""A saved web page's metadata: title, byline, site name, date, language and canonical URL."""

# Typographic dashes and guillemets here are deliberate.
# ruff: noqa: RUF001

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lxml import html as lxml_html

# The order of preference follows Mozilla's Readability, the reference the corpus was
# made with: structured data first, then Dublin Core, Open Graph and the plain tags,
# and only then the cleaned-up <title>. Sites fill these fields for sharing, so they
# rarely carry the " | Site" suffix that <title> does.
_TITLE_KEYS = (
    "dc:title",
    "dcterm:title",
    "og:title",
    "weibo:article:title",
    "weibo:webpage:title",
    "title",
    "twitter:title",
    "parsely-title",
)
_AUTHOR_KEYS = ("dc:creator", "dcterm:creator", "author", "parsely-author")
_PROPERTY = re.compile(
    r"\s*(article|dc|dcterm|og|twitter)\s*:\s*"
    r"(author|creator|description|published_time|title|site_name)\s*",
    re.IGNORECASE,
)
_NAME = re.compile(
    r"^\s*(?:(dc|dcterm|og|twitter|parsely|weibo:(article|webpage))\s*[-.:]\s*)?"
    r"(author|creator|pub-date|description|title|site_name)\s*$",
    re.IGNORECASE,
)
_ARTICLE_TYPES = re.compile(
    r"^Article|AdvertiserContentArticle|NewsArticle|AnalysisNewsArticle|AskPublicNewsArticle"
    r"|BackgroundNewsArticle|OpinionNewsArticle|ReportageNewsArticle|ReviewNewsArticle|Report"
    r"|SatiricalArticle|ScholarlyArticle|MedicalScholarlyArticle|SocialMediaPosting|BlogPosting"
    r"|LiveBlogPosting|DiscussionForumPosting|TechArticle|APIReference$"
)
_SCHEMA_ORG = re.compile(r"^https?://schema\.org/?$")
_CDATA = re.compile(r"^\s*<!\[CDATA\[|\]\]>\s*$")

# Separators between a headline and the site's name in <title>.
_SEPARATOR = re.compile(r" [|\-\\/>»–—] ")
# Wider than Readability's set: only used when a site name or h1 confirms the split.
_SITE_SEPARATOR = re.compile(r"( [|\-\\/>»–—·:] |: )")
_HIERARCHICAL = re.compile(r" [\\/>»] ")
_LEADING_PART = re.compile(r"^[^|\-\\/>»–—]*[|\-\\/>»–—]")
_SEPARATOR_CHARS = re.compile(r"[|\-\\/>»–—]+")
_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"\W+")
_ENTITY = re.compile(r"&(?:(quot|amp|apos|lt|gt)|#(?:x([0-9a-f]+)|([0-9]+)));", re.IGNORECASE)
_NAMED = {"quot": '"', "amp": "&", "apos": "'", "lt": "<", "gt": ">"}
_LANGUAGE = re.compile(r"^([a-z]{2})(?:$|[-_])", re.IGNORECASE)
# The separators before a trailing site name that no metadata names: " - Wikipedia".
_SUFFIX_SEPARATOR = re.compile(r" [|\-–—·»] ")
_NOT_ALNUM = re.compile(r"\W+")
# Sites whose saved pages name them only in <title>: MediaWiki's "Page - Wikipedia".
_KNOWN_SITES = frozenset(
    {
        "wikipedia", "vikipedi", "wikipédia", "wikipedia, the free encyclopedia",
        "wikipedia, la enciclopedia libre", "wikipedia, die freie enzyklopädie",
        "wikipédia, a enciclopédia livre", "wikipédia, l'encyclopédie libre",
        "wikipedia, l'enciclopedia libera", "wikipedia, wolna encyklopedia",
        "википедия", "维基百科，自由的百科全书", "ウィキペディア", "위키백과", "ويكيبيديا",
        "wiktionary", "wikivoyage", "wikibooks", "wikiquote", "wikisource", "wikinews",
    }
)  # fmt: skip
# Parts of a host name that never name the site ("www", top-level domains).
_HOST_NOISE = frozenset({"www", "m", "en", "com", "org", "net", "co", "uk", "io", "news"})


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """What a page's head and structured data say about the article."""

    title: str | None
    author: str | None
    site_name: str | None
    published: str | None
    language: str | None
    url: str | None


def page_metadata(tree: lxml_html.HtmlElement, url: str | None = None) -> PageMetadata:
    """The metadata of a parsed page (fetched from url, if given); any field may be None."""
    values = _meta_values(tree)
    ld = _json_ld(tree)
    title = ld.get("title") or next((values[k] for k in _TITLE_KEYS if values.get(k)), None)
    site_name = _collapse(_unescape(ld.get("site_name") or values.get("og:site_name") or ""))
    title = _without_site_name(_collapse(_unescape(title or article_title(tree))), site_name, tree)
    wiki = _wiki_title(tree, values)
    if wiki is not None:
        # MediaWiki's JSON-LD names the foundation; the suffix names the wiki itself.
        title, site_name = wiki
    else:
        canonical = _canonical(tree, values) or url or ""
        title = _without_site_suffix(title, canonical)
    author = ld.get("author") or next((values[k] for k in _AUTHOR_KEYS if values.get(k)), None)
    published = ld.get("published") or values.get("article:published_time")
    published = published or values.get("parsely-pub-date")
    return PageMetadata(
        title=title or None,
        author=_collapse(_unescape(author)) or None if author else None,
        site_name=site_name or None,
        published=published or None,
        language=_language(tree, values),
        url=_canonical(tree, values),
    )


def article_title(tree: lxml_html.HtmlElement) -> str:
    """The <title> without the site's name, or the page's only h1 when <title> is no use."""
    original = _collapse(tree.findtext(".//title") or "")
    title = original
    hierarchical = False
    separators = list(_SEPARATOR.finditer(original))
    if separators:
        hierarchical = bool(_HIERARCHICAL.search(original))
        title = original[: separators[-1].start()]
        # Too short means the site's name came first: drop that part instead.
        if _words(title) < 3:
            title = _LEADING_PART.sub("", original, count=1)
    elif ": " in title:
        # "Site: Headline", unless a heading shows the whole string is the headline.
        headings = (_text(h) for h in tree.iter("h1", "h2"))
        if not any(heading == title for heading in headings):
            title = original[original.rfind(":") + 1 :]
            if _words(title) < 3:
                title = original[original.find(":") + 1 :]
            elif _words(original[: original.find(":")]) > 5:
                title = original
    elif len(title) > 150 or len(title) < 15:
        h1s = list(tree.iter("h1"))
        if len(h1s) == 1:
            title = _text(h1s[0])
    title = _collapse(title)
    # Cutting left too little: keep the original, unless a hierarchy ("A » B") lost
    # exactly its last level.
    count = _words(title)
    if count <= 4 and (not hierarchical or count != _words(_SEPARATOR_CHARS.sub("", original)) - 1):
        title = original
    return title


def _without_site_name(title: str, site_name: str, tree: lxml_html.HtmlElement) -> str:
    """The title without a leading or trailing part that names the site or the h1 leaves out."""
    parts = _SITE_SEPARATOR.split(title)
    if len(parts) < 3:
        return title
    first, last = parts[0], parts[-1]
    headline_of = "".join  # the parts between, separators kept
    if site_name and last.casefold() == site_name.casefold():
        return headline_of(parts[:-2])
    if site_name and first.casefold() == site_name.casefold():
        return headline_of(parts[2:])
    # No site name to go by: trust a heading that shows which part is the headline.
    # The kept part must be the longer: a logo in an h1 ("V8") is not the headline.
    h1s = {_text(h1).casefold() for h1 in tree.iter("h1")}
    for kept, dropped in ((headline_of(parts[:-2]), last), (headline_of(parts[2:]), first)):
        if kept.casefold() in h1s and len(kept) > len(dropped):
            return kept
    return title


def _wiki_title(tree: lxml_html.HtmlElement, values: dict[str, str]) -> tuple[str, str] | None:
    """A MediaWiki page's name and its wiki's, from a <title> of "Page - Wiki"."""
    generator = tree.xpath("string(//meta[@name='generator']/@content)").strip()
    headings = tree.xpath("//*[@id='firstHeading']")
    if not (generator.startswith("MediaWiki") or headings):
        return None
    split = _last_separator(_collapse(tree.findtext(".//title") or ""))
    if split is None:
        return None
    page, wiki = split
    # The page's name is its first heading: anything else is not the "Page - Wiki" form.
    if headings and page.casefold() != _text(headings[0]).casefold():
        return None
    return page, values.get("og:site_name") or wiki


def _without_site_suffix(title: str, url: str) -> str:
    """The title without a trailing " - Site" that a known name or the page's host confirms."""
    split = _last_separator(title)
    if split is None:
        return title
    headline, site = split
    if site.casefold() in _KNOWN_SITES:
        return headline
    if _words(headline) < 2 and len(headline) < 4:
        return title  # too little would be left: the "suffix" may be the headline
    squeezed = _NOT_ALNUM.sub("", site.casefold())
    host = url.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0].casefold()
    labels = [label for label in host.split(".") if label not in _HOST_NOISE]
    # "Ars Technica" on arstechnica.com; "BBC News" on bbc.co.uk, but only a name that
    # short may merely start with the host's: "Python developers celebrate" is a headline.
    if _words(site) <= 4 and squeezed in labels:
        return headline
    if _words(site) <= 2 and any(len(lb) >= 3 and squeezed.startswith(lb) for lb in labels):
        return headline
    return title


def _last_separator(title: str) -> tuple[str, str] | None:
    """The title split at its last " - ", " | ", " — " (…), or None if it has none."""
    matches = list(_SUFFIX_SEPARATOR.finditer(title))
    if not matches:
        return None
    head, tail = title[: matches[-1].start()].strip(), title[matches[-1].end() :].strip()
    return (head, tail) if head and tail else None


def _meta_values(tree: lxml_html.HtmlElement) -> dict[str, str]:
    """<meta> contents by normalised property or name ("og:title", "author", …)."""
    values: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        if not content:
            continue
        prop, name = meta.get("property"), meta.get("name")
        match = _PROPERTY.search(prop) if prop else None
        if match:
            values[_SPACES.sub("", match.group(0).lower())] = content.strip()
        elif name and _NAME.match(name):
            values[_SPACES.sub("", name.lower()).replace(".", ":")] = content.strip()
        if prop and prop.strip().lower() == "og:locale":
            values["og:locale"] = content.strip()
        if prop and prop.strip().lower() == "og:url":
            values["og:url"] = content.strip()
    return values


def _json_ld(tree: lxml_html.HtmlElement) -> dict[str, str]:
    """Title, author, site name and date from the first schema.org article in JSON-LD."""
    for script in tree.iter("script"):
        if script.get("type") != "application/ld+json":
            continue
        try:
            parsed = json.loads(_CDATA.sub("", script.text_content()))
        except ValueError:
            continue
        article = _ld_article(parsed)
        if article is not None:
            return _ld_fields(article, tree)
    return {}


def _ld_article(parsed: Any) -> dict[str, Any] | None:
    """The article object in parsed JSON-LD, or None."""
    if isinstance(parsed, list):
        parsed = next((it for it in parsed if _is_article(it)), None)
    if not isinstance(parsed, dict):
        return None
    context = parsed.get("@context")
    if isinstance(context, dict):
        context = context.get("@vocab")
    if not isinstance(context, str) or not _SCHEMA_ORG.match(context):
        return None
    if "@type" not in parsed and isinstance(parsed.get("@graph"), list):
        parsed = next((it for it in parsed["@graph"] if _is_article(it)), None)
    return parsed if _is_article(parsed) else None


def _is_article(item: Any) -> bool:
    """Whether a JSON-LD item's type is one of schema.org's article types."""
    kind = item.get("@type") if isinstance(item, dict) else None
    return isinstance(kind, str) and bool(_ARTICLE_TYPES.search(kind))


def _ld_fields(article: dict[str, Any], tree: lxml_html.HtmlElement) -> dict[str, str]:
    """The fields we use from a JSON-LD article."""
    fields: dict[str, str] = {}
    name, headline = article.get("name"), article.get("headline")
    if isinstance(name, str) and isinstance(headline, str) and name != headline:
        # Some sites put their own name in "name": take the one like the <title>.
        title = article_title(tree)
        if _similarity(headline, title) > 0.75 and not _similarity(name, title) > 0.75:
            fields["title"] = headline
        else:
            fields["title"] = name
    elif isinstance(name, str) or isinstance(headline, str):
        fields["title"] = (name if isinstance(name, str) else str(headline)).strip()
    author = article.get("author")
    if isinstance(author, list):
        names = [a.get("name") for a in author if isinstance(a, dict)]
        fields["author"] = ", ".join(n.strip() for n in names if isinstance(n, str))
    elif isinstance(author, dict) and isinstance(author.get("name"), str):
        fields["author"] = author["name"].strip()
    publisher = article.get("publisher")
    if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
        fields["site_name"] = publisher["name"].strip()
    if isinstance(article.get("datePublished"), str):
        fields["published"] = article["datePublished"].strip()
    return {key: value for key, value in fields.items() if value}


def _similarity(a: str, b: str) -> float:
    """How much of b's wording is in a (1.0: all of it), as Readability measures it."""
    tokens_a = {t for t in _TOKEN.split(a.lower()) if t}
    tokens_b = [t for t in _TOKEN.split(b.lower()) if t]
    if not tokens_a or not tokens_b:
        return 0.0
    unique_b = [t for t in tokens_b if t not in tokens_a]
    return 1 - len(" ".join(unique_b)) / len(" ".join(tokens_b))


def _language(tree: lxml_html.HtmlElement, values: dict[str, str]) -> str | None:
    """The ISO 639-1 code the page declares (<html lang> or og:locale), if any."""
    for declared in (tree.get("lang"), tree.get("xml:lang"), values.get("og:locale")):
        match = _LANGUAGE.match(declared.strip()) if declared else None
        if match:
            return match.group(1).lower()
    return None


def _canonical(tree: lxml_html.HtmlElement, values: dict[str, str]) -> str | None:
    """The page's canonical address (<link rel=canonical> or og:url) when it is absolute."""
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            href = (link.get("href") or "").strip()
            if href.startswith(("http://", "https://")):
                return href
    og_url = values.get("og:url", "")
    return og_url if og_url.startswith(("http://", "https://")) else None


def _unescape(text: str) -> str:
    """Entities left escaped in metadata (sites often escape twice) decoded."""

    def replace(match: re.Match[str]) -> str:
        if match.group(1):
            return _NAMED[match.group(1).lower()]
        code = int(match.group(2), 16) if match.group(2) else int(match.group(3))
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"

    return _ENTITY.sub(replace, text)


def _text(element: lxml_html.HtmlElement) -> str:
    """An element's text, whitespace collapsed."""
    return _collapse(element.text_content())


def _collapse(text: str) -> str:
    """Runs of whitespace made one space, and the ends trimmed."""
    return _SPACES.sub(" ", text).strip()


def _words(text: str) -> int:
    """Words as Readability counts them (split at whitespace)."""
    return len(_SPACES.split(text))
