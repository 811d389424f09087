"""Form helpers shared by the domains."""

from flask import flash


def show_errors(form, error):
    """Put a service's Invalid errors next to their fields, or flash the message."""
    placed = False
    for name, message in error.errors.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, message]
            placed = True
    if not placed:
        flash(error.message, "danger")


def show_rule_errors(form, errors):
    """Add a service's rule errors ({field: message}) to the fields the form found no
    fault with, so that a person sees every problem at once."""
    for name, message in errors.items():
        field = getattr(form, name, None)
        if field is not None and not field.errors:
            field.errors = [message]
