"""Who may read and write a case's Signs of Safety work, concern and notifications: the
provider's staff working on the case, as for the journal (``traad.journal.rules``)."""

from __future__ import annotations

import rules

from traad.journal.rules import can_read_journal, can_write_journal

can_read_safety = can_read_journal
can_write_safety = can_write_journal

rules.add_perm("safety.read", can_read_safety)
rules.add_perm("safety.write", can_write_safety)
