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
from itertools import islice

MAX_INPUT = 200_000  # characters looked at; feedback text is already bounded at storage


@dataclass(frozen=True, slots=True)
class Segment:
    """One candidate statement.

    `parts` holds the pieces between contrastive joins ("but", "however", a semicolon, a dash;
    a single piece when there is none); `clauses` the pieces between commas, for a comma splice
    ("Solid modelling, shaky on experiment design"); `hint` is the label a section heading
    implies ("What went well:" → strength).
    """

    text: str
    parts: tuple[str, ...]
    hint: str | None = None
    clauses: tuple[str, ...] = ()


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


# Only real HTML tag names count: "WHERE start<end AND end>now" and "List<String>" are text.
_TAG = re.compile(
    r"</?(html|head|body|div|p|br|span|a|b|i|u|em|strong|ul|ol|li|table|tbody|thead|tr|td|th|"
    r"h[1-6]|font|blockquote|pre|style|script|meta|img|hr|center|section|article|header|footer)"
    r"(\s[^<>]*)?/?>",
    re.IGNORECASE,
)
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

# A reply header names a date or an address: "On the SQL question you wrote:" is feedback.
_ON_WROTE = re.compile(r"^\s*on\b(?=.*(\d|@)).{0,160}\bwrote:\s*$", re.IGNORECASE)
_ORIGINAL = re.compile(r"^\s*(-{2,}\s*original message\s*-{2,}|_{8,})\s*$", re.IGNORECASE)
_FROM = re.compile(r"^\s*from:\s", re.IGNORECASE)
_SENT = re.compile(r"^\s*(sent|date):\s", re.IGNORECASE)
_FORWARD_HEADER = re.compile(
    r"^\s*(-{2,}\s*forwarded message\s*-{2,}|begin forwarded message:)\s*$", re.IGNORECASE
)
_HEADER_LINE = re.compile(r"^\s*(from|to|cc|bcc|sent|date|subject)\s*:", re.IGNORECASE)
_GREETING = re.compile(
    r"^\s*(hi|hello|hey|dear|greetings|good (morning|afternoon|evening)|hola|bonjour|"
    r"bonsoir|salut|hallo|guten tag|ciao|buongiorno|olá|ola|hej|hoi|namaste)\b[^.!?\n]{0,40}?"
    r"([,!:]|\s-|\s—)\s*",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"^\s*(best|best regards|kind regards|warm regards|warmest regards|regards|many thanks|"
    r"thanks( again)?|thank you|cheers|sincerely|yours sincerely|all the best|talk soon|"
    r"respectfully|best wishes|with appreciation|take care|saludos|un saludo|atentamente|"
    r"cordialement|bien à vous|mit freundlichen grüßen|viele grüße|gruß|grüße|"
    r"cordiali saluti|saluti|groeten|met vriendelijke groet|abraços|atenciosamente)"
    r"\s*[,.!]?\s*$",
    re.IGNORECASE,
)
# Footer lines: legal notices (a confidentiality word *and* a word about the message itself),
# copyright and trademark lines, mail-client taglines, unsubscribe and preference links,
# automated-mail notices, auto-replies, and contact lines (a phone, an address, a URL).
_BOILERPLATE = re.compile(
    r"^(?=.*\b(confidential(ity)?|privileged)\b)(?=.*\b(intended|recipient|e-?mail|message|"
    r"attachments?|transmission)\b)"
    r"|^\s*sent from my \w+|^\s*(get|download) outlook for"
    r"|\bunsubscribe\b|view (this (e-?mail|message) )?in (your |a )?(web )?browser"
    r"|\b(privacy (policy|notice|statement)|terms of (use|service)|cookie policy)\b"
    r"|all rights reserved|(©|\(c\)|copyright)\s*(\d{4}|[a-z])|\btrademarks?\b"
    r"|\b(and/or|and or) its (affiliates|subsidiaries)|\bregistered (office|in england)"
    r"|\bcompany (registration|number)"
    r"|\b(manage|update|change) (your )?(e-?mail |notification |communication |subscription )?"
    r"(preferences|settings|subscriptions?)\b|\b(opt[- ]out|email preferences)\b"
    r"|\byou (are )?(received?|receiving|get(ting)?) this (e-?mail|message|notification|alert)"
    r"|\b(do not|don't|please don't|please do not) (reply|respond) (to|directly)"
    r"|\b(this|it) (is|was) an? (automated|automatic|auto-generated|system-generated) "
    r"|\b(no-?reply|donotreply|do-not-reply)@"
    r"|\b(out of (the )?office|on (annual )?leave|away from (the office|my desk)) "
    r"(until|from|and|with)"
    r"|\b(i am|i'm|i will be) (currently )?(out of (the )?office|away|on (annual |parental )?leave)"
    r"|\bautomatic reply\b|\bauto-?reply\b|\bpowered by\b"
    r"|\b(automated|automatic|auto-generated) (message|e-?mail|notification|reply)\b"
    r"|\breplies (to this \w+ )?(are|will) not (be )?(read|monitored)|\b(inbox|mailbox|address) is "
    r"not monitored\b"
    r"|^\s*(content-[a-z-]+|mime-version|x-[a-z-]+)\s*:"
    r"|^\s*(invitation|updated invitation|accepted|declined|tentative):|\battendees\s*:"
    r"|\bview all guest info\b|\bgoing\?\s*yes\b|\badd to (my )?calendar\b"
    r"|\b(vertraulich|confidencial|confidentiel|riservat)"
    r"|\b\d{1,5}[a-z]?,? [a-z]+( [a-z]+)? (street|st\.?|road|rd\.?|row|avenue|ave\.?|lane|"
    r"drive|way|square|place|boulevard|blvd|strasse|straße|floor)\b(?=.*(,|\d))"
    r"|\b(powered by|sent (via|with|by)) (workday|greenhouse|lever|icims|smartrecruiters|taleo|"
    r"ashby|jobvite|bamboohr|workable|teamtailor|recruitee)\b"
    r"|\b(job alert|jobs? (you|that) may (like|be interested)|recommended jobs|similar jobs)\b"
    r"|\b(follow us|connect with us|find us) on\b|\blearn more about (us|our|the company)\b"
    # Prompts on a footer line of their own, followed by a link or a colon ("share your
    # experience with numbers" or "take a survey of users" in feedback stays).
    r"|\bbefore printing (this|the) (e-?mail|message)\b"
    r"|^\W*((please )?(download|get) (our|the) (\w+ )?app"
    r"|(please )?(rate|tell us about|share) your (candidate |interview |application )?experience"
    r"|(please )?(take|complete|fill (in|out)) (our|a|this|the) (short |quick |brief )?survey)"
    r"\s*(:|-|–|—|here\b|now\b|at\b|via\b|on\b|https?://|www\.|\(|$|(to|and) help\b|so (we|that)\b)"
    r"|\b(sitz der gesellschaft|amtsgericht|registergericht|handelsregister|geschäftsführer"
    r"|ust-idnr|vat (no|number|reg))\b|\bhrb \d"
    r"|\b[a-zäöü]+(straße|strasse|gasse|allee|platz)\s+\d{1,4}[a-z]?\b"
    r"|\b(reference|ref|requisition|req|tracking|candidate|application) (id|number|no\.?|#)\s*[:#]?"
    r"\s*[a-z0-9-]*\d"
    r"|^\s*(tel|phone|mobile|m|t|fax)\s*[:.]?\s*\+?[\d()][\d\s().-]{6,}$"
    r"|^\s*[(<\[]?(https?://|www\.)\S+\s*$"
    r"|^\s*[^\s@]+@[^\s@]+\.\w+\s*$",
    re.IGNORECASE,
)
# Zero-width and bidirectional control characters: invisible, and no part of a statement.
_INVISIBLE = dict.fromkeys([0x00AD, 0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060,
                            0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])  # fmt: skip
