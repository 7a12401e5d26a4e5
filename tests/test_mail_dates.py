"""The day applied of an application first heard of in a later e-mail: unknown unless the mail
says it, shown as such, and left out of response times."""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest

from debrief.ingest.mail.dates import stated_applied_day
from tests.conftest import CliDriver

SENT = date(2026, 3, 20)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Your application for the Analyst role, submitted on 3 March 2026, is with us.", (3, 3)),
        ("You applied on March 4, 2026 for the Data Scientist opening.", (3, 4)),
        ("Date applied: 2026-03-02\nRequisition: R-118", (3, 2)),
        ("Application date: 14/03/2026", (3, 14)),
        ("We received your application on Tuesday, March 10th.", (3, 10)),
        ("Your application (R-2231) was received on Mar 2, 2026.", (3, 2)),
    ],
)
def test_a_day_the_mail_ties_to_the_application_is_read(text: str, day: tuple[int, int]) -> None:
    assert stated_applied_day(text, SENT) == date(2026, *day)


@pytest.mark.parametrize(
    "text",
    [
        "Application date: 03/04/2026",  # March or April: depends on who wrote it
        "Thank you for applying to Acme, your interview is on 12 March.",
        "Thanks for your application; we will call you on 12 March.",
        "Thank you for your application. We would like to meet on March 25.",
        "Your application on our careers site was received.",
        "You applied on 2026-04-02.",  # after the message was sent
        "You applied on 2024-03-02.",  # more than a year before
        "Application date: 31 February 2026",
        "We reviewed your application on 10 March and will not take it further.",
        "Your application was considered by the hiring team on March 12, 2026.",
        "About your application: on Monday, 16 March the panel met.",
    ],
)
def test_no_day_is_read_where_the_mail_does_not_tie_one_to_the_application(text: str) -> None:
    assert stated_applied_day(text, SENT) is None


def test_a_day_without_a_year_is_the_latest_one_before_the_message() -> None:
    assert stated_applied_day("You applied on 28 December.", date(2026, 1, 9)) == date(2025, 12, 28)


def mail(path: Path, body: str, *, subject: str, sent: str, id: str) -> Path:
    message = EmailMessage()
    message["From"] = "Talent at Quillfeather <careers@quillfeather.io>"
    message["To"] = "Maren Okafor <maren@example.org>"
    message["Subject"] = subject
    message["Date"] = sent
    message["Message-ID"] = f"<{id}@quillfeather.io>"
    message.set_content(body)
    path.write_bytes(message.as_bytes())
    return path


def rejected(folder: Path, sent: str) -> Path:
    """Quillfeather's rejection of the Data Analyst application, sent then."""
    return mail(
        folder / "no.eml",
        "Dear Maren,\n\nThank you for your interest in the Data Analyst role at Quillfeather. "
        "After careful review we have decided not to move forward with your application.\n\n"
        "Kind regards,\nQuillfeather Talent",
        subject="Your application to Quillfeather",
        sent=sent,
        id="no",
    )


def the_application(cli: CliDriver) -> tuple[str, bool, str]:
    """The journal's one application: its day applied, whether that is known, its status."""
    [app] = cli.json("app", "list")  # type: ignore[misc]
    return app["applied_on"], app["applied_on_known"], app["status"]


def test_an_application_first_heard_of_in_a_rejection_has_an_unknown_applied_date(
    cli: CliDriver, tmp_path: Path
) -> None:
    rejection = rejected(tmp_path, "Mon, 09 Mar 2026 10:00:00 +0000")
    done = cli.json("import", "email", str(rejection))
    assert isinstance(done, dict)
    [decision] = done["decisions"]
    assert decision["action"] == "create" and "applied date unknown" in decision["reason"]
    assert the_application(cli) == ("2026-03-09", False, "rejected")
    assert "unknown" in cli.ok("app", "list").stdout
    assert (
        "unknown (about 2026-03-09; `app edit 1 --applied DATE` sets it)"
        in cli.ok("app", "show", "1").stdout
    )
    # A rejection on the day "applied" would be a 0-day answer: it is left out, and said so.
    [everyone, *_] = cli.json("stats", "responses")  # type: ignore[misc]
    assert (everyone["answered"], everyone["days"], everyone["undated"]) == (1, [], 1)
    assert "1 answered application with an unknown applied date" in cli.ok(
        "stats", "responses"
    ).stdout.replace("\n", " ")
    # The user can say when.
    cli.ok("app", "edit", "1", "--applied", "2026-02-20")
    [everyone, *_] = cli.json("stats", "responses")  # type: ignore[misc]
    assert (everyone["days"], everyone["undated"]) == ([17], 0)


def test_an_acknowledgement_or_a_stated_day_gives_a_known_applied_date(
    cli: CliDriver, tmp_path: Path
) -> None:
    received = mail(
        tmp_path / "ack.eml",
        "Hi Maren,\n\nThank you for applying to the Data Analyst role at Quillfeather. We have "
        "received your application and will review it shortly.\n\nQuillfeather Talent",
        subject="We received your application",
        sent="Tue, 03 Mar 2026 09:00:00 +0000",
        id="ack",
    )
    invited = mail(
        tmp_path / "invite.eml",
        "Hi Maren,\n\nThank you for your application for the Machine Learning Engineer role, "
        "submitted on 2 March 2026. We would like to invite you to a phone screen with our "
        "recruiter. Please pick a time that suits you.\n\nQuillfeather Talent",
        subject="Interview invitation: Machine Learning Engineer",
        sent="Wed, 11 Mar 2026 09:00:00 +0000",
        id="invite",
    )
    cli.ok("import", "email", str(received), str(invited))
    found = cli.json("app", "list")
    assert isinstance(found, list)
    by_role = {app["role"]: app for app in found}
    analyst = by_role["Data Analyst"]
    assert (analyst["applied_on"], analyst["applied_on_known"]) == ("2026-03-03", True)
    engineer = by_role["Machine Learning Engineer"]
    assert (engineer["applied_on"], engineer["applied_on_known"], engineer["status"]) == (
        "2026-03-02",
        True,
        "screen",
    )


def test_an_earlier_acknowledgement_read_after_the_rejection_dates_the_same_application(
    cli: CliDriver, tmp_path: Path
) -> None:
    """As when INBOX holds the rejection and another folder, read after it, the older
    acknowledgement: one application, dated by the acknowledgement, still rejected."""
    rejection = rejected(tmp_path, "Fri, 27 Mar 2026 10:00:00 +0000")
    received = mail(
        tmp_path / "ack.eml",
        "Hi Maren,\n\nThank you for applying to the Data Analyst role at Quillfeather. We have "
        "received your application and will review it shortly.\n\nQuillfeather Talent",
        subject="We received your application",
        sent="Mon, 02 Mar 2026 09:00:00 +0000",
        id="early-ack",
    )
    cli.ok("import", "email", str(rejection))
    later = cli.json("import", "email", str(received))
    assert isinstance(later, dict)
    [decision] = later["decisions"]
    assert decision["action"] == "update" and "applied on 2026-03-02" in decision["reason"]
    assert the_application(cli) == ("2026-03-02", True, "rejected")
    [everyone, *_] = cli.json("stats", "responses")  # type: ignore[misc]
    assert (everyone["days"], everyone["undated"]) == ([25], 0)
