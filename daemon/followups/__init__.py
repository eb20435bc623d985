# SPDX-License-Identifier: MIT
"""Follow-ups: the records (the only code that writes the database), the planner (due times),
what a message changes (news), hand edits (edits), the follow-up rules (plans), the drafts
(drafts, drafting), the calendar and its feed (ics, publish, feed), the debrief sheet (debrief).
Imports the understanding room for what a message said; never IMAP (drafting takes a DraftsFolder).
"""
