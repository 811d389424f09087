"""What happens to organisations, for notifications and others to listen to."""

from blinker import Namespace

_signals = Namespace()

# sender: the pending Membership, just requested (sent after the commit)
join_requested = _signals.signal("join-requested")
