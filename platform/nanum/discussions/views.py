"""Discussion pages: categories, topics, the threads under practices, and what posts can do."""

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required

from nanum import inputs
from nanum.accounts.session import viewer
from nanum.discussions import categories, services
from nanum.discussions.forms import (
    GROUPS,
    EditForm,
    LockForm,
    ReplyForm,
    TopicForm,
    category_groups,
    reply_form,
)
from nanum.errors import Forbidden, Invalid, NotFound
from nanum.extensions import limiter
from nanum.flags import targets as flag_targets
from nanum.flags.views import placeholder
from nanum.forms import show_errors
from nanum.practices import services as practices

bp = Blueprint("discussions", __name__)

def _post_limit():
    return current_app.config["RATELIMIT_POST"]


def _is_moderator(user):
    return getattr(user, "is_moderator", False)


# -- helpers shared with the templates -----------------------------------------------------

@bp.app_template_global()
def thread_url(thread, **args):
    """Return the page a thread is shown on: its topic page, or its practice's page."""
    if thread.practice_id is not None:
        return url_for("practices.detail", practice_id=thread.practice_id, **args)
    return url_for("discussions.topic", thread_id=thread.id, **args)


@bp.app_template_global()
def reply_url(thread):
    if thread.practice_id is not None:
        return url_for("discussions.reply_to_practice", practice_id=thread.practice_id)
    return url_for("discussions.reply", thread_id=thread.id)


@bp.app_template_global()
def can_accept_answer(thread):
    return services.can_accept(viewer(), thread)


@bp.app_template_global()
def accepted_node(discussion):
    """Return the accepted answer, shown first (and alone in its frame) on the first page."""
    return discussion.accepted_node if discussion.page == 1 else None


def post_link(post):
    """Return the address of a post on the page of its thread that shows it."""
    return thread_url(post.thread, page=services.page_of(post)) + f"#post-{post.id}"


def _readable_post(post_id):
    """Return a post whose thread the viewer may read (held posts: author and moderators)."""
    post = services.get_post(post_id)
    user = viewer()
    services.get_thread(post.thread_id, user)
    if post.held and not (services.can_edit_post(user, post) or _is_moderator(user)):
        raise NotFound(_("No such post."))
    return post


def _place_error(form, error):
    """Put a service error next to the body field (or the fields it names)."""
    if error.errors:
        show_errors(form, error)
    else:
        form.body.errors = [*form.body.errors, error.message]


# -- browsing ------------------------------------------------------------------------------

@bp.route("/discussions/")
def index():
    groups = [(label, [c for c in categories.CATEGORIES.values() if c.group == key])
              for key, label in GROUPS.items()]
    latest = services.topics(page=1, per_page=10, user=viewer()).items
    return render_template("discussions/index.html", groups=groups,
                           counts=services.category_counts(), latest=latest,
                           hidden_marks=_hidden_marks(latest))


@bp.route("/discussions/c/<category>")
def category(category):
    info = categories.get(category)
    if info is None:
        raise NotFound(_("There is no such discussion category."))
    page = services.topics(info.key, inputs.page_arg(), user=viewer())
    return render_template("discussions/category.html", category=info, page=page,
                           hidden_marks=_hidden_marks(page.items))


def _hidden_marks(topics):
    """Why each hidden topic of a list is hidden (only its author and moderators get it)."""
    return flag_targets.hidden_marks("thread", [t.id for t in topics if t.hidden])


@bp.route("/discussions/new", methods=["GET", "POST"])
@login_required
@limiter.limit(_post_limit, methods=["POST"])
def new():
    form = TopicForm()
    if request.method == "GET":
        form.category.data = request.args.get("category", "")
    preview = draft = None
    if form.validate_on_submit():
        try:
            if request.form.get("action") == "preview":  # checked as posting would check it
                preview = form.body.data or ""
                draft = services.check_topic(**form.content())
            else:
                thread = services.start_topic(viewer(), **form.content())
                flash(_("Your topic is open for replies."), "success")
                return redirect(url_for("discussions.topic", thread_id=thread.id))
        except Invalid as error:
            show_errors(form, error)
    return render_template("discussions/new.html", form=form, preview=preview, draft=draft,
                           groups=category_groups())


@bp.route("/discussions/t/<int:thread_id>")
def topic(thread_id):
    try:
        thread = services.get_thread(thread_id, viewer())
    except NotFound:
        if flag_targets.hidden_placeholder("thread", thread_id):
            return placeholder("topic")
        raise
    if not thread.is_topic:
        # Carry only what the thread page reads: never arbitrary keys into `url_for`.
        return redirect(thread_url(thread, page=inputs.int_arg("page"),
                                   quote=inputs.int_arg("quote")) + "#discussion")
    return _topic_page(thread, reply_form(thread) if viewer().is_authenticated else None)


