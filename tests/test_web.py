"""The web app through FastAPI's TestClient: every page and API route, bad input, CSRF, escaping,
security headers, size limits, the partner's form by link, and the mail import review queue."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from debrief.journal import Journal
from debrief.model import Status
from debrief.plan.propose import TARGET_DAYS
from debrief.web import create_app
from debrief.web.security import CSRF_COOKIE, MAX_BODY_BYTES
from tests.conftest import CliDriver

END = date(2026, 11, 30)
PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture(scope="module")
def demo_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app over the demo journal (read-only tests)."""
    from debrief.demo import build_demo

    path = tmp_path_factory.mktemp("web") / "demo.db"
    with Journal.open(str(path)) as journal:
        build_demo(journal, seed=7, end=END)
        with TestClient(create_app(journal)) as client:
            yield client


@pytest.fixture
def client(journal: Journal) -> Iterator[TestClient]:
    """The app over a fresh journal (SQLite, and PostgreSQL when configured)."""
    with TestClient(create_app(journal)) as test_client:
        test_client.get("/")  # sets the CSRF cookie
        yield test_client


def csrf(client: TestClient) -> str:
    token = client.cookies.get(CSRF_COOKIE)
    assert token
    return token


def post_form(client: TestClient, url: str, **fields: str) -> object:
    return client.post(url, data={"csrf_token": csrf(client), **fields}, follow_redirects=False)


# -- every page --------------------------------------------------------------------------------

