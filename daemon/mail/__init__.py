# SPDX-License-Identifier: MIT
"""Reading mail: the only code that speaks IMAP (mailbox, imapsyntax), and the scan of a folder in two
phases: a first look at every new message (firstlook_headers by default, firstlook_preview with
``scan.read_every_message``), whole messages for the candidates. Imports the understanding room (the
first look runs the screen rules), never the follow-ups or the cycle: the scan hands what it reads to a
MessageSink.
"""
