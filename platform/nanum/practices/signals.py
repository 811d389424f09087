"""What happens to practices, for notifications and others to listen to."""

from blinker import Namespace

_signals = Namespace()

# sender: the Practice, just published (sent after the commit)
practice_published = _signals.signal("practice-published")

# sender: the published Practice that has just named the practice it adapts (sent after the
# commit; an adaptation published with its link sends `practice_published` instead)
practice_adapted = _signals.signal("practice-adapted")