PAGES = [
    "/",
    "/board",
    "/inbox",
    "/inbox?page=2",
    "/interviews",
    "/interviews?mock=mock",
    "/interviews?mock=real&kind=sql&outcome=passed",
    "/themes",
    "/plan",
    "/applications",
    "/import",
    "/export",
    "/applications?status=rejected&source=referral&company=a&since=2026-07-01",
    "/applications?company=%C3%BC",
    "/applications/new",
    "/applications/1",
    "/applications/1/edit",
    "/interviews/new",
    "/interviews/new?application_id=1",
    "/interviews/1",
    "/interviews/1/edit",
    "/feedback/new",
    "/feedback/new?interview_id=1",
    "/feedback/1",
    "/imports/review",
    "/imports/review?state=all",
    "/questions",
    "/questions?kind=product_case",
    "/questions/bank",
    "/questions/bank?skill=sql&kind=coding&search=join",
    "/questions/1/edit",
    "/stories",
    "/stories/1",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_with_security_headers(demo_client: TestClient, path: str) -> None:
    response = demo_client.get(path)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["x-frame-options"] == "DENY"
    # No inline executable script anywhere: only JSON data blocks and the app's own files.
    assert re.findall(r"<script>", response.text) == []
    assert "Traceback" not in response.text


def test_the_applications_page_lists_and_filters(demo_client: TestClient) -> None:
    """FINDINGS W3: GET /applications answered 405, so a reload after a form error did too."""
    everything = demo_client.get("/applications").text
    assert "150 applications, the latest" not in everything and "150 applications." in everything
    rejected = demo_client.get("/applications?status=rejected&source=referral").text
    assert '<option value="rejected" selected>' in rejected
    rows = re.findall(r'<span class="status status-(\w+)">', rejected)
    assert rows and set(rows) == {"rejected"}
    bad = demo_client.get("/applications?status=hired")
    assert bad.status_code == 422 and "hired" in bad.text
    board = demo_client.get("/board").text
    assert 'href="/applications?status=rejected"' in board


def test_the_dashboard_shows_the_search(demo_client: TestClient) -> None:
    page = demo_client.get("/").text
    assert "150</strong><span>applications" in page
    assert 'data-chart="funnel"' in page and 'id="charts"' in page
    assert "Top recurring weaknesses" in page and "/plan#item-" in page
    assert "/assets/plotly.min.js" in page
    assert demo_client.get("/assets/plotly.min.js").status_code == 200


def test_a_served_app_builds_the_analysis_as_it_starts(journal: Journal) -> None:
    journal.add_application("Acme", "Data Scientist")
    before = journal.revision()
    app = create_app(journal, warm=True)
    with TestClient(app) as client:
        cache = app.state.analysis
        assert cache.warming is not None
        cache.warming.join(timeout=60)
        ready = cache.analysis()
        assert ready.report.stats.funnel.stages[0].reached == 1
        assert client.get("/").status_code == 200
        assert cache.analysis() is ready  # the visit used what the start built
    assert journal.revision() == before  # building it read only


def test_the_board_has_every_status_and_the_counts(demo_client: TestClient, tmp_path: Path) -> None:
    page = demo_client.get("/board").text
    for status in Status:
        assert f'data-status="{status.value}"' in page
    summary = demo_client.get("/api/summary").json()
    for status, count in summary["by_status"].items():
        assert re.search(
            rf'data-status="{status}".*?<span class="count">{count}</span>', page, re.S
        )
    # Columns bigger than a page say how many older cards are not shown.
    assert "older</a> not shown" in page


def test_the_report_page_allows_exactly_its_own_scripts(demo_client: TestClient) -> None:
    import base64
    import hashlib

    response = demo_client.get("/report")
    assert response.status_code == 200
    from debrief.report.html import plotly_source

    scripts = re.findall(r"<script>(.*?)</script>", response.text, re.S)
    assert len(scripts) == 1  # the lines that unpack plotly.js and draw the charts
    policy = response.headers["content-security-policy"]
    for body in [*scripts, plotly_source()]:  # and plotly.js, which they add unpacked
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert "unsafe-inline" not in policy.split("style-src")[0]


def test_unknown_records_and_bad_filters_get_pages_not_tracebacks(demo_client: TestClient) -> None:
    missing = demo_client.get("/applications/999999")
    assert missing.status_code == 404 and "No application with id 999999" in missing.text
    assert demo_client.get("/interviews/0").status_code == 422
    bad = demo_client.get("/interviews?kind=karaoke")
    assert bad.status_code == 422 and "karaoke" in bad.text and "Traceback" not in bad.text
    assert demo_client.get("/nowhere").status_code == 404


# -- forms: applications -----------------------------------------------------------------------


def test_add_edit_move_and_delete_an_application_through_forms(
    client: TestClient, journal: Journal
) -> None:
    added = post_form(
        client,
        "/applications",
        company="Acme Analytics",
        role="Data Scientist",
        source="referral",
        applied_on=str(END - timedelta(days=3)),
        link="acme.example/jobs/1",
    )
    assert added.status_code == 303
    app_id = int(added.headers["location"].rsplit("/", 1)[1])
    page = client.get(f"/applications/{app_id}").text
    assert "Acme Analytics" in page and "https://acme.example/jobs/1" in page

    edited = post_form(
        client, f"/applications/{app_id}/edit", company="Acme", role="Senior DS", level="senior"
    )
    assert edited.status_code == 303
    assert journal.get_application(app_id).application.role == "Senior DS"

    moved = post_form(client, f"/applications/{app_id}/move", status="screen")
    assert moved.status_code == 303 and moved.headers["location"].startswith("/board")
    history = journal.get_application(app_id).history
    assert [c.to_status for c in history] == [Status.APPLIED, Status.SCREEN]

    # A backwards move asks first, in the browser's words, not the CLI's (FINDINGS W2).
    backwards = post_form(client, f"/applications/{app_id}/move", status="applied")
    assert backwards.status_code == 409 and "--force" not in backwards.text
    assert "Move Acme back to applied?" in backwards.text
    assert 'name="force" value="on"' in backwards.text
    assert journal.get_application(app_id).application.status == Status.SCREEN
    confirmed = post_form(client, f"/applications/{app_id}/move", status="applied", force="on")
    assert confirmed.status_code == 303
    [*_, last] = journal.get_application(app_id).history
    assert (last.to_status, last.forced) == (Status.APPLIED, True)

    deleted = post_form(client, f"/applications/{app_id}/delete")
    assert deleted.status_code == 303
    assert journal.list_applications() == []


def test_an_unknown_day_applied_is_shown_as_such(client: TestClient, journal: Journal) -> None:
    estimated = journal.add_application(
        "Quillfeather", "Data Analyst", applied_on="2026-03-09", applied_on_known=False
    )
    known = journal.add_application("Brindle", "Data Analyst", applied_on="2026-03-02")
    page = client.get(f"/applications/{estimated.id}").text
    assert "unknown" in page and "about 2026-03-09" in page
    assert "unknown" not in client.get(f"/applications/{known.id}").text
    board = client.get("/board").text
    assert 'about <span class="day">2026-03-09</span>' in board
    assert f'#{known.id} · <span class="day">2026-03-02</span>' in board
    [api] = [a for a in client.get("/api/applications").json() if a["id"] == estimated.id]
    assert api["applied_on_known"] is False
    # Saving the edit form with the estimate as it was keeps it an estimate.
    form = client.get(f"/applications/{estimated.id}/edit").text
    assert 'value="2026-03-09"' in form
    post_form(
        client,
        f"/applications/{estimated.id}/edit",
        company="Quillfeather",
        role="Data Analyst",
        applied_on="2026-03-09",
        notes="a note",
    )
    kept = journal.get_application(estimated.id).application
    assert (kept.notes, kept.applied_on_known) == ("a note", False)
    post_form(
        client,
        f"/applications/{estimated.id}/edit",
        company="Quillfeather",
        role="Data Analyst",
        applied_on="2026-03-02",
    )
    assert journal.get_application(estimated.id).application.applied_on_known is True


def test_a_bad_application_form_comes_back_with_the_message_in_the_page(
    client: TestClient, journal: Journal
) -> None:
    future = str(date.today() + timedelta(days=30))
    response = post_form(client, "/applications", company="Acme", role="DS", applied_on=future)
    assert response.status_code == 422
    assert 'id="applied_on-error"' in response.text and "future" in response.text
    assert 'value="Acme"' in response.text  # what was typed is kept
    missing = post_form(client, "/applications", company="", role="DS")
    assert missing.status_code == 422 and 'id="company-error"' in missing.text
    link = post_form(client, "/applications", company="A", role="B", link="javascript:alert(1)")
    assert link.status_code == 422 and "not a web address" in link.text
    # Every error at once, not only the first (FINDINGS W3).
    several = post_form(
        client, "/applications", company="", role="", link="javascript:x", applied_on=future
    )
    for field in ("company", "role", "link", "applied_on"):
        assert f'id="{field}-error"' in several.text, field
    interview = post_form(
        client, "/interviews", kind="karaoke", self_rating="9", held_on="yesterday-ish"
    )
    for field in ("kind", "self_rating", "held_on"):
        assert f'id="{field}-error"' in interview.text, field
    assert journal.list_applications() == []


# -- forms: interviews, feedback and the inbox -------------------------------------------------


def test_interviews_and_feedback_through_forms_and_the_inbox(
    client: TestClient, journal: Journal
) -> None:
    app = journal.add_application("Beta Corp", "Analyst")
    added = post_form(
        client,
        "/interviews",
        kind="sql",
        application_id=str(app.id),
        held_on=str(END),
        outcome="rejected",
        self_rating="3",
        rubric_sql="2",
    )
    assert added.status_code == 303, added.text[:300]
    interview_id = int(added.headers["location"].rsplit("/", 1)[1])
    assert journal.get_interview(interview_id).interview.rubric == {"sql": 2}
    bad = post_form(client, "/interviews", kind="sql", self_rating="9")
    assert bad.status_code == 422 and 'id="self_rating-error"' in bad.text

    text = (
        "Thanks for your time. Your window functions were shaky and you did not ask "
        "clarifying questions. The budget for the role was cut."
    )
    sent = post_form(client, "/feedback", text=text, interview_id=str(interview_id))
    assert sent.status_code == 303
    feedback_id = int(sent.headers["location"].rsplit("/", 1)[1])
    statements = journal.list_statements(feedback_id=feedback_id)
    assert len(statements) >= 3
    inbox = client.get("/inbox").text
    assert f'id="feedback-{feedback_id}"' in inbox and "1</strong> piece" in inbox

    first, *rest = statements
    relabel = "noise" if first.label != "noise" else "circumstance"
    done = post_form(client, f"/statements/{first.id}/label", label=relabel, next="/inbox")
    assert done.status_code == 303 and done.headers["location"] == f"/inbox#feedback-{feedback_id}"
    assert journal.get_statement(first.id).label == relabel
    assert journal.get_statement(first.id).origin == "user"
    for statement in rest:
        post_form(client, f"/statements/{statement.id}/confirm", next="/inbox")
        assert journal.get_statement(statement.id).origin == "user"
        assert journal.get_statement(statement.id).label == statement.label
    assert "0</strong> pieces" in client.get("/inbox").text

    empty = post_form(client, "/feedback", text="   ")
    assert empty.status_code == 422 and "feedback text" in empty.text
    both = post_form(client, "/feedback", text="x", interview_id="1", application_id=str(app.id))
    assert both.status_code == 422
    outside = post_form(client, f"/statements/{first.id}/confirm", next="https://evil.example/")
    assert outside.headers["location"].startswith("/inbox")


def test_plan_actions_through_forms(client: TestClient, journal: Journal) -> None:
    from debrief.plan import ActionPlan

    add_recurring_weakness(journal)
    view = ActionPlan(journal).refresh()
    item = view.items[0].item
    assert item.status == "proposed"
    page = client.get("/plan").text
    assert f'id="item-{item.id}"' in page
    # The target field holds the default it is accepted with (FINDINGS W5).
    default = date.today() + timedelta(days=TARGET_DAYS)
    assert f'name="target" value="{default}"' in page
    target = str(date.today() + timedelta(days=20))
    assert post_form(client, f"/plan/{item.id}/accept", target=target).status_code == 303
    assert ActionPlan(journal).get(item.id).status == "accepted"
    logged = post_form(
        client,
        f"/plan/{item.id}/practice",
        text="Two SQL drills",
        minutes="45",
        task="1",
        done="on",
    )
    assert logged.status_code == 303
    accepted = ActionPlan(journal).get(item.id)
    assert accepted.minutes == 45 and accepted.tasks[0].done_on is not None
    assert "Two SQL drills" in client.get("/plan").text
    bad = post_form(client, f"/plan/{item.id}/practice", text="x", minutes="lots")
    assert bad.status_code == 422
    # Ticking tasks, and changing the item, without the practice log (FINDINGS W4, W5).
    assert f'action="/plan/{item.id}/tasks/2"' in client.get("/plan").text
    assert post_form(client, f"/plan/{item.id}/tasks/2", done="on").status_code == 303
    assert ActionPlan(journal).get(item.id).tasks[1].done_on is not None
    assert post_form(client, f"/plan/{item.id}/tasks/1").status_code == 303
    assert ActionPlan(journal).get(item.id).tasks[0].done_on is None
    later = str(date.today() + timedelta(days=30))
    changed = post_form(
        client, f"/plan/{item.id}/edit", goal="Joins without fan-out", target=later,
        add_task="Rewrite last week's query with a CTE",
    )  # fmt: skip
    assert changed.status_code == 303
    edited = ActionPlan(journal).get(item.id)
    assert (edited.goal, str(edited.target_on)) == ("Joins without fan-out", later)
    assert edited.tasks[-1].text == "Rewrite last week's query with a CTE"
    count = len(edited.tasks)
    assert post_form(client, f"/plan/{item.id}/edit", remove_task=str(count)).status_code == 303
    assert len(ActionPlan(journal).get(item.id).tasks) == count - 1
    assert post_form(client, f"/plan/{item.id}/tasks/99", done="on").status_code == 422
    assert post_form(client, f"/plan/{item.id}/edit", remove_task="x").status_code == 422
    assert post_form(client, f"/plan/{item.id}/resolve").status_code == 303
    assert post_form(client, f"/plan/{item.id}/drop").status_code == 303
    assert ActionPlan(journal).get(item.id).status == "dropped"
    assert post_form(client, f"/plan/{item.id}/explode").status_code == 422


def add_recurring_weakness(journal: Journal) -> None:
    """SQL raised in two interviews: a recurring weakness the plan proposes an item for."""
    for day in (10, 5):
        app = journal.add_application(f"Co {day}", "DS", applied_on=END - timedelta(days=day + 5))
        interview = journal.add_interview(
            "sql", application_id=app.id, held_on=END - timedelta(days=day), outcome="rejected"
        )
        journal.add_feedback(
            "Your SQL joins were wrong and the window functions were shaky.",
            interview_id=interview.id,
            received_on=END - timedelta(days=day),
        )


# -- guards: CSRF, hosts, sizes, escaping ------------------------------------------------------


def test_forms_without_the_csrf_token_are_refused(client: TestClient, journal: Journal) -> None:
    fields = {"company": "Acme", "role": "DS"}
    assert client.post("/applications", data=fields).status_code == 403
    wrong = client.post("/applications", data={**fields, "csrf_token": "x" * 43})
    assert wrong.status_code == 403 and "expired" in wrong.text
    other_site = client.post(
        "/applications",
        data={**fields, "csrf_token": csrf(client)},
        headers={"Origin": "https://evil.example"},
    )
    assert other_site.status_code == 403
    sandboxed = client.post(
        "/applications",
        data={**fields, "csrf_token": csrf(client)},
        headers={"Origin": "null"},
    )
    assert sandboxed.status_code == 403
    assert journal.list_applications() == []


def test_the_csrf_cookie_is_strict_and_http_only(journal: Journal) -> None:
    with TestClient(create_app(journal)) as fresh:
        cookie = fresh.get("/board").headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_json_changes_need_a_json_body(client: TestClient, journal: Journal) -> None:
    as_form = client.post("/api/applications", data={"company": "A", "role": "B"})
    assert as_form.status_code == 415
    as_text = client.post(
        "/api/applications",
        content='{"company": "A", "role": "B"}',
        headers={"Content-Type": "text/plain"},
    )
    assert as_text.status_code == 415
    assert journal.list_applications() == []


def test_unknown_hosts_are_refused(journal: Journal) -> None:
    with TestClient(
        create_app(journal, allowed_hosts=("127.0.0.1",)), base_url="http://127.0.0.1"
    ) as c:
        assert c.get("/board").status_code == 200
        assert c.get("/board", headers={"Host": "attacker.example"}).status_code == 400


def test_oversized_requests_are_refused(client: TestClient, journal: Journal) -> None:
    huge = "x" * (MAX_BODY_BYTES + 10)
    response = client.post("/feedback", data={"csrf_token": csrf(client), "text": huge})
    assert response.status_code == 413
    api = client.post(
        "/api/feedback",
        content=b'{"text": "' + b"x" * MAX_BODY_BYTES + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert api.status_code == 413
    assert journal.list_feedback() == []


def test_hostile_text_is_escaped_on_every_page(client: TestClient, journal: Journal) -> None:
    app = journal.add_application(PAYLOAD, PAYLOAD, notes=PAYLOAD, level=PAYLOAD)
    interview = journal.add_interview(
        "sql", application_id=app.id, interviewer=PAYLOAD, notes=PAYLOAD, held_on=END
    )
    feedback = journal.add_feedback(
        f"{PAYLOAD} Your SQL was weak. {PAYLOAD}", interview_id=interview.id
    )
    journal.change_status(app.id, "onsite", note=PAYLOAD)  # after the round moved it on
    add_recurring_weakness(journal)
    journal.add_feedback(f"Your SQL joins were wrong. {PAYLOAD}", interview_id=interview.id)
    pages = [
        "/",
        "/board",
        "/inbox",
        "/interviews",
        "/themes",
        "/plan",
        f"/applications/{app.id}",
        f"/applications/{app.id}/edit",
        f"/interviews/{interview.id}",
        f"/interviews/{interview.id}/edit",
        f"/feedback/{feedback.id}",
    ]
    for path in pages:
        text = client.get(path).text
        assert "<script>alert" not in text and "<img src=x" not in text, path
    assert ESCAPED in client.get(f"/applications/{app.id}").text
    assert ESCAPED in client.get(f"/feedback/{feedback.id}").text
    report = client.get("/report").text
    assert "<script>alert" not in report and "<img src=x" not in report
    api = client.get(f"/api/applications/{app.id}").json()
    assert api["application"]["company"] == PAYLOAD  # JSON carries the text as it is


# -- the JSON API ------------------------------------------------------------------------------


def test_api_applications(client: TestClient) -> None:
    created = client.post(
        "/api/applications",
        json={"company": "Acme", "role": "DS", "source": "referral", "applied_on": str(END)},
    )
    assert created.status_code == 201
    app = created.json()
    assert app["status"] == "applied" and app["source"] == "referral"
    app_id = app["id"]
    assert [a["id"] for a in client.get("/api/applications").json()] == [app_id]
    assert client.get("/api/applications?status=rejected").json() == []
    patched = client.patch(f"/api/applications/{app_id}", json={"level": "senior", "notes": None})
    assert patched.status_code == 200 and patched.json()["level"] == "senior"
    moved = client.post(f"/api/applications/{app_id}/status", json={"status": "screen"})
    assert moved.status_code == 200 and moved.json()["status"] == "screen"
    detail = client.get(f"/api/applications/{app_id}").json()
    assert [h["to_status"] for h in detail["history"]] == ["applied", "screen"]
    refused = client.post(f"/api/applications/{app_id}/status", json={"status": "applied"})
    assert refused.status_code == 409 and "force" in refused.json()["detail"]
    deleted = client.delete(f"/api/applications/{app_id}")
    assert deleted.status_code == 200 and deleted.json()["kind"] == "application"
    assert client.get(f"/api/applications/{app_id}").status_code == 404


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"role": "DS"}, "company", "Field required"),
        ({"company": "A", "role": "DS", "source": "telepathy"}, "source", "referral"),
        ({"company": "A", "role": "DS", "applied_on": "2999-01-01"}, "applied_on", "future"),
        ({"company": "A", "role": "DS", "applied_on": "soon"}, "applied_on", "date"),
        ({"company": "A", "role": "DS", "colour": "red"}, "colour", "Extra inputs"),
        ({"company": "A", "role": "DS", "link": "ftp://x"}, "link", "web address"),
        ({"company": "x" * 201, "role": "DS"}, "company", "at most 200"),
    ],
)
def test_api_bad_input_is_a_422_naming_the_field(
    client: TestClient, body: dict[str, str], field: str, words: str
) -> None:
    response = client.post("/api/applications", json=body)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"][-1] == field and words in problem["msg"]


