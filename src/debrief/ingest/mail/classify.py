"""Reading one message: is it job mail, from which company, for which role, what happened, and
at which stage. Rules over the vocabulary in `data/mail.toml`, each decision with its reasons.

A forwarded message is read as the message it forwards; quoted replies are cut, so an old
message in a thread cannot decide a new one. Events are scored by weighted cues (the subject
counts double) and the best wins; the confidence is its share of the two best scores, damped
when the message is only weakly job mail.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from debrief.ingest.mail.read import MAX_HEADER, Letter

EVENTS = (
    "application_received",
    "interview_invitation",
    "assessment",
    "rejection",
    "offer",
    "withdrawal",
    "other",
)
PRIORITY = (
    "offer",
    "withdrawal",
    "rejection",
    "assessment",
    "interview_invitation",
    "application_received",
    "other",
)
JOB_THRESHOLD = 3.0
BODY_CHARS = 8_000  # what a message says comes first; footers and quoted history come last


@dataclass(frozen=True, slots=True)
class Reading:
    """What a message says, and why we think so."""

    job: bool
    event: str | None
    confidence: float  # of the job decision and the event
    company: str | None
    role: str | None
    stage: str | None
    why: str
    text: str  # the text the reading came from (a forward unwrapped, quoted replies cut)
    sender_name: str
    sender_address: str
    subject: str
    company_confidence: float = 0.0
    language: str | None = None  # the language it is in, when not English


@cache
def vocabulary() -> dict[str, Any]:
    """The shipped vocabulary of job mail."""
    text = resources.files("debrief.ingest.data").joinpath("mail.toml").read_text("utf-8")
    raw = tomllib.loads(text)
    raw["_cues"] = {
        name: [
            (_pattern(phrase), float(weight), phrase, _literal(phrase))
            for phrase, weight in raw[section][name]
        ]
        for section, names in (("job", ("phrases", "against")), ("events", EVENTS))
        for name in names
    }
    # Each kind's cues by their first word: a message is checked only for the cues whose
    # first word it has (and the few that start with a pattern or a sign).
    raw["_cue_index"] = {name: _by_first_word(cues) for name, cues in raw["_cues"].items()}
    raw["_not_company"] = frozenset(raw["not_company"])
    return raw


Cue = tuple[re.Pattern[str], float, str, str | None]
_FIRST_WORD = re.compile(r"\w+")


def _by_first_word(
    cues: list[Cue],
) -> tuple[dict[str, list[tuple[int, Cue]]], list[tuple[int, Cue]]]:
    """The cues (numbered, to keep their order) by first word, and those that need a search."""
    indexed: dict[str, list[tuple[int, Cue]]] = defaultdict(list)
    always: list[tuple[int, Cue]] = []
    for number, cue in enumerate(cues):
        literal = cue[3]
        first = _FIRST_WORD.match(literal) if literal is not None else None
        if first is None:
            always.append((number, cue))
        else:
            indexed[first.group()].append((number, cue))
    return dict(indexed), always


def _literal(phrase: str) -> str | None:
    """The plain text a cue must contain (a cheap test before the regular expression)."""
    return None if phrase.startswith("/") and phrase.endswith("/") else phrase


def _pattern(phrase: str) -> re.Pattern[str]:
    if len(phrase) > 2 and phrase.startswith("/") and phrase.endswith("/"):
        return re.compile(phrase[1:-1])
    before = r"(?<![\w])" if phrase[:1].isalnum() else ""
    after = r"(?![\w])" if phrase[-1:].isalnum() else ""  # "issue #" before "48"
    return re.compile(before + re.escape(phrase) + after)


# -- unwrapping forwards and replies -----------------------------------------------------------

# A forward's marker line. The blank and dashed lines before it count as its start, found by
# `_forward_start`: `^[-\s]*` in the pattern would be tried from every line of a long run of
# blank lines, in quadratic time.
_FORWARD = re.compile(
    r"^(?:-|[^\S\n])*+(?:(?:(?<=-)|(?<=- ))(?:forwarded|original) message ?-+"
    r"|begin forwarded message:)\s*$",
    re.I | re.M,
)
_WROTE = re.compile(r"^(?:on .{4,120}wrote:|-+ ?original message ?-+)\s*$", re.I | re.M)


@dataclass(frozen=True, slots=True)
class _Unwrapped:
    sender_name: str
    sender_address: str
    subject: str
    text: str
    forwarded: bool
    quoted: str  # the quoted replies cut from the text: weak evidence that a thread is job mail


def unwrap(letter: Letter) -> _Unwrapped:
    """The message that matters: the forwarded one inside a forward, without quoted replies."""
    text = letter.text.replace("\r", "")
    name, address, subject = letter.sender_name, letter.sender_address, letter.subject
    forwarded = False
    match = _FORWARD.search(text)
    if match and (
        re.match(r"^\s*(fwd?|fw)\s*:", subject, re.I) or _forward_start(text, match) < 600
    ):
        inner = text[match.end() :]
        headers, _, body = inner.lstrip("\n").partition("\n\n")
        found = {
            key.lower(): value.strip()
            for key, value in re.findall(r"^(From|Subject|Date|To|Sent):\s*(.*)$", headers, re.M)
        }
        if "from" in found:
            from email.utils import parseaddr

            inner_name, inner_address = parseaddr(found["from"])
            name = inner_name.strip().strip('"') or name
            address = (inner_address or address).lower()
            subject = found.get("subject", subject)[:MAX_HEADER]
            text = body
            forwarded = True
    quoted = ""
    cut = _WROTE.search(text)
    if cut:
        text, quoted = text[: cut.start()], text[cut.start() :]
    kept: list[str] = []
    dropped = [quoted]
    for line in text.splitlines():
        (dropped if line.lstrip().startswith(">") else kept).append(line)
    return _Unwrapped(name, address, subject, "\n".join(kept), forwarded, "\n".join(dropped))


def _forward_start(text: str, marker: re.Match[str]) -> int:
    """Where a forward starts: the first of the blank or dashed lines right before its marker
    line (the marker line itself when there are none)."""
    start = run = marker.start()
    while run > 0 and (text[run - 1] == "-" or text[run - 1].isspace()):
        run -= 1
    if run == 0:
        return 0
    newline = text.find("\n", run, start)
    return start if newline < 0 else newline + 1


# -- cues --------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    return " ".join(text.casefold().split())


# A cue right after "not", "never" or "if we ..." does not say it happened.
_NEGATED = re.compile(
    r"\b(?:not|never|no longer|unable to)\b(?: to)?[\w' ]{0,12}$|n't[\w' ]{0,12}$"
    r"|\bif (?:we|you|your|there|the team)\b[\w',. ]{0,40}$"
)
# News about the outcome outweighs the mention of an earlier step in the same message.
OUTCOME_WEIGHT = {"rejection": 1.5, "offer": 1.5}


def _score(kind: str, subject: str, body: str) -> tuple[float, list[str]]:
    total, hits = _cue_total(kind, subject, body, _words(subject, body))
    return total, [phrase for phrase, _ in hits]


def _words(*texts: str) -> frozenset[str]:
    """The words of the texts, to find which cues can be in them."""
    return frozenset(word for text in texts for word in _FIRST_WORD.findall(text))


def _top(found: tuple[float, list[tuple[str, float]]]) -> float:
    """The weight of the strongest cue found (0 with none)."""
    return max((weight for _, weight in found[1]), default=0.0)


def _cue_total(
    kind: str, subject: str, body: str, words: frozenset[str]
) -> tuple[float, list[tuple[str, float]]]:
    """The weight of a kind's cues in the message, and the cues found (in the vocabulary's
    order); `words` are the message's words."""
    total, hits = 0.0, []
    check_negation = kind not in ("rejection", "against")
    indexed, always = vocabulary()["_cue_index"][kind]
    candidates = list(always)
    for word in words & indexed.keys():
        candidates += indexed[word]
    candidates.sort(key=lambda numbered: numbered[0])
    for _, (pattern, weight, phrase, literal) in candidates:
        found = False
        for text, scale in ((subject, 2.0), (body, 1.0)):
            if literal is not None and literal not in text:
                continue
            for match in pattern.finditer(text):
                before = text[max(0, match.start() - 60) : match.start()]
                if check_negation and _NEGATED.search(before):
                    continue
                total += weight * scale * OUTCOME_WEIGHT.get(kind, 1.0)
                found = True
                break
            if found:
                break
        if found:
            hits.append((phrase.strip("/"), weight))
    return total, hits


