"""Coach mode: one server, many students, each in a journal of their own.

  store      the directory: people, sessions, invitations, who coaches whom, consent, the log
  passwords  Argon2id password hashes, and the tokens of links and sessions (kept as hashes)
  students   where each student's journal is kept, and opening it
  assignments  practice a coach assigns into a student's journal, and the mocks they score

The web doors are in `debrief.web.coach`, the commands in `debrief coach`; docs/coach.md says
how isolation is built and why.
"""
