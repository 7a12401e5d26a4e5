"""The offline rubric form: one self-contained HTML file the partner fills in a browser, which
saves the answers as a small JSON file signed with the invite's key, and the import of that file.

For a candidate whose web app runs on localhost only. The file's script signs the answers with
HMAC-SHA-256 under the SHA-256 of the invite's token, which is what the journal keeps, so the
import can check that the answers come from the file it wrote, unchanged.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from importlib import resources
from typing import TYPE_CHECKING, Final

from debrief.errors import InvalidImport, InvalidInput
from debrief.model import Feedback, utcnow
from debrief.parsing import load_json
from debrief.partner import (
    MAX_ANSWER,
    MAX_PARTNER_NAME,
    Invite,
    InviteRefused,
    _accept,
    open_invite,
)
from debrief.report.html import chart_json, file_policy, script_hash

if TYPE_CHECKING:
    from debrief.journal import Journal

FORMAT: Final = "debrief-partner-answers"
MAX_FILE_BYTES: Final = 200_000


def _asset(name: str) -> str:
    return resources.files("debrief.partner").joinpath("templates", name).read_text("utf-8")


def offline_form(journal: Journal, invite: Invite) -> str:
    """The self-contained HTML form for `invite` (it carries the token: send it to the partner
    only)."""
    from jinja2 import Environment, PackageLoader, select_autoescape
    from markupsafe import escape

    form = open_invite(journal, invite.token)
    script = _asset("offline.js")
    environment = Environment(
        loader=PackageLoader("debrief.partner", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    environment.filters["typed"] = escape  # the shared fields' filter (the web app's too)
    return environment.get_template("offline.html").render(
        form=form,
        kind_name=form.kind.replace("_", " "),
        expires=invite.expires_at.astimezone().strftime("%Y-%m-%d %H:%M"),
        values=None,
        max_answer=MAX_ANSWER,
        max_name=MAX_PARTNER_NAME,
        style=_asset("offline.css"),
        script=script,
        policy=file_policy([script_hash(script)]),
        invite_json=chart_json(
            {"id": invite.id, "token": invite.token, "areas": [a.id for a in form.areas]}
        ),
    )


def sign(key_hash: str, invite_id: int, answers: str) -> str:
    """The signature an offline form puts on its answers."""
    message = f"{invite_id}.{answers}".encode()
    return hmac.new(key_hash.encode("ascii"), message, hashlib.sha256).hexdigest()


def import_answers(
    journal: Journal, data: bytes, *, file: str, now: datetime | None = None
) -> Feedback:
    """Read a partner's answers file: checked (format, invite, signature, answers) and stored
    once, as through the link; InvalidImport names what is wrong."""
    if len(data) > MAX_FILE_BYTES:
        raise InvalidImport(file, None, None, f"is larger than {MAX_FILE_BYTES:,} bytes")
    document = load_json(data, file)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidImport(file, None, "format", "this is not a partner's answers file")
    invite_id, answers, signature = (document.get(k) for k in ("invite", "answers", "signature"))
    if isinstance(invite_id, bool) or not isinstance(invite_id, int) or not 1 <= invite_id < 2**31:
        raise InvalidImport(file, None, "invite", "must be the invite's number")
    if not isinstance(answers, str) or not isinstance(signature, str):
        raise InvalidImport(file, None, "signature", "the answers are not signed")
    key_hash = journal.invite_hash(invite_id)
    if key_hash is None:
        raise InvalidImport(file, None, "invite", f"invite #{invite_id} is not in this journal")
    # As bytes: compare_digest refuses a str with other than ASCII letters in it.
    expected = sign(key_hash, invite_id, answers).encode("ascii")
    if not hmac.compare_digest(expected, signature.lower().encode("utf-8")):
        raise InvalidImport(
            file, None, "signature", "does not match: the file was changed or is not this invite's"
        )
    try:
        raw = load_json(answers, file)
    except InvalidImport as error:
        raise InvalidImport(file, None, "answers", error.reason) from None
    if not isinstance(raw, dict):
        raise InvalidImport(file, None, "answers", "are not a form's answers")
    try:
        return _accept(journal, key_hash, raw, now or utcnow())
    except InviteRefused as refused:
        raise InvalidImport(file, None, "invite", str(refused)) from None
    except InvalidInput as error:
        raise InvalidImport(file, None, error.field, error.detail) from None