_BULK_SENDER = re.compile(
    r"^(?:newsletters?|news|digest|marketing|promo(?:tions)?|updates|alerts?|jobalerts?|"
    r"offers|deals|community|events)[@.+-]"
)


def _domain(address: str) -> str:
    return address.rpartition("@")[2].lower()


def _is_ats(domain: str) -> bool:
    return any(domain == d or domain.endswith("." + d) for d in vocabulary()["ats_domains"])


def _is_free(domain: str) -> bool:
    return domain in vocabulary()["free_mail"]


# -- the reading -------------------------------------------------------------------------------


_LETTERS = re.compile(r"[^\W\d_]+")


def language_of(text: str) -> str | None:
    """The language a text is in when it is not English (None: English, or too short to tell):
    the one whose common short words it uses most, if that is not English."""
    words = Counter(word.casefold() for word in _LETTERS.findall(text[:4000]))
    if sum(words.values()) < 12:
        return None
    counts: dict[str, int] = {
        str(language): sum(words[word] for word in common)
        for language, common in vocabulary()["languages"].items()
    }
    best = max(counts, key=lambda language: counts[language])
    if best == "English" or counts[best] < max(4, 1.5 * counts["English"]):
        return None
    return best


def read_letter(letter: Letter, own_names: Sequence[str] = ()) -> Reading:
    """Read one message. `own_names` are the user's names (never a company), besides the
    names the message is addressed to."""
    message = unwrap(letter)
    subject, body = _fold(message.subject), _fold(message.text[:BODY_CHARS])
    domain = _domain(message.sender_address)
    words = _words(subject, body)
    cues = {
        kind: _cue_total(kind, subject, body, words) for kind in ("phrases", "against", *EVENTS)
    }
    job_score = cues["phrases"][0]
    if message.quoted:
        job_score += _score("phrases", "", _fold(message.quoted[:10_000]))[0] / 2
    against = cues["against"][0]
    if _BULK_SENDER.match(message.sender_address) or "newsletter" in domain:
        against += 4.0  # newsletter@, digest@, marketing@: bulk mail
    if letter.bulk and not message.forwarded:
        against += 3.0  # sent to a mailing list
    against_hits = [phrase for phrase, _ in cues["against"][1]]
    events = {event: (cues[event][0], [p for p, _ in cues[event][1]]) for event in EVENTS}
    strongest = max(score for score, _ in events.values())
    role = find_role(message.subject, message.text)
    evidence = (
        job_score
        + min(strongest, 8) / 4
        + (3 if _is_ats(domain) else 0)
        + (2 if role else 0)
        - against
    )
    # Job mail speaks of the reader's own application (a strong cue), comes from a hiring
    # system, or carries unmistakable news; talk of interviews in general is not enough.
    decisive = max(_top(cues[e]) for e in EVENTS if e != "other")
    job = evidence >= JOB_THRESHOLD and (
        _top(cues["phrases"]) >= 3
        or _is_ats(domain)
        or decisive >= 4
        or evidence >= 2 * JOB_THRESHOLD
    )
    why: list[str] = []
    language = language_of(message.text)
    if not job:
        reason = f"not job mail (evidence {evidence:.1f}"
        reason += f"; against: {', '.join(against_hits[:3])})" if against_hits else ")"
        if language:
            reason += f"; it is in {language}, and the reader reads English only"
        return Reading(
            False,
            None,
            _certainty(evidence),
            None,
            None,
            None,
            reason,
            message.text,
            message.sender_name,
            message.sender_address,
            message.subject,
            language=language,
        )
    ranked = sorted(EVENTS, key=lambda e: (events[e][0], -PRIORITY.index(e)), reverse=True)
    best, second = ranked[0], ranked[1]
    event = best if events[best][0] > 0 else "other"
    confidence = events[best][0] / (events[best][0] + events[second][0] + 1)
    confidence *= min(1.0, evidence / (2 * JOB_THRESHOLD))
    why.append(f"{event} ({', '.join(events[event][1][:3]) or 'no event cue'})")
    company, company_why, company_sure = find_company(
        message, body, (*letter.recipients, *own_names)
    )
    why.append(company_why)
    if role and company:
        role = _without_company(role, company)
    stage = find_stage(event, body)
    return Reading(
        job=True,
        event=event,
        confidence=round(min(0.99, max(0.05, confidence)), 2),
        company=company,
        role=role,
        stage=stage,
        why="; ".join(w for w in why if w),
        text=message.text,
        sender_name=message.sender_name,
        sender_address=message.sender_address,
        subject=message.subject,
        company_confidence=company_sure,
        language=language,
    )