def _topic_page(thread, form):
    discussion = services.thread_page(thread, viewer(), inputs.page_arg())
    # A visitor gets no forms: a page without a CSRF token sets no cookie and may be cached.
    lock_form = LockForm() if viewer().is_authenticated else None
    return render_template("discussions/topic.html", thread=thread, discussion=discussion,
                           reply_form=form, lock_form=lock_form,
                           hidden_mark=_hidden_marks([thread]).get(thread.id))


# -- replying ------------------------------------------------------------------------------

def _send_reply(form, thread=None, practice=None):
    """Post the form's reply; return the post, or None with the errors put on the form."""
    if not form.validate_on_submit():
        return None
    try:
        post = services.reply(viewer(), thread=thread, practice=practice, body=form.body.data,
                              parent_id=form.parent_id.data)
    except (Invalid, Forbidden) as error:
        _place_error(form, error)
        return None
    if post.held:
        flash(_("Thank you. Your post will appear to others once a moderator has seen it."), "info")
    return post


@bp.route("/discussions/t/<int:thread_id>/reply", methods=["POST"])
@login_required
@limiter.limit(_post_limit, methods=["POST"])
def reply(thread_id):
    thread = services.get_thread(thread_id, viewer())
    if not thread.is_topic:
        return _reply_under_practice(thread.practice)
    form = ReplyForm()
    post = _send_reply(form, thread)
    if post is None:
        return _topic_page(thread, form)
    return redirect(post_link(post))


@bp.route("/practices/<int:practice_id>/discussion", methods=["POST"])
@login_required
@limiter.limit(_post_limit, methods=["POST"])
def reply_to_practice(practice_id):
    return _reply_under_practice(practices.get(practice_id, viewer()))


def _reply_under_practice(practice):
    form = ReplyForm()
    post = _send_reply(form, practice=practice)
    if post is None:
        from nanum.practices.views import detail

        return detail(practice.id, reply_form=form)
    return redirect(post_link(post))


# -- one post ------------------------------------------------------------------------------

@bp.route("/posts/<int:post_id>")
def permalink(post_id):
    return redirect(post_link(_readable_post(post_id)))


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit(post_id):
    post = _readable_post(post_id)
    if not services.can_edit_post(viewer(), post) or post.is_deleted:
        raise Forbidden(_("You can only edit your own posts."))
    form = EditForm(data={"body": post.body})
    preview = None
    if form.validate_on_submit():
        if request.form.get("action") == "preview":
            preview = form.body.data or ""
        else:
            try:
                services.edit(viewer(), post, form.body.data)
            except (Invalid, Forbidden) as error:
                _place_error(form, error)
            else:
                flash(_("Your post is saved."), "success")
                return redirect(post_link(post))
    return render_template("discussions/edit.html", form=form, post=post, preview=preview)


@bp.route("/posts/<int:post_id>/delete", methods=["POST"])
@login_required
def delete(post_id):
    post = _readable_post(post_id)
    services.remove(viewer(), post)
    flash(_("Your post is deleted. Replies to it stay in place."), "info")
    return redirect(post_link(post))


@bp.route("/posts/<int:post_id>/helpful", methods=["POST"])
@login_required
def helpful(post_id):
    post = _readable_post(post_id)
    try:
        services.toggle_helpful(viewer(), post)
    except Invalid as error:
        flash(error.message, "warning")
    return redirect(post_link(post))


@bp.route("/posts/<int:post_id>/accept", methods=["POST"])
@login_required
def accept(post_id):
    post = _readable_post(post_id)
    try:
        accepted = services.accept(viewer(), post)
    except Invalid as error:
        flash(error.message, "warning")
    else:
        flash(_("Marked as the accepted answer.") if accepted
              else _("This is no longer the accepted answer."), "success")
    return redirect(post_link(post))


@bp.route("/posts/<int:post_id>/history")
def history(post_id):
    post = _readable_post(post_id)
    revisions = services.history(viewer(), post)
    return render_template("discussions/history.html", post=post, revisions=revisions)


# -- moderation ----------------------------------------------------------------------------

@bp.route("/discussions/t/<int:thread_id>/lock", methods=["POST"])
@login_required
def lock(thread_id):
    thread = services.get_thread(thread_id, viewer())
    form = LockForm()
    try:
        services.lock(viewer(), thread, form.reason.data)
    except Invalid as error:
        flash(error.message, "danger")
    else:
        flash(_("The discussion is locked."), "info")
    return redirect(thread_url(thread) + "#discussion")


@bp.route("/discussions/t/<int:thread_id>/unlock", methods=["POST"])
@login_required
def unlock(thread_id):
    thread = services.get_thread(thread_id, viewer())
    services.unlock(viewer(), thread)
    flash(_("The discussion is open again."), "info")
    return redirect(thread_url(thread) + "#discussion")


# -- mention completion --------------------------------------------------------------------

@bp.route("/api/people")
@login_required
def people():
    found = services.people_like(request.args.get("q", ""))
    return jsonify([{"handle": person.handle, "name": person.name} for person in found])