def test_api_interviews_feedback_and_triage(client: TestClient, journal: Journal) -> None:
    app = journal.add_application("Acme", "DS")
    created = client.post(
        "/api/interviews",
        json={"kind": "statistics", "application_id": app.id, "rubric": {"statistics": 2}},
    )
    assert created.status_code == 201
    interview_id = created.json()["id"]
    mock = client.post("/api/interviews", json={"kind": "sql", "interviewer": "Sam"})
    assert mock.status_code == 201 and mock.json()["mock"] is True
    assert [i["id"] for i in client.get("/api/interviews?mock=true").json()] == [mock.json()["id"]]
    assert client.get("/api/interviews?kind=statistics&outcome=pending").json()[0]["id"] == (
        interview_id
    )
    patched = client.patch(
        f"/api/interviews/{interview_id}", json={"outcome": "passed", "rubric": {"statistics": 4}}
    )
    assert patched.json()["outcome"] == "passed" and patched.json()["rubric"] == {"statistics": 4}
    bad_rubric = client.post("/api/interviews", json={"kind": "sql", "rubric": {"karaoke": 3}})
    assert bad_rubric.status_code == 422 and "karaoke" in str(bad_rubric.json())
    assert (
        client.post("/api/interviews", json={"kind": "sql", "application_id": 9999}).status_code
        == 404
    )

    sent = client.post(
        "/api/feedback",
        json={
            "text": "Great structure. You forgot to check the test's power.",
            "interview_id": interview_id,
        },
    )
    assert sent.status_code == 201
    feedback = sent.json()
    assert feedback["source"] == "interviewer" and len(feedback["statements"]) == 2
    assert (
        client.get(f"/api/feedback/{feedback['id']}").json()["statements"]
        == (feedback["statements"])
    )
    assert [f["id"] for f in client.get(f"/api/feedback?interview_id={interview_id}").json()] == [
        feedback["id"]
    ]
    inbox = client.get("/api/inbox").json()
    assert inbox["total"] == 1 and inbox["feedback"][0]["id"] == feedback["id"]
    first, second = feedback["statements"]
    labelled = client.post(
        f"/api/statements/{first['id']}/label", json={"label": "constructive", "skills": ["sql"]}
    )
    assert labelled.status_code == 200 and labelled.json()["skills"] == ["sql"]
    assert labelled.json()["origin"] == "user"
    wrong = client.post(
        f"/api/statements/{first['id']}/label", json={"label": "noise", "skills": ["sql"]}
    )
    assert wrong.status_code == 422
    confirmed = client.post(f"/api/statements/{second['id']}/confirm", json={})
    assert confirmed.json()["label"] == second["label"] and confirmed.json()["origin"] == "user"
    assert client.get("/api/inbox").json()["total"] == 0
    assert len(client.get("/api/statements?label=constructive").json()) >= 1
    assert client.delete(f"/api/feedback/{feedback['id']}").status_code == 200
    assert client.delete(f"/api/interviews/{interview_id}").json()["kind"] == "interview"


def test_api_analysis_and_plan(client: TestClient, journal: Journal) -> None:
    add_recurring_weakness(journal)
    summary = client.get("/api/summary").json()
    assert summary["applications"] == 2
    report = client.get("/api/report").json()
    assert report["headline"]["applications"] == 2
    themes = client.get("/api/themes").json()
    assert themes["weaknesses"][0]["skill"] == "sql"
    plan = client.get("/api/plan").json()
    item = plan[0]["item"]
    assert item["skill"] == "sql" and item["status"] == "proposed" and item["tasks"]
    accepted = client.post(f"/api/plan/{item['id']}/accept", json={})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    again = client.post(f"/api/plan/{item['id']}/accept", json={})
    assert again.status_code == 422 and "already accepted" in str(again.json())
    logged = client.post(
        f"/api/plan/{item['id']}/practice", json={"text": "LeetCode SQL 50", "minutes": 30}
    )
    assert logged.status_code == 201 and logged.json()["minutes"] == 30
    assert client.post(f"/api/plan/{item['id']}/resolve", json={}).json()["status"] == "resolved"
    assert client.post(f"/api/plan/{item['id']}/drop", json={}).json()["status"] == "dropped"
    assert client.post("/api/plan/999/drop", json={}).status_code == 404
    # The cached analysis follows every write: a dropped item leaves the plan at once.
    assert item["id"] not in [p["item"]["id"] for p in client.get("/api/plan").json()]


