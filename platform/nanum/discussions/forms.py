"""Discussion forms. They check shape only; `services` owns the rules and their messages."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from nanum import inputs
from nanum.discussions import categories, services
from nanum.errors import NotFound

BODY_HELP = _l("Markdown is allowed. Type @ and a name to mention someone.")
NOT_IN_THREAD = _l("The post you are replying to is not in this discussion.")
GROUPS = {"cooperation": _l("Cooperation"), "sdg": _l("SDGs"), "theme": _l("Themes")}


def category_groups():
    """Return the categories as (group label, [(key, title)]) for a grouped select."""
    grouped = {label: [] for label in GROUPS.values()}
    for category in categories.CATEGORIES.values():
        grouped[GROUPS[category.group]].append((category.key, category.title))
    return list(grouped.items())


class TopicForm(FlaskForm):
    # The service says which category is wrong, in words; WTForms would only say "Not a valid
    # choice", so the choice is not checked here.
    category = SelectField(_l("Category"), validate_choice=False,
                           choices=[(c.key, c.title) for c in categories.CATEGORIES.values()])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=1000)])
    body = TextAreaField(_l("Your question or message"), description=BODY_HELP)
    question = BooleanField(_l("Ask it as a question"),
                            description=_l("You can then mark the reply that answers it best as "
                                        "the accepted answer."))
    targets = StringField(_l("SDG targets"), validators=[Optional(), Length(max=300)],
                          description=_l("Optional. Target numbers separated by commas, "
                                      "such as 11.3, 6.1."))
    tags = StringField(_l("Tags"), validators=[Optional(), Length(max=600)],
                       description=_l("Optional. Separate with commas, for example: "
                                   "floods, early warning."))

    def content(self):
        """Return the arguments of `services.start_topic`."""
        targets = [key for key in re.split(r"[,;\s]+", self.targets.data or "") if key]
        return {"category": self.category.data, "title": self.title.data,
                "body": self.body.data, "targets": targets, "tags": self.tags.data or "",
                "question": self.question.data}


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Your reply"), id="reply-body", description=BODY_HELP)
    parent_id = IntegerField(_l("In reply to"), widget=HiddenInput(), validators=[
        Optional(), NumberRange(min=1, max=inputs.ID_MAX, message=NOT_IN_THREAD)])


class EditForm(FlaskForm):
    body = TextAreaField(_l("Your post"), description=BODY_HELP)


class LockForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)],
                         description=_l("Shown to everyone above the discussion."))


def quoted(text):
    """Return text as a Markdown quotation, followed by an empty line to write in."""
    lines = (text or "").strip().splitlines()
    return "\n".join(f"> {line}" if line.strip() else ">" for line in lines) + "\n\n"


def reply_form(thread=None):
    """Return the reply form of a thread page, quoting the post named by `?quote=`."""
    form = ReplyForm()
    quote = inputs.int_arg("quote")
    if thread is None or thread.id is None or not quote or form.body.data:
        return form
    try:
        post = services.get_post(quote)
    except NotFound:
        return form
    if post.thread_id == thread.id and post.is_visible:
        form.body.data = quoted(post.body)
    return form
