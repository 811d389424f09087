"""What happens to practices, for notifications and others to listen to."""

from blinker import Namespace

_signals = Namespace()

# sender: the Practice, just published (sent after the commit)
practice_published = _signals.signal("practice-published")