def test_the_api_is_described_by_its_openapi_schema(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    assert all(path.startswith("/api/") for path in paths)
    for path in (
        "/api/applications",
        "/api/interviews/{interview_id}/invites",
        "/api/inbox",
        "/api/imports/reviews",
        "/api/imports/reviews/{review_id}/accept",
    ):
        assert path in paths
    assert "ApplicationCreate" in schema["components"]["schemas"]


# -- the partner's form by link ----------------------------------------------------------------


def test_the_partner_journey_by_link(client: TestClient, journal: Journal) -> None:
    app = journal.add_application("Secret Employer", "DS")
    mock = journal.add_interview("product_case", held_on=END, notes="private notes")
    made = post_form(client, f"/interviews/{mock.id}/invite", days="3")
    assert made.status_code == 201
    link = re.search(r'value="(http://testserver/partner/[^"]+)"', made.text)
    assert link
    path = link.group(1).removeprefix("http://testserver")
    token = path.rsplit("/", 1)[1]
    assert len(token) >= 22  # at least 128 bits, base64url

    with TestClient(create_app(journal)) as partner:  # another browser: no cookie of the candidate
        form = partner.get(path)
        assert form.status_code == 200
        assert "Product sense" in form.text and "product case" in form.text
        for private in ("Secret Employer", "private notes", 'href="/board"', "Dashboard"):
            assert private not in form.text
        token_field = partner.cookies.get(CSRF_COOKIE)
        bad = partner.post(path, data={"csrf_token": token_field, "score_product_sense": "7"})
        assert bad.status_code == 422 and "score from 1 to 5" in bad.text
        sent = partner.post(
            path,
            data={
                "csrf_token": token_field,
                "score_product_sense": "2",
                "score_communication": "4",
                "went_well": "Clear structure from the start.",
                "work_on": f"Pick a north-star metric and defend it. {PAYLOAD}",
                "partner": "Robin",
            },
        )
        assert sent.status_code == 200 and "Thank you" in sent.text
        again = partner.get(path)
        assert again.status_code == 410 and "already answered" in again.text
        assert "Dashboard" not in again.text
        assert (
            partner.post(path, data={"csrf_token": token_field, "comments": "x"}).status_code == 410
        )

    detail = journal.get_interview(mock.id)
    assert detail.interview.rubric == {"communication": 4, "product_sense": 2}
    assert detail.interview.interviewer == "Robin"
    [feedback] = detail.feedback
    assert feedback.source == "mock_partner" and "north-star metric" in feedback.text
    labels = {s.text: s.label for s in journal.list_statements(feedback_id=feedback.id)}
    assert labels["Clear structure from the start."] == "strength"
    assert f'id="feedback-{feedback.id}"' in client.get("/inbox").text
    assert app.id  # the real application stays out of the partner's sight


def test_a_partner_link_closes_when_its_mock_becomes_a_real_round(
    client: TestClient, journal: Journal
) -> None:
    """FINDINGS S6: the link still took answers once the mock was attached to an application."""
    from debrief.partner import create_invite

    mock = journal.add_interview("sql", held_on=END)
    invite = create_invite(journal, mock.id)
    path = f"/partner/{invite.token}"
    with TestClient(create_app(journal)) as partner:
        assert partner.get(path).status_code == 200
        token_field = partner.cookies.get(CSRF_COOKIE)
        app = journal.add_application("Acme", "Data Scientist", applied_on=END)
        edited = post_form(
            client,
            f"/interviews/{mock.id}/edit",
            application_id=str(app.id),
            kind="sql",
            held_on=END.isoformat(),
            outcome="pending",
        )
        assert edited.status_code == 303  # type: ignore[attr-defined]
        shown = client.get(edited.headers["location"])  # type: ignore[attr-defined]
        assert "1 open partner invite was revoked" in shown.text
        opened = partner.get(path)
        assert opened.status_code == 410 and "no longer a mock interview" in opened.text
        sent = partner.post(path, data={"csrf_token": token_field, "score_sql": "5"})
        assert sent.status_code == 410 and "nothing was recorded" in sent.text
    detail = journal.get_interview(mock.id)
    assert detail.interview.rubric == {} and detail.feedback == ()
    other = journal.add_interview("sql", held_on=END)
    create_invite(journal, other.id)
    patched = client.patch(f"/api/interviews/{other.id}", json={"application_id": app.id})
    assert patched.status_code == 200 and patched.json()["invites_revoked"] == 1


def test_partner_links_expire_and_unknown_tokens_grant_nothing(
    client: TestClient, journal: Journal
) -> None:
    from debrief.partner import create_invite

    mock = journal.add_interview("sql")
    old = create_invite(journal, mock.id, days=1, now=datetime.now(UTC) - timedelta(days=2))
    response = client.get(f"/partner/{old.token}")
    assert response.status_code == 410 and "expired" in response.text
    assert client.get("/partner/" + "A" * 32).status_code == 410
    # A link a mail program cut in two: a plain page saying what to ask for (FINDINGS P2).
    cut = client.get(f"/partner/{old.token[:11]}")
    assert cut.status_code == 410 and "cut it in two" in cut.text
    assert "String should have" not in cut.text
    fresh = create_invite(journal, mock.id, days=2)
    assert client.get(f"/partner/{fresh.token}").status_code == 200
    page = client.get(f"/interviews/{mock.id}").text
    assert f'action="/invites/{fresh.id}/revoke"' in page
    withdrawn = post_form(client, f"/invites/{fresh.id}/revoke")
    assert withdrawn.status_code == 303  # type: ignore[attr-defined]
    gone = client.get(f"/partner/{fresh.token}")
    assert gone.status_code == 410 and "withdrew it" in gone.text
    assert "revoked" in client.get(f"/interviews/{mock.id}").text
    assert client.get("/partner/" + "A" * 32 + "/../board").status_code in (404, 410, 422)
    invite = client.post(f"/api/interviews/{mock.id}/invites", json={"days": 2})
    assert invite.status_code == 201 and "/partner/" in invite.json()["url"]
    assert client.post(f"/api/interviews/{mock.id}/invites", json={"days": 0}).status_code == 422


def test_odd_numbers_dates_and_cookies_are_refused_cleanly(
    client: TestClient, journal: Journal
) -> None:
    app = journal.add_application("Acme", "DS")
    for url, fields in [
        ("/feedback", {"text": "hi", "interview_id": "²"}),
        ("/interviews", {"kind": "sql", "application_id": "²"}),
    ]:
        assert post_form(client, url, **fields).status_code == 422
    old = client.post(
        f"/api/applications/{app.id}/status", json={"status": "screen", "at": "0001-01-01"}
    )
    assert old.status_code == 422
    real = journal.add_interview("sql", application_id=app.id)
    refused = client.post(f"/api/interviews/{real.id}/invites", json={"days": 7})
    assert refused.status_code == 422 and "mock interview" in str(refused.json())
    # A cookie this app did not make is replaced, never echoed into a page.
    with TestClient(create_app(journal)) as other:
        other.cookies.set(CSRF_COOKIE, 'x"><b>INJ</b>')
        page = other.get("/board")
        assert "<b>INJ</b>" not in page.text and "INJ" not in page.text
        assert "<csrf-token/>" not in page.text


# -- the mail import review queue --------------------------------------------------------------

SAM = "Sam <sam@gmail.com>"
REJECTION = (
    "Hi Maren,\n\nThanks for your time on the phone today. Unfortunately the panel decided "
    "not to progress your application.\n\n"
)


def queue_mail(journal: Journal, folder: Path, **messages: bytes) -> dict[str, int]:
    """Import a small mailbox through the core; every message must wait for review. Returns
    each message's review id by the name it was given."""
    from debrief.ingest.mail.importer import import_mail

    paths = []
    for name, raw in messages.items():
        path = folder / f"{name}.eml"
        path.write_bytes(raw)
        paths.append(path)
    result = import_mail(journal, paths)
    assert result.count("review") == len(messages), result.decisions
    by_origin = {review.origin: review.id for review in journal.list_reviews()}
    return {name: by_origin[f"{name}.eml"] for name in messages}


def some_mail(**extra: bytes) -> dict[str, bytes]:
    """Three messages the reader is unsure of: an Acme one it cannot tell what happened in
    (accepting it as proposed creates the application), a rejection with no company, and a
    long one with no company."""
    from tests.test_mail_review import mail

    return {
        "salary": mail(
            "Hi Maren,\n\nThanks for applying. Could you send me your salary expectations?\n\n"
            "Acme Analytics Talent",
            subject="Your application",
            id="<s1@acme-analytics.com>",
        ),
        "nameless": mail(
            REJECTION + "Best,\nSam", sender=SAM, subject="Update", id="<n1@gmail.com>"
        ),
        "long": mail(
            REJECTION + "we talked about many things on the call. " * 150 + "\nSam",
            sender=SAM,
            subject="Notes from the call",
            id="<l1@gmail.com>",
        ),
        **extra,
    }


def test_the_mail_review_queue_lists_and_shows_what_waits(
    client: TestClient, journal: Journal, tmp_path: Path
) -> None:
    ids = queue_mail(journal, tmp_path, **some_mail())
    before = journal.revision()
    queue = client.get("/imports/review")
    assert queue.status_code == 200
    assert "<strong>3</strong> messages to review, least sure first" in queue.text
    # Least sure first, as the core orders them.
    shown = [int(n) for n in re.findall(r'<tr id="review-(\d+)"', queue.text)]
    assert shown == [review.id for review in journal.list_reviews()]
    assert "unsure of what happened (50%)" in queue.text and "no company found" in queue.text
    dashboard = client.get("/").text
    assert re.search(
        r'href="/imports/review"><strong>3</strong><span>messages to review', dashboard
    )

    salary = client.get(f"/imports/review/{ids['salary']}")
    assert salary.status_code == 200
    for words in ("Your application", "Acme Talent &lt;jobs@acme-analytics.com&gt;"):
        assert words in salary.text
    assert "unsure of what happened (50%)" in salary.text and "50% sure" in salary.text
    assert "creates a <strong>new application</strong> at Acme Analytics" in salary.text
    assert "Accept as proposed" in salary.text and "Accept corrected" in salary.text
    assert 'name="csrf_token"' in salary.text and "Discard" in salary.text

    nameless = client.get(f"/imports/review/{ids['nameless']}").text
    assert "is not possible: name the company" in nameless
    assert "Accept as proposed" not in nameless  # nothing to accept until it is corrected
    assert '<option value="rejection" selected>' in nameless

    long = client.get(f"/imports/review/{ids['long']}").text
    text = journal.get_review(ids["long"]).text
    assert len(text) > 4000 and text[:200] in long and text[-200:] not in long
    assert "The first 4,000 of" in long

    assert journal.revision() == before  # reading the queue and its pages wrote nothing
    missing = client.get("/imports/review/999")
    assert missing.status_code == 404 and "No review with id 999" in missing.text
    assert client.get("/imports/review/0").status_code == 422
    assert client.get("/imports/review?state=lost").status_code == 422
    assert "Traceback" not in missing.text


def test_accept_as_proposed_accept_corrected_and_discard_through_forms(
    client: TestClient, journal: Journal, tmp_path: Path
) -> None:
    ids = queue_mail(journal, tmp_path, **some_mail())

    proposed = post_form(client, f"/imports/review/{ids['salary']}/accept", how="proposed")
    assert proposed.status_code == 303
    assert proposed.headers["location"] == f"/imports/review?accepted={ids['salary']}&action=create"
    [acme] = journal.list_applications()
    assert (acme.company, acme.status) == ("Acme Analytics", Status.APPLIED)
    notice = client.get(proposed.headers["location"]).text
    assert "Accepted “Your application”" in notice
    assert f'created application <a href="/applications/{acme.id}">#{acme.id} Acme' in notice
    assert f'id="review-{ids["salary"]}"' not in notice  # out of the queue
    assert "<strong>2</strong> messages to review" in notice

    corrected = post_form(
        client,
        f"/imports/review/{ids['nameless']}/accept",
        how="corrected",
        company="Birchwood Health",
        role="Data Scientist",
        event="rejection",
        stage="screen",
        application_id="",
    )
    assert corrected.status_code == 303
    birchwood = next(a for a in journal.list_applications() if a.company == "Birchwood Health")
    assert (birchwood.role, birchwood.status) == ("Data Scientist", Status.REJECTED)
    assert journal.get_review(ids["nameless"]).application_id == birchwood.id

    discarded = post_form(client, f"/imports/review/{ids['long']}/discard")
    assert discarded.status_code == 303
    assert discarded.headers["location"] == f"/imports/review?discarded={ids['long']}"
    assert (
        "Discarded “Notes from the call”: nothing was written"
        in client.get(discarded.headers["location"]).text
    )
    assert journal.get_review(ids["long"]).state == "discarded"
    assert len(journal.list_applications()) == 2

    empty = client.get("/imports/review").text
    assert "Nothing to review" in empty and "<tr id=" not in empty
    accepted = client.get("/imports/review?state=accepted").text
    assert f'id="review-{ids["salary"]}"' in accepted and f"#{birchwood.id}</a>" in accepted
    assert f'id="review-{ids["long"]}"' in client.get("/imports/review?state=discarded").text
    assert len(re.findall(r'<tr id="review-', client.get("/imports/review?state=all").text)) == 3
    assert "messages to review" not in client.get("/").text
    settled = client.get(f"/imports/review/{ids['salary']}").text
    assert "Accepted on" in settled and "Accept corrected" not in settled
    # The notice is read back from the journal: a pending or unknown id says nothing.
    assert 'class="saved"' not in client.get("/imports/review?accepted=999").text


def test_review_forms_refuse_bad_input_and_keep_what_was_typed(
    client: TestClient, journal: Journal, tmp_path: Path
) -> None:
    ids = queue_mail(journal, tmp_path, **some_mail())
    nameless = f"/imports/review/{ids['nameless']}"
    # Without a valid CSRF token, or from another site: nothing is written.
    assert client.post(f"{nameless}/accept", data={"how": "proposed"}).status_code == 403
    wrong = client.post(f"{nameless}/discard", data={"csrf_token": "x" * 43})
    assert wrong.status_code == 403 and "expired" in wrong.text
    other_site = client.post(
        f"{nameless}/discard",
        data={"csrf_token": csrf(client)},
        headers={"Origin": "https://evil.example"},
    )
    assert other_site.status_code == 403
    assert client.get(f"{nameless}/accept").status_code == 405  # a GET never settles
    assert all(review.state == "pending" for review in journal.list_reviews())

    as_proposed = post_form(client, f"{nameless}/accept", how="proposed")
    assert as_proposed.status_code == 422
    assert "name the company or the application" in as_proposed.text

    typed = {"how": "corrected", "company": "Typed <Co>", "role": "Analyst", "stage": "onsite"}
    for fields, field, words in [
        ({"event": "karaoke"}, "event", "&#39;karaoke&#39; is not one of"),
        ({"event": "rejection", "application_id": "abc"}, "application_id", "not an application"),
        ({"event": "rejection", "application_id": "9999"}, "application_id", "no application"),
    ]:
        refused = post_form(client, f"{nameless}/accept", **typed, **fields)
        assert refused.status_code == 422, refused.text[:300]
        assert f'id="{field}-error"' in refused.text and words in refused.text
        assert 'value="Typed &lt;Co&gt;"' in refused.text and 'value="Analyst"' in refused.text
        assert '<option value="onsite" selected>' in refused.text
        assert "Traceback" not in refused.text
    assert journal.list_applications() == []

    assert post_form(client, f"{nameless}/discard").status_code == 303
    again = post_form(client, f"{nameless}/accept", how="corrected", company="Birchwood")
    assert again.status_code == 409 and "Review" in again.text and "already discarded" in again.text
    assert "Traceback" not in again.text
    twice = post_form(client, f"{nameless}/discard")
    assert twice.status_code == 409 and "already discarded" in twice.text
    assert post_form(client, "/imports/review/999/discard").status_code == 404
    assert journal.list_applications() == []


def test_a_which_application_review_lists_the_candidates_and_needs_one(
    client: TestClient, journal: Journal, tmp_path: Path
) -> None:
    from tests.test_mail_review import mail

    scientist = journal.add_application("Acme Analytics", "Data Scientist", applied_on="2026-03-01")
    engineer = journal.add_application(
        "Acme Analytics", "Analytics Engineer", applied_on="2026-03-02"
    )
    rejection = mail(
        "Hi Maren,\n\nUnfortunately we have decided not to move forward with your application "
        "at Acme Analytics.\n\nAcme Analytics Talent",
        date="Tue, 10 Mar 2026 10:00:00 +0000",
        subject="Acme Analytics update",
    )
    ids = queue_mail(journal, tmp_path, rejection=rejection)
    page = client.get(f"/imports/review/{ids['rejection']}").text
    assert "which application?" in page and "Accept as proposed" not in page
    for app in (scientist, engineer):
        assert f'<option value="{app.id}">#{app.id} Acme Analytics — {app.role}' in page

    guessed = post_form(client, f"/imports/review/{ids['rejection']}/accept", how="proposed")
    assert guessed.status_code == 422 and 'id="application_id-error"' in guessed.text
    chosen = post_form(
        client,
        f"/imports/review/{ids['rejection']}/accept",
        how="corrected",
        company="Acme Analytics",
        event="rejection",
        application_id=str(engineer.id),
    )
    assert chosen.status_code == 303 and chosen.headers["location"].endswith("action=update")
    assert journal.get_application(engineer.id).application.status == Status.REJECTED
    assert journal.get_application(scientist.id).application.status == Status.APPLIED


def test_hostile_mail_is_escaped_on_the_review_pages(
    client: TestClient, journal: Journal, tmp_path: Path
) -> None:
    from tests.test_mail_review import mail

    hostile = mail(
        f"Hi Maren,\n\nWe'd love to set up a 30 minute call about the role. {PAYLOAD}\n"
        "Are you available on Thursday?\n\nSam",
        sender=SAM,
        subject=f"Chat {PAYLOAD}",
        id="<h1@gmail.com>",
    )
    ids = queue_mail(journal, tmp_path, hostile=hostile)
    review = f"/imports/review/{ids['hostile']}"
    for path in ("/imports/review", review, "/"):
        text = client.get(path).text
        assert "<script>alert" not in text and "<img src=x" not in text, path
    assert ESCAPED in client.get(review).text
    typed = post_form(client, f"{review}/accept", how="corrected", company=PAYLOAD, event="x")
    assert typed.status_code == 422 and "<script>alert" not in typed.text
    accepted = post_form(client, f"{review}/accept", how="corrected", company=PAYLOAD, role="")
    notice = client.get(accepted.headers["location"]).text
    assert "<script>alert" not in notice and "<img src=x" not in notice
    assert ESCAPED in notice
    assert client.get(f"/api/imports/reviews/{ids['hostile']}").json()["subject"] == (
        f"Chat {PAYLOAD}"
    )


def test_accepting_on_the_web_writes_what_the_cli_writes(cli: CliDriver, tmp_path: Path) -> None:
    """The same mailbox, the same correction, one through `debrief import review accept` and
    one through the page: the journals hold the same application and history."""
    (tmp_path / "cli").mkdir()
    (tmp_path / "web").mkdir()
    cli_ids = queue_mail_cli(cli, tmp_path / "cli")
    correction = {"company": "Birchwood Health", "role": "Data Scientist", "event": "rejection"}
    for name, review_id in cli_ids.items():
        args = [f"--{k}={v}" for k, v in correction.items()] if name == "nameless" else []
        cli.ok("import", "review", "accept", str(review_id), *args)
    with Journal.open(str(tmp_path / "web.db")) as journal:
        ids = queue_mail(journal, tmp_path / "web", **some_mail())
        with TestClient(create_app(journal)) as client:
            client.get("/")
            for name in ("salary", "nameless"):
                fields = {"how": "corrected", **correction} if name == "nameless" else {}
                done = post_form(client, f"/imports/review/{ids[name]}/accept", **fields)
                assert done.status_code == 303
        web = written(journal)
    with Journal.open(str(cli.db_path)) as journal:
        assert written(journal) == web
    assert [app[:3] for app in web] == [
        ("Acme Analytics", "(role not named)", "applied"),
        ("Birchwood Health", "Data Scientist", "rejected"),
    ]


def queue_mail_cli(cli: CliDriver, folder: Path) -> dict[str, int]:
    """The same mailbox imported with `debrief import email` (the first two messages)."""
    names = ("salary", "nameless")
    for name, raw in some_mail().items():
        if name in names:
            (folder / f"{name}.eml").write_bytes(raw)
    cli.ok("import", "email", *(str(folder / f"{name}.eml") for name in names))
    listed = cli.json("import", "review")
    assert isinstance(listed, list)
    return {item["origin"].removesuffix(".eml"): item["id"] for item in listed}


def written(journal: Journal) -> list[tuple[object, ...]]:
    """Every application with its history and notes, without ids and clock times."""
    found = []
    for app in journal.list_applications():
        detail = journal.get_application(app.id)
        history = [(c.from_status, c.to_status, c.note, c.forced) for c in detail.history]
        found.append((app.company, app.role, app.status.value, app.applied_on, app.notes, history))
    return sorted(found, key=lambda row: str(row[0]))


def test_api_import_reviews(client: TestClient, journal: Journal, tmp_path: Path) -> None:
    ids = queue_mail(journal, tmp_path, **some_mail())
    listed = client.get("/api/imports/reviews").json()
    assert [r["id"] for r in listed] == [r.id for r in journal.list_reviews()]
    assert "text" not in listed[0] and "key" not in listed[0]
    assert client.get("/api/imports/reviews?state=accepted").json() == []
    assert len(client.get("/api/imports/reviews?limit=1").json()) == 1
    detail = client.get(f"/api/imports/reviews/{ids['salary']}").json()
    assert detail["text"].startswith("Hi Maren") and detail["candidates"] == []
    assert detail["preview"]["action"] == "create" and detail["preview"]["status"] == "applied"
    nameless = client.get(f"/api/imports/reviews/{ids['nameless']}").json()
    assert nameless["preview"]["action"] == "error" and nameless["preview"]["field"] == "company"

    bad = client.post(f"/api/imports/reviews/{ids['nameless']}/accept", json={"event": "karaoke"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "event"]
    extra = client.post(f"/api/imports/reviews/{ids['nameless']}/accept", json={"colour": "red"})
    assert extra.status_code == 422
    unnamed = client.post(f"/api/imports/reviews/{ids['nameless']}/accept", json={})
    assert unnamed.status_code == 422 and unnamed.json()["detail"][0]["loc"] == ["body", "company"]
    as_form = client.post(f"/api/imports/reviews/{ids['salary']}/accept", data={"x": "1"})
    assert as_form.status_code == 415

    accepted = client.post(
        f"/api/imports/reviews/{ids['nameless']}/accept",
        json={"company": "Birchwood Health", "role": "", "stage": "screen"},
    )
    assert accepted.status_code == 200, accepted.text
    body = accepted.json()
    assert body["review"]["state"] == "accepted"
    assert body["decision"]["action"] == "create" and body["decision"]["status"] == "rejected"
    app_id = body["decision"]["application_id"]
    assert body["review"]["application_id"] == app_id
    assert journal.get_application(app_id).application.company == "Birchwood Health"
    again = client.post(f"/api/imports/reviews/{ids['nameless']}/accept", json={})
    assert again.status_code == 409 and "already accepted" in again.json()["detail"]
    settled = client.get(f"/api/imports/reviews/{ids['nameless']}").json()
    assert settled["preview"] is None and settled["application_id"] == app_id

    dropped = client.post(f"/api/imports/reviews/{ids['long']}/discard", json={})
    assert dropped.status_code == 200 and dropped.json()["state"] == "discarded"
    assert client.post(f"/api/imports/reviews/{ids['long']}/discard", json={}).status_code == 409
    assert client.post("/api/imports/reviews/999/discard", json={}).status_code == 404
    assert client.get("/api/imports/reviews/999").status_code == 404
    assert len(client.get("/api/imports/reviews?state=all").json()) == 3


def test_sub_themes_and_the_statements_behind_plan_tasks_are_on_the_pages(
    client: TestClient, journal: Journal
) -> None:
    from tests.themes_helpers import mock_interview, say

    texts = [
        "peeking again: you'd stop the test the day it hit p <0.05 & ship",
        "You wanted to call the test the first morning the dashboard looked green.",
    ]
    for number, text in enumerate(texts):
        interview = mock_interview(
            journal, "product_case", date.today() - timedelta(days=9 - number)
        )
        say(journal, [(text, "constructive", "experimentation")], interview_id=interview)
    themes = client.get("/themes").text
    assert "peeking and sequential testing" in themes and "2 statements from 2 interviews" in themes
    assert "“You wanted to call the test the first morning the dashboard looked green.”" in themes
    assert "p <0.05 & ship" not in themes and "p &lt;0.05 &amp; ship" in themes
    plan = client.get("/plan").text
    assert "For <strong>peeking and sequential testing</strong>, from 2 statements" in plan
    assert "the first morning the dashboard looked green" in plan
    report = client.get("/api/themes").json()
    [sub] = report["weaknesses"][0]["subthemes"]
    assert sub["subskill"] == "experimentation.peeking" and len(sub["statements"]) == 2


def test_a_feedback_form_with_an_unknown_interview_keeps_the_pasted_text(
    client: TestClient,
) -> None:
    """FINDINGS W3: a wrong interview number led to a 404 page and the pasted e-mail was lost."""
    pasted = "Hi Priya,\n\nYour SQL was clean, but the case study lacked a metric.\n\nBest, Tom"
    response = post_form(client, "/feedback", text=pasted, interview_id="999")
    assert response.status_code == 422  # type: ignore[attr-defined]
    page = response.text  # type: ignore[attr-defined]
    assert "there is no interview #999" in page and 'id="interview_id-error"' in page
    assert "Your SQL was clean, but the case study lacked a metric." in page


def test_ask_for_feedback_from_the_application_page(client: TestClient, journal: Journal) -> None:
    """FINDINGS W4: the feedback request was CLI-only; now drafted, copied and recorded."""
    app = journal.add_application("Acme", "Data Scientist", applied_on=END - timedelta(days=20))
    journal.add_interview(
        "sql", application_id=app.id, held_on=END - timedelta(days=10), outcome="rejected",
        interviewer="Lina Park",
    )  # fmt: skip
    page = client.get(f"/applications/{app.id}").text
    assert 'id="asking"' in page and "Data Scientist role at Acme" in page
    assert 'data-copy="request-body"' in page
    sent = post_form(client, f"/applications/{app.id}/feedback-asked", on=str(END))
    assert sent.status_code == 303  # type: ignore[attr-defined]
    assert journal.get_application(app.id).application.feedback_asked_on == END
    assert f"You asked for feedback on {END}" in client.get(f"/applications/{app.id}").text
    post_form(client, f"/applications/{app.id}/feedback-asked", clear="on")
    assert journal.get_application(app.id).application.feedback_asked_on is None
    early = post_form(client, f"/applications/{app.id}/feedback-asked", on="2020-01-01")
    assert early.status_code == 422  # type: ignore[attr-defined]


def test_the_journal_is_exported_from_the_web(
    client: TestClient, journal: Journal, tmp_path: Path
) -> None:
    """FINDINGS W4: export was CLI-only. The download restores as `debrief import json` does."""
    import io
    import zipfile

    from debrief.ingest.backup import import_json

    journal.add_application("Zürich Analytics", "DS", applied_on=END)
    assert 'href="/export/debrief-backup.json"' in client.get("/export").text
    backup = client.get("/export/debrief-backup.json")
    assert backup.status_code == 200 and "attachment" in backup.headers["content-disposition"]
    saved = tmp_path / "backup.json"
    saved.write_bytes(backup.content)
    with Journal.open(str(tmp_path / "restored.db")) as restored:
        import_json(restored, saved)
        assert [a.company for a in restored.list_applications()] == ["Zürich Analytics"]
    tables = client.get("/export/debrief-tables.zip")
    names = zipfile.ZipFile(io.BytesIO(tables.content)).namelist()
    assert "applications.csv" in names and "status_changes.csv" in names


def test_the_offline_partner_form_is_made_from_the_web(
    client: TestClient, journal: Journal
) -> None:
    """FINDINGS W4: the offline partner form was CLI-only."""
    mock = journal.add_interview("product_case")
    made = post_form(client, f"/interviews/{mock.id}/invite", days="5", **{"as": "file"})
    assert made.status_code == 200  # type: ignore[attr-defined]
    assert "attachment" in made.headers["content-disposition"]  # type: ignore[attr-defined]
    assert made.text.startswith("<!doctype html>")  # type: ignore[attr-defined]
    [invite] = journal.list_invites(mock.id)
    assert invite.state() == "open"


TRACKERS = Path(__file__).parent / "data" / "trackers"
MAIL = Path(__file__).parent / "data" / "mail"


def test_a_tracker_is_imported_from_the_web_after_its_dry_run(
    client: TestClient, journal: Journal
) -> None:
    """FINDINGS W4: import was CLI-only. The same decisions as the CLI's dry run, then written."""
    from debrief.ingest.tracker import import_sheet

    path = TRACKERS / "teal.csv"
    expected = import_sheet(journal, path, dry_run=True).summary
    assert 'enctype="multipart/form-data"' in client.get("/import").text
    shown = client.post(
        "/import",
        data={"csrf_token": csrf(client), "kind": "csv"},
        files={"files": ("teal.csv", path.read_bytes(), "text/csv")},
    )
    assert shown.status_code == 200 and expected in shown.text
    assert journal.list_applications() == []  # nothing written by the preview
    upload_id = re.search(r'action="/import/([A-Za-z0-9_\-]+)"', shown.text)
    assert upload_id
    done = client.post(f"/import/{upload_id[1]}", data={"csrf_token": csrf(client)})
    assert done.status_code == 200 and "Imported teal.csv" in done.text
    assert journal.list_applications()
    again = client.post(f"/import/{upload_id[1]}", data={"csrf_token": csrf(client)})
    assert again.status_code == 404  # an upload is used once


def test_mail_files_are_imported_from_the_web_and_bad_uploads_refused(
    client: TestClient, journal: Journal
) -> None:
    messages = sorted(MAIL.glob("*.eml"))[:4]
    shown = client.post(
        "/import",
        data={"csrf_token": csrf(client), "kind": "mail"},
        files=[("files", (m.name, m.read_bytes(), "message/rfc822")) for m in messages],
    )
    assert shown.status_code == 200 and "would do" in shown.text
    upload_id = re.search(r'action="/import/([A-Za-z0-9_\-]+)"', shown.text)
    assert upload_id
    cancelled = client.post(
        f"/import/{upload_id[1]}",
        data={"csrf_token": csrf(client), "cancel": "on"},
        follow_redirects=False,
    )
    assert cancelled.status_code == 303 and journal.list_applications() == []
    wrong = client.post(
        "/import",
        data={"csrf_token": csrf(client), "kind": "csv"},
        files={"files": ("photo.png", b"\x89PNG", "image/png")},
    )
    assert wrong.status_code == 422 and "is not a tracker" in wrong.text
    forged = client.post(
        "/import",
        data={"csrf_token": "x" * 43, "kind": "csv"},
        files={"files": ("teal.csv", b"a,b\n", "text/csv")},
    )
    assert forged.status_code == 403
    bad_backup = client.post(
        "/import",
        data={"csrf_token": csrf(client), "kind": "json"},
        files={"files": ("backup.json", b"{not json", "application/json")},
    )
    assert bad_backup.status_code == 422 and "is not JSON" in bad_backup.text


def test_a_backup_is_restored_from_the_web(
    client: TestClient, journal: Journal, tmp_path: Path
) -> None:
    from debrief.ingest.backup import export_json

    with Journal.open(str(tmp_path / "other.db")) as other:
        other.add_application("Zürich Analytics", "DS", applied_on=END)
        export_json(other, tmp_path / "backup.json")
    shown = client.post(
        "/import",
        data={"csrf_token": csrf(client), "kind": "json"},
        files={"files": ("backup.json", (tmp_path / "backup.json").read_bytes(), "text/json")},
    )
    assert shown.status_code == 200 and "applications: 1" in shown.text
    upload_id = re.search(r'action="/import/([A-Za-z0-9_\-]+)"', shown.text)
    assert upload_id
    client.post(f"/import/{upload_id[1]}", data={"csrf_token": csrf(client)})
    assert [a.company for a in journal.list_applications()] == ["Zürich Analytics"]


# Every CLI command that changes the journal, and the web route that does the same (the README
# says the web app does everything the CLI does; FINDINGS W4).
CLI_IN_THE_WEB = {
    "debrief app add": "POST /applications",
    "debrief app edit": "POST /applications/{application_id}/edit",
    "debrief app rm": "POST /applications/{application_id}/delete",
    "debrief app status": "POST /applications/{application_id}/move",
    "debrief app undo": "POST /applications/{application_id}/undo",
    "debrief config set": "POST /settings",
    "debrief config unset": "POST /settings",
    "debrief feedback add": "POST /feedback",
    "debrief feedback asked": "POST /applications/{application_id}/feedback-asked",
    "debrief feedback confirm": "POST /statements/{statement_id}/confirm",
    "debrief feedback edit": "POST /feedback/{feedback_id}/text",
    "debrief feedback label": "POST /statements/{statement_id}/label",
    "debrief feedback merge": "POST /statements/{statement_id}/merge",
    "debrief feedback review": "POST /statements/{statement_id}/label",
    "debrief feedback rm": "POST /feedback/{feedback_id}/delete",
    "debrief feedback skills": "POST /statements/{statement_id}/skills",
    "debrief feedback split": "POST /statements/{statement_id}/split",
    "debrief feedback triage": "POST /feedback/triage",
    "debrief import csv": "POST /import",
    "debrief import email": "POST /import",
    "debrief import json": "POST /import",
    "debrief import review accept": "POST /imports/review/{review_id}/accept",
    "debrief import review discard": "POST /imports/review/{review_id}/discard",
    "debrief interview add": "POST /interviews",
    "debrief interview edit": "POST /interviews/{interview_id}/edit",
    "debrief interview rm": "POST /interviews/{interview_id}/delete",
    "debrief partner import": "POST /import",
    "debrief partner invite": "POST /interviews/{interview_id}/invite",
    "debrief partner revoke": "POST /invites/{invite_id}/revoke",
    "debrief plan accept": "POST /plan/{item_id}/{action}",
    "debrief plan drop": "POST /plan/{item_id}/{action}",
    "debrief plan edit": "POST /plan/{item_id}/edit",
    "debrief plan resolve": "POST /plan/{item_id}/{action}",
    "debrief practice log": "POST /plan/{item_id}/{action}",
    "debrief plan assignment done": "POST /plan/assignments/{assignment_id}/{action}",
    "debrief plan assignment undo": "POST /plan/assignments/{assignment_id}/{action}",
    "debrief questions add": "POST /interviews/{interview_id}/questions",
    "debrief questions paste": "POST /interviews/{interview_id}/questions/paste",
    "debrief questions edit": "POST /questions/{question_id}/edit",
    "debrief questions rm": "POST /questions/{question_id}/delete",
    "debrief questions practise": "POST /questions/practise",
    "debrief stories add": "POST /stories",
    "debrief stories edit": "POST /stories/{story_id}/edit",
    "debrief stories rm": "POST /stories/{story_id}/delete",
    # The story told is chosen with the question, when it is added or edited.
    "debrief stories tell": "POST /interviews/{interview_id}/questions",
}
# Commands that change the journal with no page, and why.
CLI_ONLY = {
    "debrief demo": "builds a demo journal for a first look, from the terminal",
    "debrief serve": "starts the web app itself",
    "debrief import imap": "logs in to a mail server with a password typed in the terminal",
}


def test_every_cli_command_that_changes_the_journal_has_a_web_route() -> None:
    from debrief.cli.reference import command_contexts
    from debrief.web import api, imports, pages, prep

    changing = set()
    for ctx in command_contexts():
        callback = ctx.command.callback
        access = None
        while callback is not None and access is None:
            access = getattr(callback, "journal_access", None)
            callback = getattr(callback, "__wrapped__", None)
        if callable(access):
            access = access(defaultdict(lambda: None))  # the options as given when writing
        if access in ("add", "change"):
            changing.add(ctx.command_path)
    assert changing == set(CLI_IN_THE_WEB) | set(CLI_ONLY)
    routes = {
        f"{method} {route.path}"
        for router in (api.router, pages.router, imports.router, prep.router)
        for route in router.routes
        for method in getattr(route, "methods", ()) or ()
    }
    missing = {command: route for command, route in CLI_IN_THE_WEB.items() if route not in routes}
    assert missing == {}


def test_settings_are_kept_from_the_web_page(client: TestClient, journal: Journal) -> None:
    assert 'name="follow_up_days"' in client.get("/settings").text
    bad = post_form(client, "/settings", name="Priya Raman", follow_up_days="soon")
    assert bad.status_code == 422  # type: ignore[attr-defined]
    assert "a number of days from 1 to 365" in bad.text  # type: ignore[attr-defined]
    assert 'value="Priya Raman"' in bad.text  # type: ignore[attr-defined]
    assert journal.settings() == {}
    saved = post_form(client, "/settings", name="Priya  Raman", follow_up_days="10")
    assert saved.status_code == 303  # type: ignore[attr-defined]
    assert journal.settings() == {"name": "Priya Raman", "follow_up_days": "10"}
    post_form(client, "/settings", name="", follow_up_days="10")
    assert journal.settings() == {"follow_up_days": "10"}


def test_feedback_is_triaged_again_from_the_web(client: TestClient, journal: Journal) -> None:
    added = journal.add_feedback("Your SQL joins were wrong. Great energy.")
    [first, _] = journal.list_statements(feedback_id=added.id)
    journal.label_statement(first.id, "noise")  # a label of your own stays
    again = post_form(client, "/feedback/triage", feedback_id=str(added.id))
    assert again.status_code == 303  # type: ignore[attr-defined]
    assert journal.list_statements(feedback_id=added.id)[0].label == "noise"
    assert post_form(client, "/feedback/triage").status_code == 303  # type: ignore[attr-defined]


def test_a_partners_answers_file_is_imported_from_the_web(
    client: TestClient, journal: Journal
) -> None:
    from debrief.partner import create_invite
    from tests.test_partner import answers_file

    mock = journal.add_interview("product_case")
    invite = create_invite(journal, mock.id, days=3)
    data = answers_file(invite.id, invite.token, {"went_well": "Clear metric choice."})
    sent = client.post(
        "/import",
        data={"csrf_token": csrf(client), "kind": "partner"},
        files={"files": ("answers.json", data, "application/json")},
        follow_redirects=False,
    )
    assert sent.status_code == 303 and sent.headers["location"].startswith("/feedback/")
    again = client.post(
        "/import",
        data={"csrf_token": csrf(client), "kind": "partner"},
        files={"files": ("answers.json", data, "application/json")},
    )
    assert again.status_code == 422 and "already answered" in again.text


def test_kinds_are_written_as_people_write_them(client: TestClient, journal: Journal) -> None:
    """FINDINGS N5: "Sql round"."""
    sql = journal.add_interview("sql", held_on=END)
    design = journal.add_interview("ml_design", held_on=END)
    assert "<h1>SQL mock interview" in client.get(f"/interviews/{sql.id}").text
    assert "<h1>ML design mock interview" in client.get(f"/interviews/{design.id}").text


def test_uploads_never_confirmed_go_when_the_server_stops(journal: Journal) -> None:
    with TestClient(create_app(journal)) as client:
        client.get("/")
        shown = client.post(
            "/import",
            data={"csrf_token": csrf(client), "kind": "csv"},
            files={"files": ("teal.csv", (TRACKERS / "teal.csv").read_bytes(), "text/csv")},
        )
        assert shown.status_code == 200
        root = client.app.state.uploads._root  # type: ignore[attr-defined]
        assert root is not None and any(root.iterdir())
    assert not root.exists()


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("Отклики.xlsx", "upload.xlsx"),
        ("履歴.csv", "upload.csv"),
        ("..\\..\\tracker.csv", "tracker.csv"),
        ("a/../../b.json", "b.json"),
        ("My Tracker (2).XLSX", "My_Tracker_2.xlsx"),
        ("mailbox", "mailbox"),
    ],
)
def test_an_uploaded_file_keeps_its_suffix_and_nothing_that_leaves_its_folder(
    given: str, kept: str
) -> None:
    from debrief.web.imports import _safe_name

    assert _safe_name(given) == kept


