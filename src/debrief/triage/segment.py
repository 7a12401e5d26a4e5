"""Segmentation: from a pasted e-mail or note to the statements worth triaging.

Real feedback arrives as whole e-mails: greetings, signatures, disclaimers, HTML, bullet lists,
quoted replies. This module removes what carries no feedback, splits the rest into sentences and
bullets, and proposes where a sentence could be split at a contrastive join ("..., but ...");
whether it *is* split is the classifier's decision (only when the parts carry different labels).
Standard library only.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

MAX_INPUT = 200_000  # characters looked at; feedback text is already bounded at storage


@dataclass(frozen=True, slots=True)
class Segment:
    """One candidate statement.

    `parts` holds the pieces between contrastive joins (a single piece when there is none);
    `hint` is the label a section heading implies ("What went well:" → strength).
    """

    text: str
    parts: tuple[str, ...]
    hint: str | None = None


# -- HTML ------------------------------------------------------------------------------------

_BLOCK_TAGS = {
    "p", "div", "br", "tr", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "section", "article", "header", "footer", "hr", "pre",
}  # fmt: skip


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip += 1
        elif tag == "li":
            self.chunks.append("\n- ")
        elif tag in _BLOCK_TAGS:
            self.chunks.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS or tag == "li":
            self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.chunks.append(data)


_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});")


def html_to_text(text: str) -> str:
    """Plain text from HTML (or from text with HTML remnants such as <br> and &nbsp;)."""
    if not _TAG.search(text):
        return html.unescape(text) if _ENTITY.search(text) else text
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    return "".join(parser.chunks)


# -- what is not feedback --------------------------------------------------------------------

_ON_WROTE = re.compile(r"^\s*on\b.{0,160}\bwrote:\s*$", re.IGNORECASE)
_ORIGINAL = re.compile(r"^\s*(-{2,}\s*original message\s*-{2,}|_{8,})\s*$", re.IGNORECASE)
_FROM = re.compile(r"^\s*from:\s", re.IGNORECASE)
_SENT = re.compile(r"^\s*(sent|date):\s", re.IGNORECASE)
_FORWARD_HEADER = re.compile(
    r"^\s*(-{2,}\s*forwarded message\s*-{2,}|begin forwarded message:)\s*$", re.IGNORECASE
)
_HEADER_LINE = re.compile(r"^\s*(from|to|cc|bcc|sent|date|subject)\s*:", re.IGNORECASE)
_GREETING = re.compile(
    r"^\s*(hi|hello|hey|dear|greetings|good (morning|afternoon|evening))\b[^.!?\n]{0,40}?"
    r"([,!:]|\s-|\s—)\s*",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"^\s*(best|best regards|kind regards|warm regards|warmest regards|regards|many thanks|"
    r"thanks( again)?|thank you|cheers|sincerely|yours sincerely|all the best|talk soon|"
    r"respectfully|best wishes|with appreciation|take care)\s*[,.!]?\s*$",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"(confidential|intended (solely )?(only )?for|intended recipient|privileged)"
    r"|^\s*sent from my \w+"
    r"|unsubscribe|view (this email )?in (your )?browser|privacy policy|all rights reserved"
    r"|^\s*(tel|phone|mobile|m|t|fax)\s*[:.]?\s*\+?[\d()][\d\s().-]{6,}$"
    r"|^\s*(https?://|www\.)\S+\s*$"
    r"|^\s*\S+@\S+\.\w+\s*$",
    re.IGNORECASE,
)

_STRENGTH_HEADING = re.compile(
    r"^\s*(what (went|was) (well|good|great)|strengths?|good|great|positives?|pros|"
    r"keep doing|what (i|we) liked|highlights|went well|nice)\b[^:]{0,30}:\s*$",
    re.IGNORECASE,
)
_GAP_HEADING = re.compile(
    r"^\s*(what to (work on|improve)|to work on|work on|improve|improvements?|"
    r"areas? (for|of) (improvement|growth|development)|next time|gaps?( i noticed)?|"
    r"weaknesses|cons|to improve|suggestions|things to (practise|practice|improve)|"
    r"even better if|growth areas?|development areas?)\b[^:]{0,30}:\s*$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*([-*•–·▪◦]|\d{1,2}[.)]|[a-hA-H][.)])\s+")


def _cut_quoted_reply(lines: list[str]) -> list[str]:
    """Everything before the first quoted reply ("On ... wrote:", "From: ... Sent: ...")."""
    kept: list[str] = []
    for index, line in enumerate(lines):
        if line.lstrip().startswith(">"):
            continue
        # "On <date> <name> <address> wrote:" is often wrapped over two lines.
        two_lines = " ".join(part.strip() for part in lines[index : index + 2])
        if (
            _ON_WROTE.match(line)
            or (line.strip().lower().startswith("on ") and _ON_WROTE.match(two_lines))
            or _ORIGINAL.match(line)
            or (_FROM.match(line) and any(_SENT.match(n) for n in lines[index + 1 : index + 4]))
        ):
            break
        kept.append(line)
    return kept


def _drop_forward_headers(lines: list[str]) -> list[str]:
    kept: list[str] = []
    in_header = False
    for line in lines:
        if _FORWARD_HEADER.match(line):
            in_header = True
            continue
        if in_header and (_HEADER_LINE.match(line) or not line.strip()):
            if not line.strip():
                in_header = False
            continue
        in_header = False
        kept.append(line)
    return kept


def _cut_signature(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        if line.rstrip() in ("--", "-- ", "—"):
            return lines[:index]
    # A sign-off followed only by a few short lines (name, title, company) ends the message.
    for index in range(len(lines) - 1, -1, -1):
        if _SIGN_OFF.match(lines[index]):
            tail = [t for t in lines[index + 1 :] if t.strip()]
            if len(tail) <= 5 and all(len(t.split()) <= 8 for t in tail):
                return lines[:index]
            break
    return lines


def clean_lines(text: str) -> list[str]:
    """The lines of `text` that can carry feedback: no HTML, quotes, headers or signatures."""
    text = html_to_text(text[:MAX_INPUT]).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    lines = _cut_quoted_reply(_drop_forward_headers(text.split("\n")))
    lines = [
        line.rstrip()
        for line in lines
        if not (_HEADER_LINE.match(line) or _BOILERPLATE.search(line))
    ]
    return _cut_signature(lines)


# -- sentences and contrastive joins -----------------------------------------------------------

_ABBREVIATIONS = (
    "e.g.", "i.e.", "etc.", "vs.", "approx.", "dr.", "mr.", "mrs.", "ms.", "prof.", "inc.",
    "ltd.", "co.", "jr.", "sr.", "no.", "fig.", "u.s.", "a.m.", "p.m.", "cf.", "et al.",
)  # fmt: skip
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_CONTRAST = re.compile(
    r"(?:[,;]\s*|\s+[-–—]\s+|\s+)"
    r"(?:but|however|though|although|"
    r"and (?:in the end|ultimately|unfortunately|finally|at the end of the day)|"
    r"so unfortunately|unfortunately|that said|having said that|on the other hand)"
    r"(?:,\s*|\s+)",
    re.IGNORECASE,
)
# A piece shorter than this is a fragment ("but cancellations do too?"), not a statement.
_MIN_PART_WORDS = 4


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences, keeping abbreviations and decimals together."""
    protected = paragraph
    for abbreviation in _ABBREVIATIONS:
        pattern = re.compile(re.escape(abbreviation), re.IGNORECASE)
        protected = pattern.sub(lambda m: m.group(0).replace(".", "\x00"), protected)
    pieces = _SENTENCE_END.split(protected)
    return [p.replace("\x00", ".").strip() for p in pieces if p.strip()]