def _certainty(evidence: float) -> float:
    return round(min(0.99, 0.5 + abs(evidence - JOB_THRESHOLD) / 10), 2)


_ROUND_SUFFIX = re.compile(
    r"(?<!\s)\s*[-–—:|]\s*(?:onsite|on-site|interview|final round|technical|phone screen|offer|"
    r"take-home|assessment|intro call)$",
    re.I,
)
_JOINERS = " -–—:|,"


def _without_company(role: str, company: str) -> str | None:
    """A role as a subject writes it ("Acme - Data Scientist – Onsite") without the company
    or the round."""
    folded, name = role.casefold(), company.casefold()
    if folded.startswith(name) and role[len(company) : len(company) + 1] in tuple(_JOINERS):
        role = role[len(company) :].lstrip(_JOINERS)
    elif folded.endswith(name) and len(role) > len(company):
        before = role[: -len(company)]
        if before[-1:] in tuple(_JOINERS):
            role = before.rstrip(_JOINERS)
    role = _ROUND_SUFFIX.sub("", role)
    return role or None


def find_stage(event: str, body: str) -> str | None:
    """The stage an event belongs to: the round a rejection followed, the round an invitation
    is for."""
    if event == "application_received":
        return "applied"
    if event == "assessment":
        return "technical"
    if event == "offer":
        return "offer"
    had = _reached if event in ("rejection", "withdrawal") else _has
    found = [s for s in ("onsite", "technical", "screen") if had(_stage_patterns()[s], body)]
    if event in ("rejection", "withdrawal"):
        return found[0] if found else "applied"
    if event == "interview_invitation":
        return found[0] if found and found[0] != "screen" else "screen"
    return None