# A run of letters and digits with no space, longer than any word: a base64 body, a tracking
# token, a hash. A line carrying one (and little else) is not feedback.
_BLOB = re.compile(r"[A-Za-z0-9+/=_%-]{40,}")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]{1,2000}", re.IGNORECASE)
# A signature line: a name, a title and a company separated by bars, bullets or dashes, with a
# recruiting or job title among them.
_TITLE_LINE = re.compile(
    r"\b(recruit(er|ing|ment)|talent|acquisition|sourcer|people (team|partner|operations)|"
    r"human resources|hr|hiring manager|coordinator|business partner|head of|director|vp|"
    r"manager|lead|engineer|scientist|analyst|specialist|officer|founder|ceo|cto)\b",
    re.IGNORECASE,
)
_PHONE = re.compile(r"\+?\d[\d ().-]{7,}\d")
_ADDRESS = re.compile(r"[^\s@]{1,200}@[^\s@]{1,200}\.\w+")

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
# A title over a note ("Notes from today's mock SQL (Dana)", "Self-debrief after the onsite."):
# the first line, short, with more below it, that names a kind of note.
_TITLE_WORD = re.compile(
    r"\b(notes?|feedback|debrief(ing)?|self-debrief|reflections?|recap|summary|review|mock|"
    r"session|interview)\b",
    re.IGNORECASE,
)
_TITLE_START = re.compile(
    r"^\s*(notes? (from|to|on|after|for|of)|self[- ]debrief|debrief(ing)? (after|on|from|of)|"
    r"reflections? (on|after|from)|recap (of|from)|summary (of|from))\b",
    re.IGNORECASE,
)
_MAX_TITLE_WORDS = 12
_MAX_LEAD_IN_WORDS = 40


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
    # A sign-off followed only by a few lines that read like a name, a title or a company (short,
    # no bullet, no sentence) ends the message; anything more is feedback and stays.
    for index in range(len(lines) - 1, -1, -1):
        if _SIGN_OFF.match(lines[index]):
            tail = [t for t in lines[index + 1 :] if t.strip()]
            if len(tail) <= 4 and all(_signature_line(t) for t in tail):
                return lines[:index]
            break
    return lines


