# SPDX-License-Identifier: MIT
"""Understanding one message: MIME (mime), calendar parts and time zones (ical), dates in text
(textdates), the rules (rules), the fields (extract), its time budget (guard), all of it at once
(analysis). Pure functions of a message's bytes and the settings: no IMAP, no records.
"""
