"""Segmentation of real-looking e-mails and notes, and what triage makes of whole texts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debrief.triage.classify import Triager
from debrief.triage.segment import clean_lines, contrastive_parts, segment, split_sentences

GENERIC_REJECTION = """\
Subject: Your application to Northwind Analytics

Dear Priya,

Thank you for your interest in the Senior Data Scientist position and for the time you invested
in our process. We received a large number of applications from highly qualified candidates.
After careful consideration, we have decided to move forward with other candidates whose
experience more closely matches our current needs.

We will keep your resume on file and encourage you to apply for future openings.

We wish you the best of luck in your job search.

Kind regards,
The Talent Acquisition Team
Northwind Analytics | careers@northwind.example
This e-mail and any attachments are confidential and intended solely for the addressee.
"""

MIXED = (
    "Your SQL was strong, but your A/B testing answers lacked depth, and in the end we "
    "went with an internal candidate."
)


def texts(text: str) -> list[str]:
    return [s.text for s in segment(text)]


def test_generic_rejection_email_has_no_constructive_statement() -> None:
    triaged = Triager().triage_text(GENERIC_REJECTION)
    assert triaged, "the courtesy and rejection wording is still reported, as noise"
    assert [t.label for t in triaged if t.label == "constructive"] == []
    assert all(t.label in ("noise", "circumstance") for t in triaged)
    joined = " ".join(t.text for t in triaged)
    assert "Dear Priya" not in joined and "Kind regards" not in joined
    assert "confidential" not in joined and "careers@" not in joined and "Subject" not in joined


def test_mixed_sentence_is_split_where_its_parts_differ() -> None:
    [only] = segment(MIXED)
    assert only.parts == (
        "Your SQL was strong",
        "your A/B testing answers lacked depth",
        "we went with an internal candidate.",
    )
    triaged = Triager().triage_text(MIXED)
    assert [(t.label, t.skills) for t in triaged] == [
        ("strength", ("sql",)),
        ("constructive", ("experimentation",)),
        ("circumstance", ()),
    ]


def test_a_contrast_between_parts_of_one_label_is_not_split() -> None:
    sentence = "The joins were clean and fast, but also the window functions were spot on."
    triaged = Triager().triage_text(sentence)
    assert len(triaged) == 1
    assert triaged[0].text == sentence
    assert triaged[0].label == "strength"


def test_greeting_signature_quote_and_html_are_dropped() -> None:
    email = (
        "<html><body><p>Hi Priya,</p>"
        "<p>Thanks&nbsp;again for coming in. The case study was well structured.</p>"
        "<p>You did not size the experiment before proposing a duration.</p>"
        "<p>Best,<br>Tom Becker<br>Recruiter</p></body></html>\n"
        "On Tue, Mar 3, 2026 at 10:02 AM Priya <priya@example.com> wrote:\n"
        "> Could you share any feedback?\n"
    )
    assert texts(email) == [
        "Thanks again for coming in.",
        "The case study was well structured.",
        "You did not size the experiment before proposing a duration.",
    ]


def test_outlook_style_reply_headers_end_the_message() -> None:
    email = (
        "Your stats answers were solid.\n\n"
        "From: Tom Becker <tom@acme.example>\n"
        "Sent: Monday, March 2, 2026 9:14 AM\n"
        "To: Priya\n"
        "Subject: RE: feedback\n\n"
        "Old text that must not be triaged again.\n"
    )
    assert texts(email) == ["Your stats answers were solid."]


def test_forwarded_message_keeps_the_forwarded_feedback() -> None:
    email = (
        "fyi, see below\n\n"
        "---------- Forwarded message ---------\n"
        "From: Recruiting <jobs@acme.example>\n"
        "Date: Mon, Mar 2, 2026\n"
        "Subject: Feedback\n\n"
        "The panel felt your product metrics were well chosen.\n"
    )
    assert texts(email) == [
        "fyi, see below",
        "The panel felt your product metrics were well chosen.",
    ]


def test_bullets_and_section_headings() -> None:
    notes = (
        "Mock product case with Dana\n\n"
        "What went well:\n"
        "* clean metric definitions\n"
        "* good pace\n\n"
        "To work on:\n"
        "- didn't ask what the goal was\n"
        "- sample size reasoning was hand-wavy\n\n"
        "Overall a solid session, let's do another next week."
    )
    found = [(s.text, s.hint) for s in segment(notes)]
    assert found == [  # the note's title is not feedback
        ("clean metric definitions", "strength"),
        ("good pace", "strength"),
        ("didn't ask what the goal was", "constructive"),
        ("sample size reasoning was hand-wavy", "constructive"),
        ("Overall a solid session, let's do another next week.", None),
    ]
    triaged = Triager().triage_text(notes)
    by_text = {t.text: t for t in triaged}
    assert by_text["good pace"].label == "strength"
    assert by_text["didn't ask what the goal was"].label == "constructive"
    assert by_text["sample size reasoning was hand-wavy"].label == "constructive"
    assert by_text["clean metric definitions"].label == "strength"


@pytest.mark.parametrize(
    "title",
    [
        "Notes from today's mock statistics (Mira Costa)",
        "Mock sql with Pat O'Neill: notes",
        "Dana Whitfield's feedback on the mock ml design",
        "Self-debrief after the product case at Brightloop.",
        "Notes to self after today's coding.",
        "Reflection on the Harbor & Pine technical screen, written the same evening.",
    ],
)
def test_a_notes_title_is_not_a_statement(title: str) -> None:
    assert texts(f"{title}\nI rambled on the first behavioral question.") == [
        "I rambled on the first behavioral question."
    ]


@pytest.mark.parametrize(
    "first_line",
    [
        "Great SQL",  # terse feedback with no title word
        "Feedback on the SQL round was mixed.",  # a sentence, not a title
        "The mock went well overall, but the case was weak.",
    ],
)
def test_a_first_line_that_is_feedback_stays(first_line: str) -> None:
    assert texts(f"{first_line}\n\nWeak on power analysis.")[0] == first_line


def test_a_long_lead_in_to_a_list_is_dropped_but_a_colon_sentence_is_not() -> None:
    email = (
        "I was able to get some specific feedback from the team that I hope is useful:\n\n"
        "- Your SQL was clean.\n"
        "- The A/B testing part lacked depth.\n\n"
        "One thing the panel stressed more than anything else was this: be concise.\n"
    )
    assert texts(email) == [
        "Your SQL was clean.",
        "The A/B testing part lacked depth.",
        "One thing the panel stressed more than anything else was this: be concise.",
    ]


def test_a_heading_decides_between_strength_and_constructive() -> None:
    neutral = "window functions"
    [under_good] = Triager().triage_text(f"What went well:\n- {neutral}")
    [under_work] = Triager().triage_text(f"To work on:\n- {neutral}")
    assert (under_good.label, under_work.label) == ("strength", "constructive")
    assert "heading" in under_good.explanation + under_work.explanation


def test_sentences_keep_abbreviations_and_decimals_together() -> None:
    paragraph = (
        "Use a proper test, e.g. a t-test at alpha 0.05. The p-value was 0.03 vs. the threshold. "
        "Next time, ask first!"
    )
    assert split_sentences(paragraph) == [
        "Use a proper test, e.g. a t-test at alpha 0.05.",
        "The p-value was 0.03 vs. the threshold.",
        "Next time, ask first!",
    ]


def test_contrast_parts_of_any_length_are_proposed() -> None:
    # Whether the sentence is split there is the classifier's decision, whatever the lengths.
    assert contrastive_parts("Good, but slow.") == ("Good", "slow.")
    assert contrastive_parts("Great SQL but your A/B test design ignored power.") == (
        "Great SQL",
        "your A/B test design ignored power.",
    )
    assert contrastive_parts("Strong Python; weak on causal inference.") == (
        "Strong Python",
        "weak on causal inference.",
    )
    assert contrastive_parts("Not only fast but also clean code.") == (
        "Not only fast but also clean code.",
    )
    assert contrastive_parts("Fast and correct SQL, though the naming was confusing") == (
        "Fast and correct SQL",
        "the naming was confusing",
    )


def test_signature_after_sign_off_is_dropped_but_body_thanks_is_kept() -> None:
    assert clean_lines("Thanks for your time today.\nYour SQL was good.\n\nThanks,\nSam\n") == [
        "Thanks for your time today.",
        "Your SQL was good.",
        "",
    ]


@given(st.text(max_size=600))
@settings(max_examples=300, deadline=None)
def test_segmentation_never_fails_and_yields_clean_statements(text: str) -> None:
    flat = " ".join(" ".join(clean_lines(text)).split())
    for found in segment(text):
        assert found.text.strip() == found.text
        assert found.text
        assert all(part for part in found.parts)
        assert all(part in found.text for part in found.parts)
        assert found.hint in (None, "strength", "constructive")
        # every statement is text that was there (greetings and bullets aside)
        assert found.text in flat


@given(
    st.lists(
        st.sampled_from(
            [
                "Hi Priya,",
                "Your SQL was strong.",
                "<br>",
                "&nbsp;",
                "> quoted line",
                "- a bullet about window functions",
                "Best,",
                "Tom",
                "",
                "What went well:",
                "To work on:",
                "On Mon wrote:",
            ]
        ),
        max_size=25,
    )
)
@settings(max_examples=200, deadline=None)
def test_email_furniture_never_becomes_a_statement(lines: list[str]) -> None:
    texts = [t.text for t in Triager().triage_text("\n".join(lines))]
    for furniture in ("Hi Priya", "Best,", "quoted line", "What went well", "To work on", "wrote:"):
        assert not any(furniture in text for text in texts), (furniture, texts)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "You shared confidential details about your employer's churn model, which worried "
            "the panel.",
            ["You shared confidential details about your employer's churn model, which worried "
             "the panel."],
        ),
        (
            "Many thanks!\n- Practise SQL window functions\n- Explain trade-offs out loud\n",
            ["Practise SQL window functions", "Explain trade-offs out loud"],
        ),
        (
            "Thanks,\nyour experiment design lacked a power analysis",
            ["your experiment design lacked a power analysis"],
        ),
        ("WHERE start<end AND end>now was wrong", ["WHERE start<end AND end>now was wrong"]),
        (
            "You returned List<String> instead of a set.",
            ["You returned List<String> instead of a set."],
        ),
        (
            "Hola Sam, your probability answers were shaky.\n\nSaludos,\nAna",
            ["your probability answers were shaky."],
        ),
        (
            "This email and any attachments are confidential and intended solely for the "
            "addressee.\nYour SQL was fine.",
            ["Your SQL was fine."],
        ),
        (
            "fyi\n\n---------- Forwarded message ---------\nFrom: a@b.example\nDate: Mon\n\n"
            "Hi Sam,\nYour case study was vague.\n\n"
            "Jane Doe Senior Recruiter Acme Corp | +1 415 555 0199",
            ["Your case study was vague."],
        ),
    ],
)  # fmt: skip
def test_feedback_survives_the_filters_and_furniture_does_not(
    text: str, expected: list[str]
) -> None:
    assert [s.text for s in segment(text) if s.text != "fyi"] == expected


def test_a_leading_although_clause_is_a_contrast() -> None:
    assert contrastive_parts(
        "Although your SQL was strong, your A/B testing answers lacked depth."
    ) == ("Although your SQL was strong", "your A/B testing answers lacked depth.")


def test_splitting_stays_linear_on_run_on_text() -> None:
    import time

    start = time.perf_counter()
    assert contrastive_parts("ok, but " * 20_000) == ("ok, but " * 20_000,)
    assert time.perf_counter() - start < 1.0