@cache
def _stage_patterns() -> dict[str, re.Pattern[str]]:
    """One pattern for all the cues of each stage."""
    # "technical recruiter", "technical program manager": a job title, not a round
    title = r"(?! (?:recruiter|sourcer|program|project|writer|support|account))"
    patterns = {}
    for stage, cues in vocabulary()["stages"].items():
        alternatives = "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True))
        patterns[stage] = re.compile(r"(?<![\w])(?:" + alternatives + r")(?![\w])" + title)
    return patterns


def _has(pattern: re.Pattern[str], body: str) -> bool:
    return pattern.search(body) is not None


_NOT_REACHED = re.compile(
    r"(?:forward to|progress(?:ing)? (?:you )?to|invite you to|invited to|inviting you to|on to|"
    r"through to|advance to|for) (?:the |an? |our )?$"
)


def _reached(pattern: re.Pattern[str], body: str) -> bool:
    """Whether the text names a round the candidate had (not one they were not moved on to)."""
    for match in pattern.finditer(body):
        if not _NOT_REACHED.search(body[max(0, match.start() - 40) : match.start()]):
            return True
    return False


# -- the company -------------------------------------------------------------------------------

_CAPITAL = r"[A-Z](?:[\w'’.-]|&(?=[A-Z]))*"
_NAME = re.compile(rf"\b({_CAPITAL}(?:[ \t]+(?:(?:&|and|of|de)[ \t]+)?{_CAPITAL}){{0,4}})")
# A pattern that starts with spaces starts at the first of a run, (?<!\s): tried from each
# space of a long run, it would take quadratic time.
_TEAM_WORDS = re.compile(
    r"(?<!\s)\s+(?:talent(?: acquisition)?|recruiting|recruitment|resourcing|careers|hiring|"
    r"people|hr|jobs|team|interview scheduling|scheduling|interviews|and|of|the|&)$",
    re.I,
)
_SUFFIX = re.compile(  # legal forms, and words such as "Group" that follow a name
    r"(?<!\s)\s+(?:inc|llc|llp|ltd|limited|gmbh|plc|corp|corporation|co|company|ag|sa|b\.?v|n\.?v|"
    r"pty|group|holdings|lp|ab|as|a/s|oy|oyj|srl|s\.?r\.?l|spa|s\.?p\.?a|sas|s\.?a\.?s|kk|pte|"
    r"sarl|gmbh & co\.? kg|kg|se|aps|asa)\.?$",
    re.I,
)
_TEAM = (
    r"(?:talent(?: acquisition)?|recruiting|recruitment|careers|hiring|people|hr|jobs|"
    r"interview scheduling|scheduling|interviews)"
)
_DISPLAY_PATTERNS = (
    re.compile(rf"^{_TEAM}(?: team)? (?:at|@) (.+?)(?: via .*)?$", re.I),
    re.compile(r"^(.+?) via [\w .-]+$", re.I),
    re.compile(r"^[^()]+\((.+)\)$"),  # "Sofia Nyberg (Halcyon Freight)"
    re.compile(rf"^(?:the )?(.+?) {_TEAM}(?: team)?$", re.I),
    re.compile(rf"^{_TEAM} team,? (.+)$", re.I),
    # "Zoë Márquez, Acme Bio", "Lucía Fernández | Acme", "Sam Lee at Acme" (the name ends
    # before the spaces, which are then read once)
    re.compile(r"^[^,|@]*?[^,|@\s]\s*(?:[,|]|(?<=\s)(?:[-–]|at|from)\s)\s*(.+)$", re.I),
)
_ANY_NAME = _NAME.pattern[3:-1]  # the name pattern without its group and word boundary
_JOINING = (
    "applying to|applied to|application to|interest in joining|join|joining|career at|"
    "careers at|position at|role at|opening at|job at|opportunity at|interviewing at|"
    "interviews at|work at|working at|offer from|team at"
)
# A name that a pattern starts with begins at a word, not inside one: without this, a long run
# of letters is tried from each of its letters, in quadratic time.
_AT_WORD = r"(?<![\w'’.&-])"
_TEXT_PATTERNS = (
    (re.compile(rf"\b(?:on behalf of|(?:my|our) client,?|client,)[ \t]+({_ANY_NAME})"), 6.0),
    (re.compile(rf"\b(?:{_JOINING})[ \t]+({_ANY_NAME})"), 2.0),
    (re.compile(rf"\b(?:at|with|from|to)[ \t]+({_ANY_NAME})"), 1.0),
    (
        re.compile(
            rf"{_AT_WORD}({_ANY_NAME})[ \t]+would (?:like|love) to (?:meet|invite|speak|move)"
        ),
        2.0,
    ),
    (re.compile(rf"{_AT_WORD}({_ANY_NAME})[ \t]+(?:has invited|invites|is inviting) you\b"), 2.0),
    (re.compile(rf"^(?:(?:re|fwd?|fw|aw|wg|tr):[ \t]*)*({_ANY_NAME})[ \t]+[-–|:][ \t]"), 1.5),
    (
        re.compile(
            rf"{_AT_WORD}({_ANY_NAME})(?i:'s| team| talent| recruiting| recruitment| careers|"
            r" people team|"
            r" hiring team)\b"
        ),
        1.5,
    ),
    # "Corvid Pay Technical Interview (60 min)": a scheduling tool's name for the round
    (re.compile(rf"{_AT_WORD}({_ANY_NAME})[ \t]+(?i:interview|call|screen)\b"), 1.5),
)
# The kind of round that ends a name taken from "<Company> <kind> Interview" (a few words:
# at most six are read).
_ROUND_WORDS = re.compile(
    r"(?:(?:^|(?<!\s)\s+)(?:technical|final|onsite|on-site|phone|recruiter|hr|intro|"
    r"introductory|hiring|manager|case|coding|screening|panel|culture|behavioural|behavioral|"
    r"first|second|third)){1,6}$",
    re.I,
)


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
_LEADING_THE = re.compile(r"^the\s+", re.I)
_NUMBERED_TAG = re.compile(r"(?<!\s)\s*\([^()\d]*+\d[^()]*+\)")  # "(JR-1190)", never nested


