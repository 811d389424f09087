"""Mail workers on several hosts at once: no mail sent twice, one digest per person."""

import threading
import time
from collections import Counter

from sqlalchemy import func, select

from nanum.extensions import db
from nanum.notifications import mailqueue, services
from nanum.notifications.models import OutgoingMail


def _at_once(app, work, workers=2):
    """Run `work()` in `workers` threads, each with its own app context and session, started
    together; return what each returned, and raise what any raised."""
    db.session.commit()  # end the test's own transaction: on SQLite it holds the write lock
    barrier = threading.Barrier(workers)
    results, errors = [], []

    def run():
        with app.app_context(), services.site_context():
            try:
                barrier.wait(timeout=30)
                results.append(work())
            except Exception as error:  # re-raised in the test below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def test_two_workers_sending_at_once_never_send_a_mail_twice(app, monkeypatch):
    for number in range(30):
        mailqueue.queue(f"person{number}@example.org", f"Mail {number}", "Hello.")
    db.session.commit()
    all_ids = set(db.session.scalars(select(OutgoingMail.id)))
    delivered = []

    def deliver(message):
        delivered.append(message.id)
        time.sleep(0.005)  # a mail server's answer: the other worker runs meanwhile

    monkeypatch.setattr(mailqueue, "deliver", deliver)

    def send_until_empty():
        sent = 0
        while True:
            batch, _failed = mailqueue.send_pending(limit=4)
            if not batch:
                return sent
            sent += batch

    sent = _at_once(app, send_until_empty)
    assert Counter(delivered) == Counter(all_ids)  # every mail once, none twice
    assert sum(sent) == len(all_ids)
    db.session.expire_all()
    assert set(db.session.scalars(select(OutgoingMail.status))) == {"sent"}


def test_two_workers_queueing_the_digest_at_once_queue_one_per_person(app, make, helpers):
    readers = [make.user(email_notifications="daily") for _ in range(4)]
    writer = make.user(email_notifications="off")
    for reader in readers:
        thread = helpers.topic(reader, title=f"A question of {reader.name}")
        helpers.reply(writer, thread)
        helpers.reply(writer, thread, body="And another thing.")
    db.session.commit()

    queued = _at_once(app, mailqueue.send_digests)
    assert sum(queued) == len(readers)
    per_person = dict(db.session.execute(
        select(OutgoingMail.to, func.count()).group_by(OutgoingMail.to)).all())
    assert per_person == {reader.email: 1 for reader in readers}
