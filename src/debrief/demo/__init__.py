"""The demo journal: one data scientist's six-month search, generated from a seed.

The cast, the companies and every feedback phrasing are data files beside this module; the
generator only decides who applied where, how far each application went, and which feedback each
round produced. Underneath sits a small "true" skill model: some skills improve over the search
(SQL, statistics, communication) and some stay weak (experimentation, structuring open problems,
product metrics: `planted_weaknesses()`), so rubric scores, self-ratings and the weaknesses that
feedback raises all tell the same story for later analysis to find.
"""

from __future__ import annotations

import csv
import json
import random
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from debrief.errors import DebriefError
from debrief.model import local_today
from debrief.taxonomy import round_skills

if TYPE_CHECKING:
    from debrief.journal import Journal

SEARCH_DAYS = 182
APPLICATIONS = 150
COMPANIES = 100

# Skill level (1–5 scale) at the start and at the end of the search; linear in between.
SKILL_PATH: dict[str, tuple[float, float]] = {
    "sql": (2.0, 4.5),
    "statistics": (2.2, 4.3),
    "coding": (3.0, 3.8),
    "experimentation": (2.1, 2.6),
    "problem_solving": (2.2, 2.8),
    "communication": (2.4, 3.9),
    "machine_learning": (2.7, 3.1),
    "product_sense": (2.3, 2.8),
    "behavioral": (3.2, 4.2),
    "data_analysis": (3.3, 3.9),
    "domain_knowledge": (2.8, 3.6),
}

# Feedback no longer raises a skill as a weakness once its level reaches this.
MASTERED = 3.5
# A skill still below this level when the search ends is a weakness the demo plants to recur.
STILL_WEAK = 3.0


def planted_weaknesses(path: dict[str, tuple[float, float]] = SKILL_PATH) -> tuple[str, ...]:
    """The skill areas that stay weak through the whole search, so feedback keeps raising them:
    the weaknesses themes should find first."""
    return tuple(sorted(skill for skill, (_, end) in path.items() if end < STILL_WEAK))


@dataclass(frozen=True, slots=True)
class SearchProfile:
    """What sets one demo search apart from another (a coach's demo has many); the defaults
    are the single-user demo's."""

    candidate: str | None = None  # the first name mails greet (default: the setting's)
    days: int = SEARCH_DAYS
    applications: int = APPLICATIONS
    offer: bool = True  # whether the furthest onsite ends in an offer
    weak: tuple[str, ...] | None = None  # the skill areas that stay weak (default: the planted)

    def __post_init__(self) -> None:
        if not 60 <= self.days <= 365:
            raise ValueError(f"a demo search lasts 60 to 365 days, not {self.days}")
        if not 30 <= self.applications <= APPLICATIONS:
            raise ValueError(f"a demo search has 30 to {APPLICATIONS} applications")
        unknown = set(self.weak or ()) - set(SKILL_PATH)
        if unknown:
            raise ValueError(f"no skill area {', '.join(sorted(unknown))}")

    def skill_path(self) -> dict[str, tuple[float, float]]:
        """Each skill's level at the start and the end: the weak areas stay below STILL_WEAK;
        the others start fair and pass MASTERED early, so feedback raises them seldom."""
        if self.weak is None:
            return SKILL_PATH
        path = {}
        for skill, (first, last) in SKILL_PATH.items():
            if skill in self.weak:
                path[skill] = (min(first, 2.2), min(last, 2.6))
            else:
                path[skill] = (max(first, 3.1), max(last, 4.0))
        return path


