"""Where applications went (the stage-flow chart): each application counted once, at the
furthest stage it reached, then by how it left it."""

from __future__ import annotations

from datetime import date, timedelta

from debrief.journal import Journal
from debrief.model import local_today
from debrief.stats import search_stats


def ago(days: int) -> date:
    return local_today() - timedelta(days=days)


def test_each_application_flows_to_its_furthest_stage_and_out(journal: Journal) -> None:
    def app(name: str, days: int = 60) -> int:
        return journal.add_application(name, "DS", applied_on=ago(days)).id

    journal.change_status(app("Rejected on paper"), "rejected", at=ago(50))
    app("Never answered")  # 60 days without a word: unanswered
    app("Just sent", days=3)  # still open at applied
    ghosted = app("Silent after screen")
    journal.add_interview("recruiter_screen", application_id=ghosted, held_on=ago(50))
    journal.change_status(ghosted, "ghosted", at=ago(20))
    journal.add_interview(
        "coding", application_id=app("Coding"), held_on=ago(40), outcome="rejected"
    )
    offer = app("Offer")
    journal.add_interview("final", application_id=offer, held_on=ago(30), outcome="passed")
    journal.change_status(offer, "offer", at=ago(25))
    withdrew = app("Withdrew")
    journal.change_status(withdrew, "screen", at=ago(55))
    journal.change_status(withdrew, "withdrawn", at=ago(54))
    flow = search_stats(journal, as_of=local_today()).flow
    assert flow.applications == 7
    assert {(f.source, f.target): f.count for f in flow.flows} == {
        ("applied", "response"): 5,
        ("applied", "unanswered"): 1,
        ("applied", "open"): 1,
        ("response", "screen"): 4,
        ("response", "rejected"): 1,
        ("screen", "technical"): 2,
        ("screen", "ghosted"): 1,
        ("screen", "withdrawn"): 1,
        ("technical", "onsite"): 1,
        ("technical", "rejected"): 1,
        ("onsite", "offer"): 1,
    }
    assert flow.node_names()["ghosted"] == "Went silent"