def contrastive_parts(sentence: str) -> tuple[str, ...]:
    """The pieces of a sentence between contrastive joins, each long enough to stand alone."""
    starts = [0]
    ends = []
    for match in _CONTRAST.finditer(sentence):
        ends.append(match.start())
        starts.append(match.end())
    ends.append(len(sentence))
    spans = list(zip(starts, ends, strict=True))
    short = next(
        (i for i, (a, b) in enumerate(spans) if _words(sentence[a:b]) < _MIN_PART_WORDS), None
    )
    while len(spans) > 1 and short is not None:
        # Too short to stand alone: join it to its neighbour, join words included.
        if short == 0:
            spans[0:2] = [(spans[0][0], spans[1][1])]
        else:
            spans[short - 1 : short + 1] = [(spans[short - 1][0], spans[short][1])]
        short = next(
            (i for i, (a, b) in enumerate(spans) if _words(sentence[a:b]) < _MIN_PART_WORDS), None
        )
    parts = tuple(sentence[a:b].strip(" ,;:-–—") for a, b in spans)
    return tuple(p for p in parts if p) or (sentence,)


def _words(text: str) -> int:
    return len(text.split())


def _strip_greeting(paragraph: str, first: bool) -> str:
    if not first:
        return paragraph
    match = _GREETING.match(paragraph)
    if match is None:
        return paragraph
    rest = paragraph[match.end() :]
    # "Hi Priya," alone, or "Hi Priya, thanks for ..." with the greeting removed.
    return rest if len(match.group(0).split()) <= 5 else paragraph


def segment(text: str) -> list[Segment]:
    """Split feedback text into candidate statements, in reading order."""
    segments: list[Segment] = []
    hint: str | None = None
    paragraph: list[str] = []
    first = True
    after_blank = False

    def flush() -> None:
        nonlocal first
        if not paragraph:
            return
        joined = " ".join(" ".join(paragraph).split())
        paragraph.clear()
        joined = _strip_greeting(joined, first)
        first = False
        for sentence in split_sentences(joined):
            if _is_statement(sentence):
                segments.append(Segment(sentence, contrastive_parts(sentence), hint))

    for line in clean_lines(text):
        stripped = line.strip()
        if not stripped:
            flush()
            after_blank = True
            continue
        if _STRENGTH_HEADING.match(stripped) or _GAP_HEADING.match(stripped):
            flush()
            hint = "strength" if _STRENGTH_HEADING.match(stripped) else "constructive"
            after_blank = False
            continue
        bullet = _BULLET.match(line)
        if bullet:
            flush()
            paragraph.append(line[bullet.end() :])
            flush()
            after_blank = False
            continue
        if stripped.endswith(":") and len(stripped.split()) <= 8:
            flush()  # a heading we do not know: drop it, and any section hint with it
            hint = None
            continue
        if after_blank:
            hint = None  # a new plain paragraph leaves the heading's section
        after_blank = False
        paragraph.append(stripped)
    flush()
    return segments


_WORD = re.compile(r"[A-Za-z]{2,}")


def _is_statement(sentence: str) -> bool:
    # Lone names, initials, dates and punctuation carry no feedback.
    return len(_WORD.findall(sentence)) >= 2
