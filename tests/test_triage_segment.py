"""Segmentation of real-looking e-mails and notes, and what triage makes of whole texts."""

from __future__ import annotations

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
    assert found == [
        ("Mock product case with Dana", None),
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


def test_short_pieces_are_not_split_off() -> None:
    assert contrastive_parts("Good, but slow.") == ("Good, but slow.",)
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
    for found in segment(text):
        assert found.text.strip() == found.text
        assert found.text
        assert all(part for part in found.parts)
        assert found.hint in (None, "strength", "constructive")


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
def test_segmenting_email_like_lines_never_fails(lines: list[str]) -> None:
    triaged = Triager().triage_text("\n".join(lines))
    assert all(t.label in ("constructive", "strength", "circumstance", "noise") for t in triaged)