def _compact(text: str) -> str:
    return _NOT_ALNUM.sub("", text.casefold().replace("&", "and"))


def clean_company(name: str) -> str:
    """A company name without its legal suffix, team words, stray punctuation and spaces."""
    name = " ".join(name.replace("’", "'").split()).strip(" ,.:;-'\"")
    name = re.sub(r"'s$", "", name)  # "Zocdoc's" is Zocdoc
    previous = None
    while previous != name:
        previous = name
        name = _TEAM_WORDS.sub("", _SUFFIX.sub("", name)).strip(" ,.")
    return name


_CONTRACTION = re.compile(r"(?i)^(?:i|we|you|they|it|let|that|there)'(?:m|ve|ll|d|re|s)$")


def _plausible(name: str) -> bool:
    words = name.split()
    stop = vocabulary()["_not_company"]
    if not words or len(name) > 60 or len(name) < 2 or words[0].casefold() in stop:
        return False
    if any(_CONTRACTION.match(word) for word in words):
        return False
    if all(w.casefold() in stop for w in words):
        return False
    return name.casefold() not in vocabulary()["ats_names"]


_SYSTEM_SENDER = re.compile(
    r"^(no-?reply|notifications?|support|careers?|jobs|do-?not-?reply|survey|hello|info|team|"
    r"scheduling|recruiting|talent|interviews?)"
)


def _domain_label(domain: str, local: str) -> str:
    """The part of the sender's address that names the company: the domain's name for a
    company's own address, the local part for a hiring system's (acme@myworkday.com)."""
    if domain and not _is_free(domain) and not _is_ats(domain):
        parts = domain.split(".")
        if len(parts) >= 3 and parts[-2] in ("co", "com", "ac", "org"):
            return parts[-3]
        return parts[-2] if len(parts) >= 2 else parts[0]
    if _is_ats(domain) and not _SYSTEM_SENDER.match(local):
        return local
    parts = domain.split(".")
    if _is_ats(domain) and len(parts) >= 4 and not _SYSTEM_SENDER.match(parts[0]):
        return parts[0]  # acme.wd1.myworkdayjobs.com
    return ""


