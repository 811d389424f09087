"""What happens in discussions, for notifications and others to listen to."""

from blinker import Namespace

_signals = Namespace()

# sender: the Post; kwargs: mentioned (list of Users newly mentioned)
post_created = _signals.signal("post-created")
# sender: the Post that became the accepted answer; kwargs: by (User)
answer_accepted = _signals.signal("answer-accepted")
# sender: the Thread; kwargs: by (User), reason
thread_locked = _signals.signal("thread-locked")