# Which skill a feedback theme (statements.jsonl) is about.
THEME_SKILL: dict[str, str] = {
    "exp_power": "experimentation",
    "exp_metrics": "experimentation",
    "exp_depth": "experimentation",
    "exp_strong": "experimentation",
    "struct": "problem_solving",
    "clarify": "problem_solving",
    "struct_strong": "problem_solving",
    "concise": "communication",
    "aloud": "communication",
    "communication_strong": "communication",
    "ml_eval": "machine_learning",
    "ml_strong": "machine_learning",
    "sql_window": "sql",
    "sql_strong": "sql",
    "stats_inference": "statistics",
    "stats_strong": "statistics",
    "coding_pandas": "coding",
    "coding_strong": "coding",
    "behavioral_story": "behavioral",
    "behavioral_strong": "behavioral",
    "why_us": "behavioral",
    "enthusiasm": "behavioral",
    "domain": "domain_knowledge",
    "take_home": "data_analysis",
    "analysis_strong": "data_analysis",
    "product_strong": "product_sense",
    "product_metrics": "product_sense",
}

SOURCES = {
    "cold_apply": (0.42, 1.0),
    "job_board": (0.26, 0.8),
    "referral": (0.12, 5.0),
    "recruiter_outreach": (0.11, 4.0),
    "network": (0.09, 2.5),
}  # share of applications, relative chance of reaching a recruiter screen

TECHNICAL_ROUNDS = ("technical_screen", "sql", "coding", "statistics", "take_home", "product_case")
ONSITE_ROUNDS = ("product_case", "ml_design", "behavioral", "final", "statistics")
# Practice leans on what the candidate finds hard: statistics, cases, SQL.
MOCK_KINDS = (
    "statistics",
    "sql",
    "product_case",
    "behavioral",
    "statistics",
    "sql",
    "ml_design",
    "product_case",
    "statistics",
    "coding",
    "product_case",
    "sql",
    "ml_design",
    "statistics",
    "product_case",
)


class JournalNotEmpty(DebriefError):
    """The demo only goes into an empty journal, so it never mixes with real data."""


@dataclass(frozen=True, slots=True)
class Statement:
    """One feedback sentence of the demo, with the label a careful reader would give it."""

    text: str
    label: str
    skills: tuple[str, ...]
    theme: str
    pool: str
    # The sub-skill it was written about (an id of debrief/themes/data/subskills.toml, or
    # "none"); empty for circumstance and noise. The benchmark compares sub-themes with it.
    subskill: str = ""


@cache
def _setting() -> dict[str, Any]:
    return tomllib.loads(_read("setting.toml"))


@cache
def _companies() -> list[dict[str, str]]:
    return list(csv.DictReader(_read("companies.csv").splitlines()))


@cache
def demo_statements() -> tuple[Statement, ...]:
    """Every feedback statement the demo can use, with its intended label and skills."""
    rows = [json.loads(line) for line in _read("statements.jsonl").splitlines() if line.strip()]
    return tuple(
        Statement(
            r["text"], r["label"], tuple(r["skills"]), r["theme"], r["pool"], r.get("subskill", "")
        )
        for r in rows
    )