def find_company(
    message: _Unwrapped, body: str, own_names: Sequence[str] = ()
) -> tuple[str | None, str, float]:
    """The hiring company, how it was found, and how sure that is (0-1).

    Names are gathered from the sender's name, its domain (not a hiring system's, a free
    mail provider's or a staffing agency's), the subject, the text and the signature, each
    source adding to a name's score. A name that a longer one starts ("Gridline" and
    "Gridline Logistics") counts for the longer one when the longer is named as a whole
    somewhere. How sure: high when two independent sources (the sender, the subject, the
    text) agree and no rival comes close; never the user's own name (`own_names`: the To:
    header's names and the configured name)."""
    domain = _domain(message.sender_address)
    local = message.sender_address.partition("@")[0]
    label = _domain_label(domain, local)
    own = _own_words(own_names)
    if label and _is_own(label, own):
        label = ""
    scores: dict[str, float] = defaultdict(float)
    spelled: dict[str, Counter[str]] = defaultdict(Counter)
    reasons: dict[str, str] = {}
    sources: dict[str, set[str]] = defaultdict(set)

    def add(name: str, weight: float, how: str, source: str) -> None:
        name = clean_company(_ROUND_WORDS.sub("", _SENTENCE_END.split(name, maxsplit=1)[0]))
        name = _LEADING_THE.sub("", re.split(r"'s\s", name, maxsplit=1)[0])
        while name and not _plausible(name):
            shorter = " ".join(name.split()[:-1])
            if shorter == name:
                return
            name = shorter
        if not name or not _plausible(name) or _is_own(name, own):
            return
        key = _compact(name)
        scores[key] += weight
        spelled[key][name] += 1
        reasons.setdefault(key, how)
        sources[key].add(source)

    named, weight, vendor = _display_company(message.sender_name, label, domain, local)
    if named:
        add(named, weight, "the sender's name", "sender")
    elif message.sender_name:  # a person ("Sam", "Harriet Vance"), never the company
        own = own | _own_words([message.sender_name])
    subject = message.subject
    original = message.text[:6000]  # the company is named early; signatures come last
    for weight_scale, source, where in ((2.0, subject, "subject"), (1.0, original, "text")):
        for pattern, weight in _TEXT_PATTERNS:
            for found in pattern.finditer(source):
                add(found.group(1), weight * weight_scale, "the text", where)
    for candidate in _NAME.findall(subject + "\n" + original[:3000]):
        add(candidate, 0.2, "the text", "text")
    for line in _signature(original):
        for candidate in _NAME.findall(line):
            add(candidate, 1.0, "the signature", "signature")
    agency = bool(re.search(r"\b(?:on behalf of|(?:my|our) client)\b", original, re.I)) or (
        bool(label) and _is_agency(domain)
    )
    if label and not agency and not vendor:
        _domain_bonus(scores, reasons, sources, label, domain)
        fallback = label.replace("-", " ").title() if "-" in label else label.title()
        add(fallback, 3.0, f"the sender's domain ({domain})", "sender")
    if label and agency and _is_agency(domain):  # the agency signs with its own name
        _drop(
            scores,
            [k for k in scores if same_company_loosely(spelled[k].most_common(1)[0][0], label)],
        )
    _prefer_whole_names(scores, spelled, sources)
    ranked = sorted(scores, key=lambda k: (scores[k], len(k)), reverse=True)
    if not ranked or scores[ranked[0]] < 1.0:
        if label and not agency:
            name = label.replace("-", " ").title()
            return name, f"company from the sender's domain ({domain})", 0.5
        return None, "no company found", 0.0
    best = ranked[0]
    runner_up = scores[ranked[1]] if len(ranked) > 1 else 0.0
    sure = _sureness(scores[best], runner_up, sources[best], agency)
    name = spelled[best].most_common(1)[0][0]
    return name, f"company from {reasons[best]}", sure


def _drop(scores: dict[str, float], keys: Sequence[str]) -> None:
    for key in keys:
        del scores[key]


def _sureness(best: float, runner_up: float, sources: set[str], agency: bool) -> float:
    """How sure a company is: its share of the two best scores, times how many independent
    places (the sender, the subject, the text; a signature counts half) name it."""
    agreeing = len(sources - {"signature"}) + ("signature" in sources) * 0.5
    sure = best / (best + runner_up) * min(1.0, 0.45 + 0.25 * agreeing)
    if agency and "sender" in sources:
        sure = min(sure, 0.5)  # an agency's own name is not the hiring company
    return round(sure, 2)


def _display_company(
    display: str, label: str, domain: str, local: str
) -> tuple[str | None, float, bool]:
    """The company a sender's display name gives ("Acme Talent", "Sam Lee at Acme"), its
    weight, and whether the sender is a vendor writing for it ("Acme via Lever")."""
    if not display or "@" in display:
        return None, 0.0, False
    for pattern in _DISPLAY_PATTERNS:
        found = pattern.match(display)
        if found:
            return found.group(1), 5.0, " via " in display.casefold()
    if label and _compact(display).startswith(_compact(label)[:5]):
        return display, 5.0, False
    if _is_ats(domain) or re.match(r"^(no-?reply|do-?not-?reply|careers?|jobs)", local):
        return display, 4.0, False  # a system sends for a company
    return None, 0.0, False


def _domain_bonus(
    scores: dict[str, float],
    reasons: dict[str, str],
    sources: dict[str, set[str]],
    label: str,
    domain: str,
) -> None:
    """Raise the names the sender's own domain spells ("Gridline Logistics" at
    gridline-logistics.eu, "Ashgrove & Pike" at ashgrovepike.com)."""
    compact_label = _compact(label)
    for key in list(scores):
        if key.replace("and", "") == compact_label.replace("and", ""):
            bonus = 6.0
        elif (len(key) >= 4 and compact_label.startswith(key)) or (
            len(compact_label) >= 4 and key.startswith(compact_label)
        ):
            bonus = 3.0 + 2.0 * len(key) / max(len(compact_label), 1)
        else:
            continue
        scores[key] += bonus
        reasons[key] = f"the sender's domain ({domain})"
        sources[key].add("sender")


