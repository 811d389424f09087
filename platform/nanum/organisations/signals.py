"""What happens to organisations, for notifications and others to listen to."""

from blinker import Namespace

_signals = Namespace()

# sender: the pending Membership, just requested (sent after the commit)
join_requested = _signals.signal("join-requested")

# sender: the Organisation being merged away, with `into` the one that stays (sent inside
# the merge's transaction, before the merged organisation is deleted: move what refers to it)
merging = _signals.signal("merging")
