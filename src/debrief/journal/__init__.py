"""The journal: every operation on applications, interviews and feedback, behind one facade.

One core for every door. The CLI, the web app and notebooks call the methods of `Journal`; each
one validates its input before touching the database, writes in a single transaction, and hands
back frozen records from `debrief.model`, never ORM rows. The work is done by one module per
concern, each a set of plain functions taking the journal first:

  unit          the unit of work: sessions, transactions, the revision, the triage backend
  fields        user input turned into stored values (InvalidInput names the field)
  records       ORM rows turned into records, and the query pieces the modules share
  applications  applications and their status history
  interviews    real and mock rounds, rubric scores, self-ratings
  feedback      feedback, stored verbatim and triaged
  statements    triaged statements, the user's labels and skill areas, re-triage
  revise        the user's revisions: split a statement, merge two, edit the feedback's text
  views         the summary, the board, the review queue
  facts         the read model analysis is built from (one shape per kind of record)
  imported      the messages imports have acted on, the review queue, IMAP state, settings
  invites       mock-partner invites, known by their tokens' hashes
  assignments   practice a coach assigned, with its due day and the mock recorded for it
  questions     questions asked in rounds, with how they went
  stories       the STAR story bank
  frames        pandas DataFrames for notebooks
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from debrief.errors import NoJournal
from debrief.journal import (
    applications,
    feedback,
    frames,
    interviews,
    questions,
    revise,
    statements,
    stories,
    views,
)
from debrief.journal.assignments import (
    add_assignment,
    attach_assignment_mock,
    delete_assignment,
    get_assignment,
    list_assignments,
    mark_assignment,
)
from debrief.journal.facts import application_facts, journal_facts
from debrief.journal.fields import (
    APPLICATION_FIELDS,
    INTERVIEW_FIELDS,
    UNSET,
    field_problems,
    local_day,
    validate_application,
)
from debrief.journal.imported import (
    count_reviews,
    folder_states,
    get_review,
    imported_keys,
    list_reviews,
    queue_for_review,
    remember_imported,
    review_keys,
    save_folder_state,
    set_setting,
    settings,
    settle_review,
)
from debrief.journal.invites import (
    add_invite,
    attach_invite_feedback,
    claim_invite,
    invite_by_hash,
    invite_hash,
    list_invites,
    revoke_invite,
)
from debrief.journal.unit import UnitOfWork
from debrief.storage.database import create_database_engine, ensure_schema
from debrief.storage.location import resolve_database_url, sqlite_path

if TYPE_CHECKING:
    from debrief.triage.backend import Backend

__all__ = [
    "APPLICATION_FIELDS",
    "INTERVIEW_FIELDS",
    "UNSET",
    "Journal",
    "field_problems",
    "local_day",
    "validate_application",
]


class Journal(UnitOfWork):
    """A job-search journal stored in one database (SQLite file or PostgreSQL)."""

    @classmethod
    def open(
        cls,
        db: str | None = None,
        *,
        triage_backend: Backend | None = None,
        create: bool = True,
    ) -> Journal:
        """Open (creating or upgrading as needed) the journal at `db`, $DEBRIEF_DATABASE_URL or
        the default location; with `create=False` a SQLite file that does not exist is not
        created (NoJournal). Triage uses `triage_backend`, else the one
        $DEBRIEF_TRIAGE_BACKEND names, else the default linear model."""
        url = resolve_database_url(db)
        path = sqlite_path(url)
        if not create and path is not None and not path.exists():
            raise NoJournal(path)
        engine = create_database_engine(url)
        return cls(engine, ensure_schema(engine), triage_backend=triage_backend)

    # Applications.
    add_application = applications.add_application
    add_applications = applications.add_applications
    edit_application = applications.edit_application
    change_status = applications.change_status
    undo_status = applications.undo_status
    record_feedback_asked = applications.record_feedback_asked
    get_application = applications.get_application
    list_applications = applications.list_applications
    delete_application = applications.delete_application

    # Interviews.
    add_interview = interviews.add_interview
    edit_interview = interviews.edit_interview
    get_interview = interviews.get_interview
    list_interviews = interviews.list_interviews
    delete_interview = interviews.delete_interview

    # Feedback and its triaged statements.
    add_feedback = feedback.add_feedback
    get_feedback = feedback.get_feedback
    list_feedback = feedback.list_feedback
    delete_feedback = feedback.delete_feedback
    edit_feedback_text = revise.edit_feedback_text
    triager = statements.triager
    list_statements = statements.list_statements
    get_statement = statements.get_statement
    label_statement = statements.label_statement
    confirm_statement = statements.confirm_statement
    confirm_rest = statements.confirm_rest
    set_statement_skills = statements.set_statement_skills
    split_statement = revise.split_statement
    merge_statements = revise.merge_statements
    retriage = statements.retriage

    # Questions asked in rounds, and the STAR story bank.
    add_question = questions.add_question
    add_questions = questions.add_questions
    edit_question = questions.edit_question
    get_question = questions.get_question
    list_questions = questions.list_questions
    delete_question = questions.delete_question
    add_story = stories.add_story
    edit_story = stories.edit_story
    get_story = stories.get_story
    find_story = stories.find_story
    list_stories = stories.list_stories
    delete_story = stories.delete_story

    # The read model that themes, analytics, the plan and imports are built from.
    facts = journal_facts
    application_facts = application_facts

    # Mock-partner invites (the tokens are debrief.partner's; the journal keeps their hashes).
    add_invite = add_invite
    list_invites = list_invites
    invite_by_hash = invite_by_hash
    invite_hash = invite_hash
    claim_invite = claim_invite
    attach_invite_feedback = attach_invite_feedback
    revoke_invite = revoke_invite

    # Practice a coach assigned (the coach server writes it; the student marks it done).
    add_assignment = add_assignment
    get_assignment = get_assignment
    list_assignments = list_assignments
    mark_assignment = mark_assignment
    attach_assignment_mock = attach_assignment_mock
    delete_assignment = delete_assignment

    # What imports remember of the messages they acted on.
    imported_keys = imported_keys
    remember_imported = remember_imported
    queue_for_review = queue_for_review
    review_keys = review_keys
    list_reviews = list_reviews
    count_reviews = count_reviews
    get_review = get_review
    settle_review = settle_review
    folder_states = folder_states
    save_folder_state = save_folder_state

    # The user's settings (`debrief config`).
    settings = settings
    set_setting = set_setting

    # Views for the web app and the CLI.
    summary = views.summary
    board = views.board
    review_queue = views.review_queue

    # Notebook frames.
    applications_frame = frames.applications_frame
    interviews_frame = frames.interviews_frame
    feedback_frame = frames.feedback_frame
    statements_frame = frames.statements_frame
    status_changes_frame = frames.status_changes_frame
    questions_frame = frames.questions_frame
    stories_frame = frames.stories_frame