def _signature_line(line: str) -> bool:
    """A line that could be part of a signature: a name, a title, a company, a contact line."""
    stripped = line.strip()
    if _BULLET.match(line) or stripped.endswith((".", "!", "?", ":")):
        return False
    words = len(stripped.split())
    # After a sign-off, "Lead Talent Partner, Data & Analytics" is a title too.
    titled = words <= 10 and bool(_TITLE_LINE.search(stripped))
    return words <= 5 or _contact_line(stripped) or titled


def _contact_line(line: str) -> bool:
    """A short line carrying a phone number, an address or several '|' separators (or '·'
    and '•' ones with a number among the pieces: "Lindqvist AB · Sveavägen 44 · Stockholm")."""
    short = len(line.split()) <= 14
    dotted = line.count("·") + line.count("•") >= 2 and any(c.isdigit() for c in line)
    return short and bool(
        _PHONE.search(line) or _ADDRESS.search(line) or line.count("|") >= 2 or dotted
    )


def clean_lines(text: str) -> list[str]:
    """The lines of `text` that can carry feedback: no HTML, quotes, headers, footers,
    signatures, encoded blobs or bare links."""
    text = html_to_text(text[:MAX_INPUT]).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\x00", "").translate(_INVISIBLE)
    text = text.replace(_KEPT_DOT, "")
    lines = _cut_quoted_reply(_drop_forward_headers(text.split("\n")))
    kept = []
    for raw in lines:
        if _HEADER_LINE.match(raw) or _BOILERPLATE.search(raw) or _contact_line(raw):
            continue
        line = raw
        if _BLOB.search(line):
            line = _BLOB.sub(" ", line)
            if len(_WORD.findall(line)) < 3:
                continue  # a line of encoded text or a tracking token, with little else
        if _URL.search(line):
            line = _URL.sub("", line).replace("()", "").replace("<>", "")
        if _signature_title(line):
            continue
        kept.append(line.rstrip())
    return _cut_signature(kept)


# A run of spaces read from its first space only (a space not after a space): `\s+` would be
# tried from each space of a long run, in quadratic time. The space comes first so that the
# engine still skips quickly to the next space.
_SPACES = r"\s(?<!\s\s)\s*"
_SIGNATURE_SEPARATOR = re.compile(rf"[|•·]\s*|{_SPACES}(?:[|•·]\s*|[-–—]\s+)")


def _signature_title(line: str) -> bool:
    """A "Name | Senior Technical Recruiter | Company" line: short pieces between separators,
    one of them a job title, and no sentence."""
    pieces = [p for p in _SIGNATURE_SEPARATOR.split(line.strip()) if p]
    return (
        len(pieces) >= 2
        and all(len(p.split()) <= 5 for p in pieces)
        and not line.rstrip().endswith((".", "!", "?"))
        and bool(_TITLE_LINE.search(line))
    )


# -- sentences and contrastive joins -----------------------------------------------------------