def _signature(text: str) -> list[str]:
    """The short lines of a message's last few lines: where a sender signs with the company's
    full name ("Recruiter | Gridline Logistics B.V.")."""
    lines = [line.strip() for line in text.strip().splitlines()[-12:]]
    return [
        part.strip()
        for line in lines
        if 0 < len(line) <= 70 and not re.search(r"[@:/]|\d{3}", line)
        for part in re.split(r"\s[|·•,–-]\s|,\s", line)
    ]


def _is_agency(domain: str) -> bool:
    """Whether a sender's domain is a staffing agency's ("meridian-talent.co.uk"; never a
    hiring system's, whose "talent.icims.com" names no one)."""
    if _is_ats(domain) or _is_free(domain):
        return False
    name = _domain_label(domain, "")
    return any(word in name for word in vocabulary()["agency_words"])


def _prefer_whole_names(
    scores: dict[str, float], spelled: dict[str, Counter[str]], sources: dict[str, set[str]]
) -> None:
    """Give a short form's score to the whole name it starts ("Gridline" to "Gridline
    Logistics"), when the rest of the whole name is no title or stop word."""
    stop = vocabulary()["_not_company"]
    heads = vocabulary()["title_heads"]
    words = {key: company_words(spelled[key].most_common(1)[0][0]) for key in scores}
    for short in sorted(scores, key=len):
        longer = [
            key
            for key in scores
            if key != short
            and len(words[key]) > len(words[short]) > 0
            and words[key][: len(words[short])] == words[short]
            and not any(
                w in stop or any(w.startswith(h) for h in heads)
                for w in words[key][len(words[short]) :]
            )
        ]
        if len(longer) == 1:
            [whole] = longer
            scores[whole] += scores.pop(short)
            sources[whole] |= sources.pop(short)
            spelled.pop(short)


def _own_words(names: Sequence[str]) -> frozenset[str]:
    """The words of the user's own names ("maren", "okafor")."""
    return frozenset(
        word
        for name in names
        for word in _NOT_ALNUM.sub(" ", name.casefold()).split()
        if len(word) > 1
    )


def _is_own(name: str, own: frozenset[str]) -> bool:
    """Whether a candidate company is made of the user's own name ("Maren", "Okafor",
    "Maren Okafor", "maren.okafor")."""
    words = _NOT_ALNUM.sub(" ", name.casefold()).split()
    return bool(own) and bool(words) and all(word in own for word in words)


# -- the role ----------------------------------------------------------------------------------

_ROLE_WORD = r"[A-Z][\w/&+.'’-]*|[a-z]{1,3}|\(?[mfdwx/]{3,7}\)?|[A-Z]{2,}|-|–|,|I{1,3}|\d"
_ROLE = re.compile(rf"((?:(?:{_ROLE_WORD})\s+){{0,8}}?(?:{_ROLE_WORD}))")


# A word of a job title: capitalised, an acronym, or a bracketed tag such as (m/f/d) or (JR-1190).
_TITLE_WORD = r"(?:[A-Z][\w/&+.'’-]*+|\([\w/ #.-]{1,20}\))"  # *+: no backtracking in a word
_TITLE = rf"((?:{_TITLE_WORD}[ ,–-]*){{1,9}}?)"


_TITLE_PATTERNS = (
    (
        re.compile(
            rf"\b(?:for|as|of|the|a|an|our|your)\s+(?:the\s+|a\s+|an\s+|our\s+)?{_TITLE}\s*"
            r"(?:role|position|opening|vacancy|job|opportunity|team\b|application|req\b|"
            r"interview|loop|process|candidacy|offer)"
        ),
        2,
    ),
    (
        re.compile(
            rf"\b(?:position|role|title|post|vacancy|opening)(?: of)?:?\s+{_TITLE}"
            r"(?=[.!,;]?(?:\s|$)|\s*\()"
        ),
        2,
    ),
    (
        re.compile(
            rf"\b(?:application|applying|applied|candidacy|join \w+(?: \w+)? as) (?:for|to|as)?"
            rf"\s*(?:the\s+)?{_TITLE}(?=[.!,;]?(?:\s|$)|\s*\()"
        ),
        2,
    ),
    # The title starts at a word (tried from each capital of a long token, it would be quadratic).
    (re.compile(rf"(?<![\w/&+.'’-]){_TITLE}\s+(?:at|with|-|–|—|\|)\s+[A-Z]"), 1),
    (
        re.compile(rf"(?:^|:\s|[-–|]\s){_TITLE}(?:$|\s[-–|(]|\s(?i:application|candidacy)\b)"),
        1,
    ),
)
_HEAD_WORD = re.compile(
    r"(?i)(?:scientist|analyst|engineer|researcher|statistician|developer|manager|lead|"
    r"architect|consultant|specialist|economist|quant|modell?er)"
)


