"""Coach mode: one server, many students, each in a journal of their own.

  store        the directory: people, sessions, invitations, who coaches whom, consent, the log
  passwords    Argon2id password hashes, and the tokens of links and sessions (kept as hashes)
  students     where each student's journal is kept, and opening it
  assignments  practice a coach assigns into a student's journal, and the mocks they score
  summary      one student's search in a few figures, cut to what they share
  cohort       what a coach's students have in common (themes past a floor, pooled
               statistics), and the cohort as CSV
  summaries    the students' summaries kept under their journals' revisions, and the coach's
               pages

The web doors are in `debrief.web.coach`, the commands in `debrief coach`; docs/coach.md says
how isolation is built and why.
"""
