"""Generic cue words for page furniture, in a few languages.

Cues look only at a capped head (and tail) of a line, and every pattern is a plain
alternation of literals or a bounded, non-nested repetition, so matching is linear
and never backtracks badly on scraped text. Nothing here names a particular site.
"""

from __future__ import annotations

import re

from reader.boilerplate.model import Kind

HEAD = 120
"""How many leading characters of a line the cue matchers look at."""

# Whole-line furniture: the entire (lowercased, stripped of trailing ":|>»›") line.
_EXACT: dict[str, Kind] = {}


def _exact(kind: Kind, *words: str) -> None:
    for word in words:
        _EXACT[word] = kind


# fmt: off
_exact(
    Kind.CHROME,
    "menu", "main menu", "navigation", "search", "search query", "home", "close", "open",
    "sign in", "log in", "login", "log out", "sign out", "register", "my account",
    "account", "profile", "view profile", "print", "email", "e-mail", "mail", "share",
    "share this", "share this article", "share this story", "share on facebook",
    "share on twitter", "tweet", "pin", "pin it", "facebook", "twitter", "linkedin",
    "whatsapp", "instagram", "youtube", "reddit", "pinterest", "tumblr", "flipboard",
    "telegram", "rss", "x", "copy", "copy link", "link copied", "copied", "more", "less",
    "show more", "show less", "load more", "see more", "next", "previous", "prev", "back",
    "back to top", "top", "skip", "toggle navigation", "toggle search", "options", "sections",
    "all sections", "follow", "follow us", "connect with us", "contact", "contact us",
    "about", "about us", "sitemap", "site map", "help", "faq", "careers", "jobs",
    "feedback", "accessibility", "rss feeds", "loading", "loading...", "advertise",
    "advertise with us", "menü", "suche", "teilen", "drucken", "anmelden", "startseite",
    "inicio", "buscar", "compartir", "imprimir", "accueil", "rechercher", "partager",
    "imprimer", "cerca", "condividi", "stampa", "início", "pesquisar", "compartilhar",
    "compartilhe", "поиск", "главная", "меню", "поделиться", "войти", "검색", "로그인",
    "공유", "메뉴", "ログイン", "検索", "メニュー", "シェア", "首页", "搜索", "分享", "登录",
    "watch", "listen", "video", "videos", "photos", "gallery", "live", "live tv",
    "breaking", "breaking news", "trending", "latest", "latest news", "popular", "topics",
    "tags", "tags:", "filed under", "categories", "category", "archives", "editions",
    "weather", "games", "puzzles", "crossword", "font size", "text size", "a a a",
    "print this article", "email this article", "save", "save article", "bookmark",
    "listen to this article", "audio", "play", "pause", "mute", "unmute", "full screen",
    "fullscreen", "expand", "collapse", "cancel", "submit", "ok", "got it", "accept",
    "i agree", "dismiss", "don't show again", "continue", "continue reading",
    "view all", "see all", "all news", "more news", "more stories", "|", "•", "·", "-",
    "»", "›", ">", "<", "/", "...", "…",
)
_exact(
    Kind.ADVERTISEMENT,
    "advertisement", "advertisements", "advertising", "ad", "ads", "sponsored",
    "sponsored content", "promoted", "promotion", "partner content", "paid content",
    "anzeige", "werbung", "publicidad", "publicité", "pubblicità", "publicidade",
    "reklama", "реклама", "광고", "広告", "广告", "advertentie", "story continues below",
    "story continues below advertisement", "article continues below advertisement",
    "continue reading below", "ad feedback", "report this ad", "close ad",
)
_exact(
    Kind.RELATED,
    "related", "related articles", "related stories", "related posts", "related content",
    "related news", "related topics", "related coverage", "related links", "read more",
    "read next", "read also", "see also", "also read", "more from", "you might also like",
    "you may also like", "you might like", "recommended", "recommended for you",
    "recommended stories", "most popular", "most read", "most viewed", "most shared",
    "editor's picks", "editors' picks", "top stories", "more on this story",
    "more coverage", "more in", "don't miss", "picked for you", "further reading",
    "leia também", "leia mais", "veja também", "lea también", "lesen sie auch",
    "mehr zum thema", "à lire aussi", "lire aussi", "vedi anche", "leggi anche",
    "lees ook", "читайте также", "похожие статьи", "관련기사", "관련 기사", "関連記事", "相关阅读",
    "相关文章", "popular posts", "recent posts", "latest posts", "similar posts",
)
_exact(
    Kind.NEWSLETTER,
    "subscribe", "subscribe now", "subscribe today", "newsletter", "newsletters",
    "sign up", "sign up now", "join now", "donate", "donate now", "support us",
    "become a member", "upgrade", "get the app", "download the app", "abonnieren",
    "suscríbete", "s'abonner", "abonnez-vous", "iscriviti", "assine", "inscreva-se",
    "подписаться", "구독", "購読", "订阅",
)
_exact(
    Kind.COMMENTS,
    "comments", "comment", "leave a comment", "leave a reply", "post comment",
    "post a comment", "view comments", "show comments", "add comment", "reply",
    "join the conversation", "join the discussion", "discussion", "kommentare",
    "comentarios", "comentários", "commentaires", "commenti", "комментарии", "댓글",
    "コメント", "评论",
)