_REQUISITION = re.compile(r"(?<!\s)\s*[-–#]\s*(?:R|REQ|JR|Req)[-#]?\s*\d[\w-]*$")  # "- R123"


MAX_WINDOWS = 6
# A hiring system's field line naming the job.
_FIELD_LINE = re.compile(
    r"(?im)^[ \t]*(?:job title|position title|position|role|job|vacancy|title|job name)"
    r"[ \t]*:[ \t]*([^\n]{3,80})$"
)


def _title_windows(text: str) -> list[str]:
    """The stretches of text around a job title's head word (the only places a role can be):
    the title patterns then run on a few hundred characters, not the whole message."""
    spans: list[list[int]] = []
    for match in _HEAD_WORD.finditer(text):
        start, stop = max(0, match.start() - 70), min(len(text), match.end() + 60)
        if spans and start <= spans[-1][1]:
            spans[-1][1] = stop
        else:
            spans.append([start, stop])
    return [text[start:stop] for start, stop in spans[:MAX_WINDOWS]]


def find_role(subject: str, text: str) -> str | None:
    """The job title the message names, as written (without a requisition number)."""
    heads = vocabulary()["title_heads"]
    candidates: defaultdict[str, float] = defaultdict(float)
    sources = [(subject, 2.0), *((window, 1.0) for window in _title_windows(text[:3000]))]
    for line in _FIELD_LINE.finditer(text[:3000]):  # "Job Title: Pricing Data Scientist"
        _offer(line.group(1), 3.0, heads, candidates)
    for source, weight in sources:
        flat = " ".join(source.split())
        for pattern, scale in _TITLE_PATTERNS:
            for match in pattern.finditer(flat):
                _offer(match.group(1), weight * scale, heads, candidates)
    if not candidates:
        return None
    merged: defaultdict[str, float] = defaultdict(float)
    for role, count in candidates.items():
        key = role_key(role)
        longer = [o for o in candidates if o != role and role_key(o).startswith(key + " ")]
        for other in longer or [role]:
            merged[other] += count
    return max(merged, key=lambda c: (merged[c], len(c)))


SIGN_OFFS = frozenset({"best", "regards", "cheers", "sincerely", "kind", "warm", "many", "all"})


def _offer(raw: str, weight: float, heads: list[str], candidates: dict[str, float]) -> None:
    """Count a candidate title when it reads like one (it has a title's head word)."""
    role = " ".join(raw.replace("’", "'").split()).strip(" ,.:;-–")
    role = _NUMBERED_TAG.sub("", role)  # (JR-11902), (Ref. SE-2231)
    role = _SENTENCE_END.split(role, maxsplit=1)[0]
    role = _REQUISITION.sub("", role)
    role = re.sub(r"^(?:the|a|an|our|your|open|new|exciting)\s+", "", role, flags=re.I)
    words = role.split()
    if not words or len(words) > 9:
        return
    lowered = [w.casefold().strip(",()") for w in words]
    if not any(any(w.startswith(h) for h in heads) for w in lowered):
        return
    if lowered[0] in SIGN_OFFS or lowered[0] in (
        "thank",
        "thanks",
        "dear",
        "hi",
        "hello",
        "unfortunately",
        "congratulations",
        "update",
        "re",
        "fwd",
        "your",
        "application",
    ):
        return
    candidates[role] += weight


def same_role(first: str | None, second: str | None) -> bool:
    """Whether two ways of writing a job title name the same job."""
    if not first or not second:
        return first == second
    return role_key(first) == role_key(second)


def role_key(role: str) -> str:
    """A job title for comparison: no requisition number, gender marker or punctuation."""
    text = re.sub(r"\((?:m/f/d|f/m/d|m/w/d|w/m/d|all genders|h/f|f/h)\)", " ", role.casefold())
    text = re.sub(r"\b(?:r|req|jr)[-#]?\s*\d[\w-]*", " ", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def same_company(first: str | None, second: str | None) -> bool:
    """Whether two ways of writing a company name the same company."""
    if not first or not second:
        return first == second
    return company_key(first) == company_key(second)


def company_key(name: str) -> str:
    """A company name for comparison: no legal suffix, case or punctuation."""
    return _compact(clean_company(name))


def company_words(name: str) -> tuple[str, ...]:
    """A company name's words for comparison ("Acme Analytics" is ("acme", "analytics"))."""
    return tuple(_NOT_ALNUM.sub(" ", clean_company(name).casefold().replace("&", "and")).split())


def same_company_loosely(first: str, second: str) -> bool:
    """Whether two names can be the same company: equal once compacted ("Mosaichome" and
    "Mosaic Home"), or one's words start the other's ("Acme" and "Acme Analytics"; never
    "Intel" and "Intelligent Systems")."""
    if company_key(first) == company_key(second):
        return True
    one, other = company_words(first), company_words(second)
    shorter, longer = sorted((one, other), key=len)
    return bool(shorter) and longer[: len(shorter)] == shorter