def _read(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text("utf-8")


class _Phrasebook:
    """Draws statements without repeating one until its pool is used up."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._unused: dict[tuple[str, str, str | None], list[Statement]] = defaultdict(list)
        self._all: dict[tuple[str, str, str | None], list[Statement]] = defaultdict(list)
        for statement in demo_statements():
            for key in (
                (statement.pool, statement.label, statement.theme),
                (statement.pool, statement.label, None),
            ):
                self._all[key].append(statement)

    def themes(self, pool: str, label: str) -> list[str]:
        return sorted({s.theme for s in self._all[(pool, label, None)]})

    def draw(self, pool: str, label: str, theme: str | None = None) -> str | None:
        key = (pool, label, theme)
        if not self._all[key]:
            return None
        if not self._unused[key]:
            self._unused[key] = list(self._all[key])
            self._rng.shuffle(self._unused[key])
        return self._unused[key].pop().text


class _Generator:
    def __init__(self, journal: Journal, seed: int, end: date, profile: SearchProfile) -> None:
        self.journal = journal
        self.profile = profile
        self.search_days = profile.days
        self.skill_path = profile.skill_path()
        self.rng = random.Random(seed)
        # Whether the candidate asked for feedback, and when the answer came: drawn apart, so
        # the rest of the demo is the same for a seed as before asking was recorded.
        self.asking = random.Random(seed + 1)
        self.end = end
        self.start = end - timedelta(days=self.search_days)
        self.setting = _setting()
        self.words = _Phrasebook(self.rng)

    # -- the hidden skill model -------------------------------------------------------------

    def progress(self, day: date) -> float:
        return min(1.0, max(0.0, (day - self.start).days / self.search_days))

    def level(self, skill: str, day: date) -> float:
        first, last = self.skill_path.get(skill, (3.0, 3.0))
        return first + (last - first) * self.progress(day)

    def score(self, skill: str, day: date) -> int:
        return max(1, min(5, round(self.level(skill, day) + self.rng.gauss(0, 0.35))))

    def self_rating(self, skills: tuple[str, ...], day: date) -> int:
        # Early on the candidate over-rates; later the self-image catches up with reality.
        true = sum(self.level(s, day) for s in skills) / len(skills)
        bias = 0.9 - 0.8 * self.progress(day)
        return max(1, min(5, round(true + bias + self.rng.gauss(0, 0.4))))

    def weak_themes(self, skills: tuple[str, ...], day: date, pool: str, count: int) -> list[str]:
        """Themes feedback would raise: the weaker a tested skill, the likelier; a skill the
        candidate has mastered by then is not raised at all."""
        candidates = [
            t
            for t in self.words.themes(pool, "constructive")
            if THEME_SKILL[t] in skills and self.level(THEME_SKILL[t], day) < MASTERED
        ]
        weights = [max(0.05, 4.2 - self.level(THEME_SKILL[t], day)) ** 3 for t in candidates]
        return self._sample(candidates, weights, count)

    def strong_themes(self, skills: tuple[str, ...], day: date, pool: str, count: int) -> list[str]:
        candidates = [t for t in self.words.themes(pool, "strength") if THEME_SKILL[t] in skills]
        weights = [max(0.05, self.level(THEME_SKILL[t], day) - 2.4) ** 3 for t in candidates]
        return self._sample(candidates, weights, count)

    def _sample(self, items: list[str], weights: list[float], count: int) -> list[str]:
        chosen: list[str] = []
        items, weights = list(items), list(weights)
        while items and len(chosen) < count:
            pick = self.rng.choices(range(len(items)), weights=weights)[0]
            chosen.append(items.pop(pick))
            weights.pop(pick)
        return chosen

    # -- helpers ----------------------------------------------------------------------------

    def days(self, low: int, high: int) -> timedelta:
        return timedelta(days=self.rng.randint(low, high))

    def pick(self, options: list[str]) -> str:
        return self.rng.choice(options)

    def mail(self, *, company: str, role: str, body: list[str], sender: str | None = None) -> str:
        words = self.setting["mail"]
        sender = sender or self.pick(self.setting["recruiters"])
        first = self.profile.candidate or self.setting["candidate"]
        parts = [self.pick(words["greetings"]).format(first=first), *body]
        if self.rng.random() < 0.8:
            parts.append(self.pick(words["closings"]))
        signature = f"{self.pick(words['sign_offs'])}\n{sender}"
        if self.rng.random() < 0.7:
            signature += f"\nTalent Acquisition | {company}"
        parts.append(signature)
        return "\n\n".join(p.format(company=company, role=role) for p in parts)

    # -- the search ---------------------------------------------------------------------------

    def feedback(self, text: str, **where: Any) -> None:
        """Store feedback; triage comes after the search is written (see `build_demo`)."""
        self.journal.add_feedback(text, triage=False, **where)

    def run(self) -> None:
        applications = self.plan_applications()
        funnel = self.plan_funnel(applications)
        with self.journal.atomic():
            for plan in applications:
                self.play(plan, funnel.get(plan["key"], "none"))
            self.mock_interviews()
            self.coach_notes()

    def plan_applications(self) -> list[dict[str, Any]]:
        wanted = self.profile.applications
        companies = self.rng.sample(_companies(), round(wanted * COMPANIES / APPLICATIONS))
        targets = companies + self.rng.sample(companies, wanted - len(companies))
        source_names = list(SOURCES)
        shares = [SOURCES[name][0] for name in source_names]
        plans = []
        for key, company in enumerate(targets):
            days = self.search_days
            offset = min(days - 1, int(self.rng.triangular(0, days, 70 * days / SEARCH_DAYS)))
            applied = self.start + timedelta(days=offset)
            if applied.weekday() >= 5 and self.rng.random() < 0.7:
                applied -= timedelta(days=applied.weekday() - 4)
            role = self.rng.choice(self.setting["roles"])
            city = company["city"]
            mode = "remote" if city == "Remote" else self.pick(["hybrid", "hybrid", "onsite"])
            plans.append(
                {
                    "key": key,
                    "company": company["name"],
                    "role": role["title"],
                    "level": role["level"],
                    "location": city,
                    "work_mode": mode,
                    "source": self.rng.choices(source_names, weights=shares)[0],
                    "applied": applied,
                }
            )
        plans.sort(key=lambda p: (p["applied"], p["key"]))
        return plans

    def plan_funnel(self, plans: list[dict[str, Any]]) -> dict[int, str]:
        """How far each application gets: none, screen, technical, onsite or offer."""

        def choose(pool: list[dict[str, Any]], count: int, weight: Any) -> list[dict[str, Any]]:
            keys = [p["key"] for p in pool]
            picked = self._sample([str(k) for k in keys], [weight(p) for p in pool], count)
            return [p for p in pool if str(p["key"]) in picked]

        def before(p: dict[str, Any], days: int) -> bool:
            return bool(p["applied"] <= self.end - timedelta(days=days))

        # A shorter search reaches each stage as often, for its number of applications.
        scale = self.profile.applications / APPLICATIONS
        screened = choose(
            [p for p in plans if before(p, 12)],
            round(25 * scale) + self.rng.randint(-1, 1),
            lambda p: SOURCES[p["source"]][1],
        )
        technical = choose(
            [p for p in screened if before(p, 35)],
            round(12 * scale),
            lambda p: 0.5 + self.progress(p["applied"]),
        )
        onsite = choose(
            [p for p in technical if before(p, 55)],
            max(1, round(4 * scale)),
            lambda p: 0.3 + self.progress(p["applied"]) ** 2,
        )
        stage = {p["key"]: "screen" for p in screened}
        stage.update({p["key"]: "technical" for p in technical})
        stage.update({p["key"]: "onsite" for p in onsite})
        if onsite and self.profile.offer:
            offer = max(onsite, key=lambda p: p["applied"])
            stage[offer["key"]] = "offer"
        return stage

    def play(self, plan: dict[str, Any], reach: str) -> None:
        journal = self.journal
        slug = re.sub(r"[^a-z0-9]+", "-", plan["company"].lower()).strip("-")
        app = journal.add_application(
            plan["company"],
            plan["role"],
            level=plan["level"],
            location=plan["location"],
            work_mode=plan["work_mode"],
            source=plan["source"],
            link=f"https://jobs.example.com/{slug}/{1000 + plan['key']}",
            applied_on=plan["applied"],
            notes=self._application_note(plan),
        )
        day: date = plan["applied"]
        if reach == "none":
            self.no_interview(app.id, plan, day)
            return
        day += self.days(3, 10)
        if day > self.end:
            return
        journal.change_status(app.id, "screen", at=day)
        day += self.days(2, 6)
        rounds = [("recruiter_screen", day)]
        if self.rng.random() < 0.35:
            rounds.append(("hiring_manager", day + self.days(3, 6)))
        if reach == "screen":
            self.end_after(app.id, plan, rounds, pool="screen")
            return
        day = rounds[-1][1] + self.days(3, 7)
        self.held(app.id, plan["company"], rounds, passed=True)
        if day > self.end:
            return
        journal.change_status(app.id, "technical", at=day)
        count = 1 if self.rng.random() < 0.5 else 2
        kinds = self.rng.sample(TECHNICAL_ROUNDS, count)
        tech_rounds = []
        for kind in kinds:
            day += self.days(3, 8)
            tech_rounds.append((kind, day))
        if reach == "technical":
            self.end_after(app.id, plan, tech_rounds, pool="panel")
            return
        self.held(app.id, plan["company"], tech_rounds, passed=True)
        day = tech_rounds[-1][1] + self.days(4, 9)
        if day > self.end:
            return
        journal.change_status(app.id, "onsite", at=day)
        day += self.days(5, 10)
        onsite = [(kind, day) for kind in self.rng.sample(ONSITE_ROUNDS, 4)]
        if reach == "onsite":
            self.end_after(app.id, plan, onsite, pool="panel", detailed=True)
            return
        self.held(app.id, plan["company"], onsite, passed=True)
        offer_day = day + self.days(3, 7)
        if offer_day <= self.end:
            journal.change_status(app.id, "offer", at=offer_day)
            self.offer_mail(app.id, plan, offer_day)

    def _application_note(self, plan: dict[str, Any]) -> str | None:
        if plan["source"] == "referral" and self.rng.random() < 0.8:
            return f"Referred by {self.pick(self.setting['interviewers']).split()[0]}."
        if plan["source"] == "job_board" and self.rng.random() < 0.5:
            return f"Found on {self.pick(self.setting['job_boards'])}."
        if plan["source"] == "recruiter_outreach" and self.rng.random() < 0.6:
            return "Recruiter reached out on LinkedIn."
        return None

    def no_interview(self, app_id: int, plan: dict[str, Any], applied: date) -> None:
        """Most applications end here: a rejection e-mail, silence, or still waiting."""
        roll = self.rng.random()
        reply = applied + self.days(3, 28)
        if roll < 0.52 and reply <= self.end:
            self.journal.change_status(app_id, "rejected", at=reply)
            if self.rng.random() < 0.2:
                body = [self.pick(self.setting["mail"]["thanks_application"])]
                body.append(self.words.draw("resume", "noise") or "")
                if self.rng.random() < 0.35:
                    body.append(self.words.draw("resume", "circumstance") or "")
                else:
                    body.append(self.words.draw("resume", "noise") or "")
                text = self.mail(company=plan["company"], role=plan["role"], body=body)
                self.feedback(text, application_id=app_id, source="recruiter", received_on=reply)
        elif roll < 0.97:
            silent = applied + self.days(30, 45)
            if silent <= self.end:
                self.journal.change_status(app_id, "ghosted", at=silent)

    def held(
        self, app_id: int, company: str, rounds: list[tuple[str, date]], *, passed: bool
    ) -> list[int]:
        ids = []
        for kind, day in rounds:
            if day > self.end:
                break
            skills = round_skills()[kind]
            interview = self.journal.add_interview(
                kind,
                application_id=app_id,
                held_on=day,
                interviewer=self.pick(
                    self.setting["recruiters" if kind == "recruiter_screen" else "interviewers"]
                ),
                outcome="passed" if passed else "pending",
                self_rating=self.self_rating(skills, day) if self.rng.random() < 0.85 else None,
                rubric={s: self.score(s, day) for s in skills[:3]} if kind == "take_home" else None,
            )
            ids.append(interview.id)
            if self.rng.random() < 0.2 and kind != "recruiter_screen":
                self.self_debrief(interview.id, company=company, kind=kind, day=day)
        return ids

    def end_after(
        self,
        app_id: int,
        plan: dict[str, Any],
        rounds: list[tuple[str, date]],
        *,
        pool: str,
        detailed: bool = False,
    ) -> None:
        """The application ends after these rounds: rejection (with feedback), silence, or
        the candidate withdrawing; or it is still pending when the search ends."""
        self.held(app_id, plan["company"], rounds[:-1], passed=True)
        last_day = rounds[-1][1]
        if last_day > self.end:
            return
        [last] = self.held(app_id, plan["company"], [rounds[-1]], passed=False)
        decision = last_day + self.days(2, 9)
        if decision > self.end:
            return  # still waiting to hear back
        roll = self.rng.random()
        # The round's outcome closes the application, as it does for a user.
        if pool == "screen" and roll < 0.1:
            self.journal.change_status(
                app_id, "withdrawn", at=decision, note="The salary range was well below my floor."
            )
            self.journal.edit_interview(last, outcome="withdrew", decided_on=decision)
            return
        if roll < 0.15:
            silent = decision + self.days(21, 30)
            if silent <= self.end:  # otherwise they may still write back
                self.journal.edit_interview(last, outcome="ghosted", decided_on=silent)
            return
        self.journal.edit_interview(last, outcome="rejected", decided_on=decision)
        asked = self.ask_for_feedback(app_id, decision)
        if self.rng.random() < 0.2:
            return  # a rejection by phone, nothing written down
        tested = tuple({s for kind, _ in rounds for s in round_skills()[kind]})
        body = self.rejection_body(plan, pool, tested, decision, detailed)
        source = "recruiter" if pool == "screen" else self.pick(["recruiter", "interviewer"])
        received = decision
        if asked is not None and self.asking.random() < 0.5:  # the feedback is the answer
            received = min(asked + timedelta(days=self.asking.randint(2, 8)), self.end)
        self.feedback(
            self.mail(company=plan["company"], role=plan["role"], body=body),
            interview_id=last,
            source=source,
            received_on=received,
        )

    def ask_for_feedback(self, app_id: int, decision: date) -> date | None:
        """Most of the time the candidate asks for feedback a day or three after a rejection."""
        if self.asking.random() >= 0.6:
            return None
        asked = decision + timedelta(days=self.asking.randint(1, 3))
        if asked > self.end:
            return None
        self.journal.record_feedback_asked(app_id, on=asked)
        return asked

    def rejection_body(
        self, plan: dict[str, Any], pool: str, tested: tuple[str, ...], day: date, detailed: bool
    ) -> list[str]:
        words = self.setting["mail"]
        if pool == "screen":
            body = [self.pick(words["thanks_screen"]), self.words.draw("screen", "noise") or ""]
            roll = self.rng.random()
            if roll < 0.45:
                body.append(self.words.draw("screen", "circumstance") or "")
            elif roll < 0.8:
                theme = self.weak_themes(tested, day, "screen", 1)
                if theme:
                    body.append(self.words.draw("screen", "constructive", theme[0]) or "")
                if self.rng.random() < 0.4:
                    body.append(self.words.draw("screen", "strength") or "")
            return [b for b in body if b]
        weak = self.weak_themes(tested, day, "panel", 3 if detailed else self.rng.randint(1, 2))
        strong = self.strong_themes(tested, day, "panel", 2 if detailed else self.rng.randint(0, 1))
        points = [self.words.draw("panel", "strength", t) for t in strong]
        points += [self.words.draw("panel", "constructive", t) for t in weak]
        body = [self.pick(words["thanks_interviews"]), self.words.draw("panel", "noise") or ""]
        if self.rng.random() < 0.6:
            lines = "\n".join(f"- {p}" for p in points if p)
            body.append(f"{self.pick(words['feedback_intro'])}\n\n{lines}")
        else:
            body.append(" ".join(p for p in points if p))
        if self.rng.random() < (0.45 if detailed else 0.2):
            body.append(self.words.draw("panel", "circumstance") or "")
        return [b for b in body if b]

    def offer_mail(self, app_id: int, plan: dict[str, Any], day: date) -> None:
        body = [self.words.draw("offer", "noise") or ""]
        body.append(
            " ".join(filter(None, (self.words.draw("offer", "strength") for _ in range(3))))
        )
        body.append(
            "I'll send the formal offer letter later today; let's find a time to talk it through."
        )
        self.feedback(
            self.mail(company=plan["company"], role=plan["role"], body=body),
            application_id=app_id,
            source="recruiter",
            received_on=day,
        )

    def self_debrief(self, interview_id: int, *, company: str, kind: str, day: date) -> None:
        skills = round_skills()[kind]
        notes = self.setting["notes"]
        lines = [
            self.words.draw("self", "constructive", t)
            for t in self.weak_themes(skills, day, "self", self.rng.randint(1, 2))
        ]
        lines += [
            self.words.draw("self", "strength", t)
            for t in self.strong_themes(skills, day, "self", 1)
        ]
        if not any(lines):
            return
        header = self.pick(notes["self_headers"]).format(
            kind=kind.replace("_", " "), company=company
        )
        text = header + "\n" + " ".join(line for line in lines if line)
        self.feedback(text, interview_id=interview_id, source="self", received_on=day)

    def mock_interviews(self) -> None:
        notes = self.setting["notes"]
        first = self.start + timedelta(days=12)
        span = (self.end - timedelta(days=4) - first).days
        # A shorter search has fewer mocks, as often.
        kinds = MOCK_KINDS[: max(3, round(len(MOCK_KINDS) * self.search_days / SEARCH_DAYS))]
        for index, kind in enumerate(kinds):
            day = first + timedelta(days=span * index // (len(kinds) - 1)) + self.days(-2, 2)
            day = min(day, self.end)
            skills = round_skills()[kind]
            partner = self.pick(self.setting["mock_partners"])
            mock = self.journal.add_interview(
                kind,
                held_on=day,
                interviewer=partner,
                outcome="passed" if self.rng.random() < self.progress(day) else "rejected",
                self_rating=self.self_rating(skills, day),
                rubric={skill: self.score(skill, day) for skill in skills},
            )
            good = [
                self.words.draw("mock", "strength", t)
                for t in self.strong_themes(skills, day, "mock", self.rng.randint(1, 2))
            ]
            work = [
                self.words.draw("mock", "constructive", t)
                for t in self.weak_themes(skills, day, "mock", self.rng.randint(2, 3))
            ]
            header = self.pick(notes["mock_headers"]).format(
                kind=kind.replace("_", " "), partner=partner
            )
            parts = [header]
            if any(good):
                parts.append(
                    self.pick(notes["mock_good"]) + "\n" + "\n".join(f"* {g}" for g in good if g)
                )
            if any(work):
                parts.append(
                    self.pick(notes["mock_work"]) + "\n" + "\n".join(f"* {w}" for w in work if w)
                )
            self.feedback(
                "\n\n".join(parts), interview_id=mock.id, source="mock_partner", received_on=day
            )
            if self.rng.random() < 0.2:
                self.self_debrief(mock.id, company="the mock", kind=kind, day=day)

    def coach_notes(self) -> None:
        notes = self.setting["notes"]
        for fraction in (0.45, 0.8):
            day = self.start + timedelta(days=int(self.search_days * fraction))
            skills = tuple(self.skill_path)
            lines = [
                self.words.draw("coach", "constructive", t)
                for t in self.weak_themes(skills, day, "coach", 2)
            ]
            lines += [
                self.words.draw("coach", "strength", t)
                for t in self.strong_themes(skills, day, "coach", 1)
            ]
            text = (
                self.pick(notes["coach_headers"])
                + "\n"
                + "\n".join(f"{n}. {line}" for n, line in enumerate(filter(None, lines), start=1))
            )
            self.feedback(text, source="coach", received_on=day)


class _Preparation:
    """The questions the candidate noted after their rounds, the stories they told, and the
    practice questions they answered from the bank: drawn with a random source of their own,
    so the rest of the demo is the same for a seed as before they were recorded."""

    PRACTICE_DAYS = 60  # the candidate practises from the bank in the search's last two months

    def __init__(self, journal: Journal, seed: int, search: _Generator) -> None:
        self.journal = journal
        self.rng = random.Random(seed + 2)
        self.search = search
        self.data = tomllib.loads(_read("questions.toml"))

    def run(self) -> None:
        with self.journal.atomic():
            stories = {
                entry["title"]: self.journal.add_story(
                    entry["title"],
                    situation=entry.get("situation"),
                    task=entry.get("task"),
                    action=entry.get("action"),
                    result=entry.get("result"),
                    competencies=entry.get("competencies", ()),
                    skills=entry.get("skills", ()),
                ).id
                for entry in self.data["story"]
            }
            by_competency: dict[str, list[int]] = {}
            for entry in self.data["story"]:
                for competency in entry.get("competencies", ()):
                    by_competency.setdefault(competency, []).append(stories[entry["title"]])
            for interview in self.journal.list_interviews():
                self.asked(interview.id, interview.kind.value, interview.held_on, by_competency)
        self.practice()

    def asked(self, interview_id: int, kind: str, day: date, stories: dict[str, list[int]]) -> None:
        pool = [q for q in self.data["asked"] if q["round"] == kind]
        if not pool or self.rng.random() < 0.25:  # notes are not kept after every round
            return
        chosen = self.rng.sample(pool, min(len(pool), self.rng.randint(1, 3)))
        questions = []
        for entry in chosen:
            area = entry["subskill"].partition(".")[0]
            level = self.search.level(area, day)
            question = {
                "text": entry["text"],
                "kind": entry["kind"],
                "subskill": entry["subskill"],
                "competency": entry.get("competency"),
                "rating": max(1, min(5, round(level + self.rng.gauss(0, 0.6)))),
            }
            told = stories.get(entry.get("competency") or "", [])
            if told and self.rng.random() < 0.85:
                question["story"] = told[0]
            questions.append(question)
        self.journal.add_questions(interview_id, questions, source="notes")

    def practice(self) -> None:
        from debrief.bank import load_bank
        from debrief.plan import ActionPlan

        plan = ActionPlan(self.journal)
        weak = planted_weaknesses(self.search.skill_path)
        pool = [q for q in load_bank().questions if q.skill in weak] or list(load_bank().questions)
        end = self.search.end
        start = end - timedelta(days=self.PRACTICE_DAYS)
        days = sorted(
            start + timedelta(days=self.rng.randint(0, self.PRACTICE_DAYS)) for _ in range(18)
        )
        for day in days:
            question = self.rng.choice(pool)
            level = (
                self.search.level(question.skill, day)
                + 0.8 * (day - start).days / self.PRACTICE_DAYS
            )
            plan.practise_question(
                question.id,
                rating=max(1, min(5, round(level + self.rng.gauss(0, 0.5)))),
                minutes=self.rng.choice([15, 20, 30, 45]),
                on=day,
            )


def build_demo(
    journal: Journal,
    *,
    seed: int = 7,
    end: date | None = None,
    profile: SearchProfile | None = None,
) -> None:
    """Fill an empty journal with a realistic six-month search ending on `end` (default today);
    a `profile` makes it another kind of search (shorter, without an offer, other weaknesses).

    The same seed, end date and profile always give the same journal.
    """
    current = journal.summary()
    if (
        current.applications
        or current.interviews_real
        or current.interviews_mock
        or current.feedback
    ):
        raise JournalNotEmpty(
            f"the journal at {journal.location} already holds data; the demo only goes into an "
            "empty journal (try --db demo.db)"
        )
    generator = _Generator(journal, seed, end or local_today(), profile or SearchProfile())
    generator.run()
    _Preparation(journal, seed, generator).run()
    # Triage the feedback once the search is written, so it runs outside the write (as every
    # triage does) and the search lands in one transaction.
    journal.retriage()