_ABBREVIATIONS = (
    "e.g.", "i.e.", "etc.", "vs.", "approx.", "dr.", "mr.", "mrs.", "ms.", "prof.", "inc.",
    "ltd.", "co.", "jr.", "sr.", "no.", "fig.", "u.s.", "a.m.", "p.m.", "cf.", "et al.",
)  # fmt: skip
_KEPT_DOT = "\ue000"  # a private-use character stands in for a dot that ends no sentence
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
# Contrastive joins: a contrast word after a comma, a semicolon, a dash or a space ("Great SQL
# but weak stats"), "while" and "whereas" after a comma, and a bare semicolon or spaced dash.
_CONTRAST = re.compile(
    rf"(?:[,;]\s*|{_SPACES}[-–—]\s+|{_SPACES})"
    r"(?:but|however|though|although|yet|"
    r"and (?:in the end|ultimately|unfortunately|finally|at the end of the day)|"
    r"so unfortunately|unfortunately|that said|having said that|on the other hand)"
    r"(?:,\s*|\s+)"
    rf"|(?:[,;]\s*|{_SPACES}[-–—]\s+)(?:while|whereas)\s+"
    rf"|;\s*|{_SPACES};\s*|{_SPACES}[-–—]\s+",
    re.IGNORECASE,
)
# "not only ... but also", "all but", "nothing but", "but for": no contrast between judgements.
_NOT_A_JOIN = re.compile(r"^\s*(?:but|yet)\s+(?:also|too|still|not only)\b", re.IGNORECASE)
_MAX_JOINS = 8
LEADING_CONTRAST = re.compile(
    r"^\s*(although|though|even though|while|whereas|despite|in spite of)\b", re.IGNORECASE
)
# A comma followed by a space (not "1,000"), for comma splices between judgements; not before a
# phrase that goes on with the clause before it ("..., including the power analysis", "...,
# which"), which judges nothing of its own.
_COMMA = re.compile(
    r",\s+(?!(?:including|especially|particularly|notably|such as|which|whose)\b)",
    re.IGNORECASE,
)
_MAX_CLAUSES = 6


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences, keeping abbreviations and decimals together."""
    protected = paragraph
    for abbreviation in _ABBREVIATIONS:
        pattern = re.compile(re.escape(abbreviation), re.IGNORECASE)
        protected = pattern.sub(lambda m: m.group(0).replace(".", _KEPT_DOT), protected)
    pieces = _SENTENCE_END.split(protected)
    return [p.replace(_KEPT_DOT, ".").strip() for p in pieces if p.strip()]


def contrastive_parts(sentence: str) -> tuple[str, ...]:
    """The pieces of a sentence between contrastive joins, whatever their length ("Great SQL
    but your test ignored power" has two); whether the sentence is split there is the
    classifier's decision. "Although X, Y" counts as a join at its first comma. A sentence
    with more joins than any real feedback has (a run-on list, or junk) is left whole.
    """
    cuts = [
        (m.start(), m.end())
        for m in islice(_CONTRAST.finditer(sentence), _MAX_JOINS + 1)
        if not _NOT_A_JOIN.match(sentence[m.start() :].lstrip(" ,;-–—"))
    ]
    if len(cuts) > _MAX_JOINS:
        return (sentence,)
    if LEADING_CONTRAST.match(sentence):
        comma = sentence.find(",")
        if comma > 0 and (not cuts or comma < cuts[0][0]):
            cuts.insert(0, (comma, comma + 1))
    return _pieces(sentence, cuts)


def comma_clauses(sentence: str) -> tuple[str, ...]:
    """The pieces of a sentence between its commas ("Solid modelling, shaky on experiment
    design"), or the sentence alone when it has none or too many to be a comma splice."""
    cuts = [(m.start(), m.end()) for m in islice(_COMMA.finditer(sentence), _MAX_CLAUSES)]
    if not cuts or len(cuts) >= _MAX_CLAUSES:
        return (sentence,)
    return _pieces(sentence, cuts)


def _pieces(sentence: str, cuts: list[tuple[int, int]]) -> tuple[str, ...]:
    spans: list[tuple[int, int]] = []
    start = 0
    for cut_start, cut_end in cuts:
        spans.append((start, cut_start))
        start = cut_end
    spans.append((start, len(sentence)))
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        # A piece with no word in it ("--", "...") joins its neighbour.
        if merged and (
            not _WORD.search(sentence[a:b])
            or not _WORD.search(sentence[merged[-1][0] : merged[-1][1]])
        ):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    parts = tuple(sentence[a:b].strip(" ,;:-–—") for a, b in merged)
    return tuple(p for p in parts if p) or (sentence,)


def _words(text: str) -> int:
    return len(text.split())


def _strip_greeting(paragraph: str) -> str:
    """A paragraph without the greetings it starts with (in any message of a thread):
    "Hi Priya," alone, or "Hi Priya, thanks for ..." with the greeting removed."""
    while (match := _GREETING.match(paragraph)) and len(match.group(0).split()) <= 5:
        paragraph = paragraph[match.end() :]
    return paragraph


def segment(text: str) -> list[Segment]:
    """Split feedback text into candidate statements, in reading order."""
    segments: list[Segment] = []
    hint: str | None = None
    paragraph: list[str] = []
    after_blank = False

    def flush() -> None:
        if not paragraph:
            return
        joined = " ".join(" ".join(paragraph).split())
        paragraph.clear()
        for sentence in split_sentences(joined):
            if _is_statement(sentence):
                segments.append(
                    Segment(sentence, contrastive_parts(sentence), hint, comma_clauses(sentence))
                )

    lines = clean_lines(text)
    first = next((i for i, line in enumerate(lines) if _strip_greeting(line).strip()), None)
    for index, raw in enumerate(lines):
        line = _strip_greeting(raw)  # "Hi Priya," may start any message of a thread
        stripped = line.strip()
        if not stripped or _SIGN_OFF.match(stripped):
            if not raw.strip() or stripped:  # a blank line, or a lone sign-off: a break
                flush()
                after_blank = True
            continue
        if index == first and _is_title(stripped, lines[index + 1 :]):
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
        if stripped.endswith(":") and (
            len(stripped.split()) <= 8 or _leads_a_list(stripped, lines[index + 1 :])
        ):
            flush()  # a heading we do not know, or a list's lead-in: drop it and any hint
            hint = None
            continue
        if after_blank:
            hint = None  # a new plain paragraph leaves the heading's section
        after_blank = False
        if paragraph and _ends_a_point(paragraph[-1], stripped):
            flush()  # one point per line: a short line that does not run on is a statement
        paragraph.append(stripped)
    flush()
    return segments


_RUNS_ON = frozenset(
    [
        "and",
        "or",
        "but",
        "nor",
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "your",
        "you",
        "my",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "that",
        "which",
        "who",
        "at",
        "by",
        "as",
        "from",
        "about",
        "than",
        "very",
        "so",
        "not",
        "more",
        "less",
        "how",
        "when",
        "while",
        "if",
        "it",
        "its",
        "their",
        "our",
        "this",
        "these",
        "those",
        "because",
        "since",
        "into",
        "onto",
        "over",
        "under",
        "after",
        "before",
        "like",
    ]
)
# A line starting with one of these continues the line before ("... your explanation\nof the
# join"); pronouns and articles may start a new point.
_CONTINUES = frozenset(
    [
        "and",
        "or",
        "but",
        "nor",
        "of",
        "to",
        "with",
        "than",
        "as",
        "that",
        "which",
        "who",
        "whom",
        "because",
        "so",
        "for",
        "in",
        "on",
        "at",
        "by",
        "from",
        "into",
        "onto",
        "over",
        "under",
    ]
)
_WRAPPED = 50  # a line at least this long that runs on is wrapped text, not a list


def _ends_a_point(previous: str, line: str) -> bool:
    """Whether a line break ends a statement: the previous line does not run on (no comma,
    hyphen or function word at its end) and either it is short, like a line of a list, or
    the next line starts as a new point would (not in lower case, not with a function word)."""
    if previous.endswith((",", ";", "-", "–", "—", "(", "/", "&", "+")):
        return False
    last = previous.rsplit(None, 1)[-1].lower().strip("\"'”’)")
    first = line.split(None, 1)[0].lower().strip("\"'“‘(")
    if last in _RUNS_ON or (first in _CONTINUES and line[:1].islower()):
        return False
    return len(previous) < _WRAPPED or not line[:1].islower()


def _is_title(line: str, rest: list[str]) -> bool:
    """A note's title: the first line, short, with more text below it, naming a kind of note
    (and not ending like a sentence, unless it starts like a title: "Notes from ...")."""
    if len(line.split()) > _MAX_TITLE_WORDS or not any(r.strip() for r in rest):
        return False
    if _TITLE_START.match(line):
        return True
    return not line.rstrip().endswith((".", "!", "?")) and bool(_TITLE_WORD.search(line))


def _leads_a_list(line: str, rest: list[str]) -> bool:
    """A line ending in a colon whose next line is a bullet: "Here is what the panel said:"."""
    following = next((r for r in rest if r.strip()), "")
    return len(line.split()) <= _MAX_LEAD_IN_WORDS and bool(_BULLET.match(following))


_WORD = re.compile(r"[^\W\d_]{2,}")  # letters of any script


def _is_statement(sentence: str) -> bool:
    """Lone names, initials, dates and punctuation carry no feedback; one word that ends a
    sentence ("Rambled.") or is written in lower case ("meh") does."""
    words = _WORD.findall(sentence)
    if len(words) >= 2:
        return True
    caseless = bool(words) and not any(c.isupper() or c.islower() for c in words[0])
    return len(words) == 1 and (
        sentence.rstrip().endswith((".", "!", "?", "。", "！", "？"))
        or sentence.strip().islower()
        or caseless  # a script without case (Chinese, Arabic...): no telling a name apart
    )