def test_views_waiting_for_a_rebuild_share_the_build_that_began_after_they_asked(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under writes, each waiting view built the analysis again for the writes made while it
    waited (S10): one build that began after a view asked reads every write made before."""
    import threading
    import time

    from debrief.report import data as report_data_module
    from debrief.web.views import AnalysisCache

    built: list[int] = []
    real = report_data_module.build_report

    def slow_build(*args: object, **kwargs: object) -> object:
        built.append(1)
        report = real(*args, **kwargs)  # type: ignore[arg-type]
        time.sleep(0.6)
        return report

    AnalysisCache(journal).analysis()  # libraries loaded: each build now takes its own time
    monkeypatch.setattr(report_data_module, "build_report", slow_build)
    cache = AnalysisCache(journal)
    first = threading.Thread(target=cache.analysis)
    first.start()
    time.sleep(0.1)  # the first build is under way
    journal.add_application("Acme", "Data Scientist")  # so its result is out of date
    waiting = [threading.Thread(target=cache.analysis) for _ in range(4)]
    for thread in waiting:
        thread.start()
    time.sleep(1.0)  # the first build is done, the second (for the four views) under way
    journal.add_application("Gamma", "Analyst")
    for thread in [first, *waiting]:
        thread.join()
    assert len(built) == 2  # the first, and one for the four views that waited
    assert cache.analysis().report.stats.funnel.applications == 2  # a new view: a new build
    assert len(built) == 3


def test_a_page_asked_for_while_it_is_rendered_is_rendered_once() -> None:
    import asyncio
    import time

    from debrief.web.views import PageCache

    renders: list[int] = []

    def render() -> str:
        renders.append(1)
        time.sleep(0.2)
        return "<html>page</html>"

    async def many() -> list[str]:
        cache = PageCache()
        return await asyncio.gather(*(cache.page(("/", 1), render) for _ in range(10)))

    assert asyncio.run(many()) == ["<html>page</html>"] * 10
    assert len(renders) == 1