# Line-start cues (lowercased head). One alternation per kind; literals only.
_PREFIX: list[tuple[Kind, re.Pattern[str], str]] = []


_PREFIX_STARTS: list[tuple[Kind, str, tuple[str, ...]]] = []


def _alternative(start: str) -> str:
    return re.escape(start) + (r"(?!\w)" if start[-1].isascii() and start[-1].isalnum() else "")


def _prefix(kind: Kind, reason: str, *starts: str) -> None:
    pattern = re.compile("(?:" + "|".join(map(_alternative, starts)) + ")")
    _PREFIX.append((kind, pattern, reason))
    _PREFIX_STARTS.append((kind, reason, starts))


_prefix(
    Kind.CHROME, "site navigation or a share/print widget",
    "skip to ", "skip navigation", "jump to ", "go to ", "you are here", "you are at",
    "share this", "share on ", "share via ", "share article", "share story", "click to share",
    "click to print", "click to email", "share:", "sharing:", "follow us on", "follow @",
    "copy link", "copy to clipboard", "copy/paste", "copy the link", "font size",
    "text size", "print options", "toggle ", "open menu", "close menu", "sign in to ",
    "log in to ", "already a subscriber", "already have an account", "open in app",
    "this site uses cookies", "we use cookies", "cookie settings", "cookie policy",
    "cookie preferences", "accept cookies", "manage cookies", "privacy settings",
    "your privacy", "javascript is disabled", "please enable javascript",
    "enable javascript", "your browser", "media playback is unsupported",
    "listen to this", "powered by ", "back to ", "return to ", "view in browser",
    "tags:", "tagged:", "tagged with", "this article is related to", "this entry was posted",
    "this post was posted", "bookmark the permalink", "filed under", "categories:", "category:",
    "topics:", "posted in ", "breadcrumb", "home >", "home »", "home /", "home ›",
    "(opens in new window)", "click here to ", "get breaking news",
)
_prefix(
    Kind.ADVERTISEMENT, "an advertisement marker",
    "advertisement", "sponsored by", "sponsored content", "paid content", "promoted by",
    "presented by", "story continues below", "article continues below",
    "continue reading below", "this content is sponsored", "ad -", "ad:", "[ad",
    "- advertisement", "— advertisement", "publicidad", "anzeige", "реклама",
)
_prefix(
    Kind.RELATED, "a related-links or recommendation list",
    "related:", "related ", "read more", "read also", "read next", "read:", "see also",
    "also read", "also:", "also see", "more from ", "more in ", "more on ", "more stories",
    "more news", "more coverage", "you might also", "you may also", "you might like",
    "you may like", "recommended", "popular on", "popular in", "popular now", "most popular",
    "most read", "most viewed", "trending",
    "editor's pick", "editors' pick", "top stories", "don't miss", "related post",
    "further reading", "leia também", "leia mais", "veja também", "lea también",
    "lee también", "lesen sie auch", "mehr zum thema", "lire aussi", "à lire aussi",
    "vedi anche", "leggi anche", "lees ook", "читайте также", "также читайте",
    "смотрите также", "читать также", "관련기사", "関連記事", "相关", "watch:", "watch now",
    "listen:", "view all", "see all", "previous article", "next article", "previous post",
    "next post", "prev post", "← ", "→ ",
)
_prefix(
    Kind.NEWSLETTER, "a newsletter, subscription or donation call to action",
    "subscribe", "sign up", "sign-up", "sign up for", "sign up to", "signup for", "get our ",
    "get the ",
    "join our ", "join the ", "newsletter", "support our ", "support independent",
    "donate", "become a member", "become a subscriber", "get unlimited access",
    "unlimited access", "start your free trial", "try it free", "want more ",
    "don't miss out", "stay up to date", "stay informed", "stay in the know",
    "enter your email", "your email address", "email address", "get breaking",
    "get alerts", "download our app", "download the app", "get the app",
    "abonnieren", "suscríbete", "suscribete", "abonnez-vous", "iscriviti", "assine",
    "inscreva-se", "подпишитесь", "구독", "receive our", "we respect your privacy",
)
_prefix(
    Kind.LEGAL, "a copyright, republishing or legal notice",
    "©", "(c) ", "copyright", "all rights reserved", "all content created by",
    "this material may not", "this article may not", "may not be published",
    "may not be reproduced", "republish", "reprints", "reproduction ", "terms of use",
    "terms of service", "terms and conditions", "privacy policy", "privacy notice",
    "cookie policy", "ad choices", "adchoices", "do not sell", "disclaimer",
    "disclosure:", "affiliate disclosure", "if you buy something", "we may earn",
    "we may receive", "this post may contain", "this article contains affiliate",
    "alle rechte vorbehalten", "todos los derechos", "tous droits réservés",
    "todos os direitos", "tutti i diritti", "все права защищены", "무단전재", "저작권",
)
_prefix(
    Kind.COMMENTS, "comment-section furniture",
    "comments", "comment on this", "leave a comment", "leave a reply", "post a comment",
    "post comment", "view comments", "show comments", "add a comment", "join the conversation",
    "join the discussion", "as you comment", "commenting ", "comment policy",
    "blog comments powered", "you must be logged in", "log in to comment",
    "sign in to comment", "be the first to comment", "no comments", "reply ",
)
_prefix(
    Kind.CAPTION, "a photo or video caption",
    "image caption", "media caption", "caption:", "image:", "photo:", "photos:", "video:",
    "picture:", "pictured:", "above:", "top:", "foto:", "bild:", "imagen:", "фото:",
)
_prefix(
    Kind.CREDIT, "a photo credit or copyright line",
    "image copyright", "image source", "image credit", "photo credit", "photo by ",
    "photograph:", "photograph by", "photo courtesy", "courtesy of ", "credit:",
    "credits:", "picture credit", "getty images", "(getty", "(photo", "(image", "(credit",
    "(ap photo", "ap photo", "source: getty", "shutterstock", "istock", "reuters/",
    "afp/", "ap/", "epa/", "foto: ", "bildquelle", "source:", "image via", "photo via",
)
_prefix(
    Kind.READING_TIME, "a reading-time estimate",
    "reading time", "estimated reading time", "read time", "lesezeit", "tiempo de lectura",
    "temps de lecture", "tempo de leitura",
)
_prefix(
    Kind.BYLINE, "a byline (kept as the author)",
    "by ", "written by", "words by", "author:", "authors:", "story by", "reporting by",
    "posted by", "published by", "von ", "por ", "par ", "di ", "door ", "автор:",
    "기자", "text:", "text by",
)
_prefix(
    Kind.TIMESTAMP, "a publication timestamp",
    "updated", "published", "posted", "last updated", "first published", "last modified",
    "date:", "modified:", "aktualisiert", "veröffentlicht", "publicado", "actualizado",
    "publié", "mis à jour", "pubblicato", "aggiornato", "опубликовано", "обновлено",
    "입력", "수정", "更新", "公開", "发布",
)

