"""The place forms of a person's profile page and of an organisation's edit page.

Their fields are named `place_*`, so that they never clash with the other form on the same
page (both have a country). They check nothing: the service says what is wrong, in words.
"""

from flask import flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField

from nanum.organisations import place_names
from nanum.places.similarity import PLACE_FIELDS
from nanum.practices import vocab

PREFIX = "place_"


def _select(label, choices, description=None):
    # Country and region names are in the language of the page: chosen when the form is made.
    listed = choices if callable(choices) else (lambda: choices)
    return SelectField(label, choices=lambda: [("", "—"), *listed()], validate_choice=False,
                       description=description)


class PlaceForm(FlaskForm):
    place_country = _select(_l("Country"), place_names.country_choices)
    place_region = _select(_l("Region"), place_names.region_choices,
                           _l("Taken from the country; choose one only when you give no "
                              "country."))
    place_government_level = _select(_l("Government level"), vocab.GOVERNMENT_LEVELS.items())
    place_population_band = _select(_l("Population"), vocab.POPULATION_BANDS.items())
    place_settlement_type = _select(_l("Settlement"), vocab.SETTLEMENT_TYPES.items())
    place_budget_band = _select(_l("Yearly budget for projects like these"),
                                vocab.BUDGET_BANDS.items())
    place_infrastructure_level = _select(_l("Infrastructure"),
                                         vocab.INFRASTRUCTURE_LEVELS.items())
    place_staff_band = _select(_l("Staff capacity"), vocab.STAFF_BANDS.items())

    @classmethod
    def of(cls, values, **extra):
        """Return the form filled with a place's {field: value}; the region stays blank
        when it is the country's, so that choosing another country is enough."""
        data = {PREFIX + name: values.get(name) or "" for name in PLACE_FIELDS}
        if values.get("country"):
            data[PREFIX + "region"] = ""
        return cls(data=data, **extra)

    def values(self):
        """Return what was entered, as {field: value} without the prefix."""
        return {name: getattr(self, PREFIX + name).data for name in PLACE_FIELDS}

    def show(self, error):
        """Put a service's Invalid errors next to their fields, and say nothing was saved
        (the page holds another form, which a person might think was sent)."""
        flash(error.message, "danger")
        for name, message in error.errors.items():
            field = getattr(self, PREFIX + name, None)
            if field is not None:
                field.errors = [*field.errors, message]


class PersonPlaceForm(PlaceForm):
    place_source = SelectField(_l("Rank practices by"),
                               choices=[("", _l("My own place, below"))],
                               validate_choice=False)

    def offer(self, organisations):
        """Offer the places of the person's organisations too."""
        self.place_source.choices = [("", _("My own place, below"))] + [
            (str(organisation.id), _("The place of %(name)s", name=organisation.name))
            for organisation in organisations]
        return self