# fmt: on

_MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|"
    "july|august|september|october|november|december"
)
_DATE_WORD = re.compile(
    r"(?:\b(?:" + _MONTHS + r")\.?\s{1,3}\d{1,2}(?:st|nd|rd|th)?,?\s{0,3}(?:\d{4})?"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s{1,3}(?:" + _MONTHS + r")\.?,?\s{0,3}\d{4}"
    r"|\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b|\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b"
    r"|\b\d{1,2}:\d{2}\s{0,2}(?:am|pm|a\.m\.|p\.m\.)?"
    r"|\b\d{1,3}\s{0,2}(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?"
    r"|years?|h|m|d)\s{1,2}ago\b"
    r"|^(?:yesterday|today|just now)\b)"
)
"""A date, clock time or relative stamp ("10 hours ago") somewhere in a short line."""
_READING = re.compile(
    r"\b\d{1,3}\s{0,2}(?:-|–)?\s{0,2}(?:min|mins|minute|minutes|minuten)\.?\s{1,2}"
    r"(?:read|reading|lesen|lectura|leitura|de lecture)\b"
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_DIGITS = re.compile(r"\d")
_CREDIT_TAIL = re.compile(
    r"\b(?:getty images|shutterstock|istock|associated press|reuters|afp|ap|epa|"
    r"file photo|photo(?:s|graph\w*)?|images?|credits?|courtesy|copyright)\b"
    r"[^\n]{0,40}[\])]?\s{0,2}$"
)
_LABELLED_CREDIT = re.compile(
    r"(?:^|[.)|] )(?:source|photo|image|credit|photo credit|image credit|photograph|"
    r"illustration)s?: ?[^.:]{1,50}$",
    re.IGNORECASE,
)
"""A line closing on a labelled source or credit ("... fabric. Source: Crypton")."""
LABELLED_CREDIT_TAIL = 70
_CONTRIBUTORS = re.compile(
    r"\bcontributed(?: reporting| to (?:this|the) (?:report|article|story|post|content))\W{0,3}$"
)
"""The end of a contributors line ("Jane Doe contributed to this report.")."""
_BYLINE_NAME = re.compile(
    r"^(?:by|written by|words by|story by|von|por|par|di|door)\s{1,3}[^\W\d_]"
)
_WORD_CHARS = re.compile(r"[^\W\d_]")


CONTENTS_HEADINGS = frozenset(
    {
        "table of contents", "contents", "in this article", "in this post", "on this page",
        "article contents", "quick links", "jump to section",
    }
)  # fmt: skip
"""Headings of an in-page table of contents: the links packed under one are furniture."""
_exact(Kind.CHROME, *CONTENTS_HEADINGS)


def exact_kind(key: str) -> Kind | None:
    """Kind of a line that is, in its entirety, a furniture word ("Share", "Advertisement")."""
    return _EXACT.get(key)


def line_key(text: str) -> str:
    """Lowercased line without trailing punctuation/arrows, for exact furniture matching."""
    return text[:HEAD].lower().replace("\xa0", " ").strip().rstrip(":|>»›.…!").strip()


_COUNTED = re.compile(
    r"^\d[\d,.]{0,8}k?\s{0,2}(?:(shares?|likes?|views?|reads?|followers?)|"
    r"(comments?|thoughts? on|responses?( to)?|replies|reactions?))\b"
)
_MORE_HEADING = re.compile(r"^more\s[^\s]{1,30}(?:\s[^\s]{1,30}){0,4}$")


def counted_cue(head: str) -> Kind | None:
    """ "258 Shares", "6 thoughts on ...", "12 Comments": share counters and comment headers."""
    found = _COUNTED.match(head)
    if found is None:
        return None
    return Kind.CHROME if found.group(1) else Kind.COMMENTS


_GLUE = re.compile(r"[A-Z](?<=[a-z)'’”?!][A-Z])[a-z]")
"""A junction: a capitalized word glued to a lowercase letter, a closing quote or ?/!.

Anchored on the capital, which is far rarer in prose than the lowercase letter before it,
so the scan is about twice as fast as starting from the lowercase letter."""


def glued_teaser(text: str) -> bool:
    """A link title run into its blurb ("...In NASCAR FinaleFord v Toyota flopped...").

    Scraped teaser lists lose the break between a title-case headline and its summary;
    the junction shows as a lowercase letter (or ?/!) followed by a capitalized word,
    with at least three title-case words before it.
    """
    if _GLUE.search(text, 13, 220) is None:  # most lines: no junction at all
        return False
    allowed = 12  # junctions do not overlap: "InLinkedIn" has one at "nLi", not at "dIn"
    for found in _GLUE.finditer(text, 13, 220):
        junction = found.start() - 1
        if junction < allowed:
            continue
        allowed = junction + 3
        # The word holding the junction must be capitalized ("...FinaleFord"): cheap test first.
        if not text[text.rfind(" ", 0, junction) + 1].isupper():
            continue
        before = text[: junction + 1].split()
        if len(before) < 3:
            continue
        capital = sum(1 for word in before if word[:1].isupper() or not word[:1].isalpha())
        if capital >= 0.75 * len(before) and before[-1][:1].isupper():
            return True
    return False


_CRUMB_MARKS = (" > ", " » ", " › ", " / ", " | ", " · ", " • ")
_CRUMB_MARK = re.compile(" [>»›/|·•] ")
"""Any of `_CRUMB_MARKS`."""


def breadcrumb(text: str) -> bool:
    """ "Home > News > World": two or more path separators between short items."""
    if _CRUMB_MARK.search(text) is None:  # most lines: no separator at all
        return False
    for mark in _CRUMB_MARKS:
        if text.count(mark) >= 2:
            parts = text.split(mark)
            if all(len(part) <= 40 for part in parts):
                return True
    return False


_CALL_TO_ACTION = re.compile(
    r"^(?:buy|shop|book|order|get|check|view|compare|try|download|start|request|schedule|"
    r"claim|grab|see|find|reserve|subscribe|join|explore)\b[^.!?]{0,40}\b(?:now|today|price|"
    r"prices|pricing|deal|deals|demo|quote|offer|offers|rates|availability|free trial|"
    r"on amazon|at amazon|tickets)$"
)


_SHOPPING_LINK = re.compile(
    r"(?:price comparison (?:from|at|on|of) |view on |read (?:the )?full review|see full review"
    r"|\$\d[\d,.]{0,9}(?: \$\d[\d,.]{0,9})? (?:at|from|on) \w)"
)


def shopping_link(head: str) -> bool:
    """A retailer button of a buying guide: "$35 at Amazon", "View on Walmart", "Read full
    review", "Price comparison from ..." (`head` lowercased)."""
    return _SHOPPING_LINK.match(head) is not None


def call_to_action(head: str) -> bool:
    """A button-like sales line: "Buy now", "Check price on Amazon", "Get a demo"."""
    return _CALL_TO_ACTION.match(head) is not None


def more_heading(head: str) -> bool:
    """ "More Washington Examiner", "More Great Stories": a short teaser-list heading."""
    if _MORE_HEADING.match(head) is None:
        return False
    second = head.split(maxsplit=2)[1]
    return second not in _MORE_NOT_HEADING


_MORE_NOT_HEADING = frozenset(
    {"than", "and", "of", "to", "or", "is", "are", "was", "were", "people", "likely", "often"}
)


def _by_first_character() -> dict[str, tuple[re.Pattern[str], list[tuple[Kind, str]]]]:
    """The line-start cues split by first character, each an alternation with one group
    per kind in table order, so a line is tried only against cues that can match it."""
    firsts = {start[0] for _, _, starts in _PREFIX_STARTS for start in starts}
    table: dict[str, tuple[re.Pattern[str], list[tuple[Kind, str]]]] = {}
    for first in firsts:
        groups: list[str] = []
        kinds: list[tuple[Kind, str]] = []
        for kind, reason, starts in _PREFIX_STARTS:
            mine = [_alternative(start) for start in starts if start[0] == first]
            if mine:
                groups.append("(" + "|".join(mine) + ")")
                kinds.append((kind, reason))
        table[first] = (re.compile("|".join(groups)), kinds)
    return table


_PREFIX_BY_FIRST = _by_first_character()


def prefix_cue(head: str) -> tuple[Kind, str] | None:
    """The first cue kind whose line-start pattern matches `head` (already lowercased)."""
    entry = _PREFIX_BY_FIRST.get(head[:1])
    if entry is None:
        return None
    pattern, kinds = entry
    found = pattern.match(head)
    if found is None:
        return None
    return kinds[found.lastindex - 1]


def is_dateish(head: str) -> bool:
    """A short line that is mostly a date, clock time or relative stamp."""
    if _DIGITS.search(head) is None and not head.startswith(("yesterday", "today", "just")):
        return False
    covered = 0
    for count, found in enumerate(_DATE_WORD.finditer(head)):
        covered += found.end() - found.start()
        if count >= 3:
            break
    return covered > 0 and len(head) - covered <= 28


def is_reading_time(head: str) -> bool:
    return _READING.search(head) is not None


def has_year(head: str) -> bool:
    return _YEAR.search(head) is not None


def has_digit(head: str) -> bool:
    return _DIGITS.search(head) is not None


def credit_tail(tail: str) -> bool:
    """A line whose end names a photo agency or credit ("... (Getty Images)")."""
    return _CREDIT_TAIL.search(tail) is not None


def labelled_credit(text: str) -> int | None:
    """Where a line's closing "Source: X", "Photo: X", "Credit: X" starts (0: the whole line
    is the credit), or None. Only its last `LABELLED_CREDIT_TAIL` characters are read."""
    found = _LABELLED_CREDIT.search(text, max(0, len(text) - LABELLED_CREDIT_TAIL))
    return None if found is None else found.start()


def contributors_tail(tail: str) -> bool:
    """A line ending like a contributors note ("... contributed reporting.")."""
    return _CONTRIBUTORS.search(tail) is not None


def byline_start(head: str) -> bool:
    """ "By Jane Doe", "von Max Muster": a byline word followed by a name."""
    return _BYLINE_NAME.match(head) is not None


_NOT_LATIN = re.compile(r"[^\x00-\u024f\u2000-\u206f]")
_LATIN_LETTER = r"[a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]"


def word_pattern(minimum: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Two patterns for lowercased words of `minimum`+ letters: Latin script, and any script.

    They find the same words in Latin-script text (ASCII, Latin-1, Latin Extended, general
    punctuation); the first tests a character range instead of a Unicode category and is
    several times faster on the bulk of news prose.
    """
    return (
        re.compile(f"{_LATIN_LETTER}{{{minimum},}}"),
        re.compile(rf"[^\W\d_]{{{minimum},}}"),
    )


def latin(text: str) -> bool:
    """Only Latin-script letters, digits and punctuation in `text` (see `word_pattern`)."""
    return text.isascii() or _NOT_LATIN.search(text) is None


def letter_count(text: str) -> int:
    return len(_WORD_CHARS.findall(text))
