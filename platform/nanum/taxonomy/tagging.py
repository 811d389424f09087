"""Records tagged with SDG goals and targets, themes and countries: practices, events and
partnership-board posts. They share how their tags are declared and how a page names them,
so that the three stay in step.
"""

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import mapped_column

from nanum.extensions import db
from nanum.organisations import place_names, regions
from nanum.practices.vocab import THEMES
from nanum.taxonomy import sdg


def tag_model(model_name, table, owner_key, owner, column, kind, /, *, positioned=False,
              **members):
    """Declare the model `model_name` of the association table `table`: a row tags the record
    `owner_key` (a key of `owner`, "practices.id") with one `column` value of SQL type
    `kind`, a value at most once a record. A `positioned` table also keeps the order the
    values were given in. `members` are further attributes of the model."""
    attributes = {
        "__tablename__": table,
        owner_key: mapped_column(Integer, ForeignKey(owner), primary_key=True),
        column: mapped_column(kind, primary_key=True, index=True),
    }
    if positioned:
        attributes["position"] = mapped_column(Integer, default=0, nullable=False)
    return type(model_name, (db.Model,), {**attributes, **members})


class Tagged:
    """A record of an area's `KINDS` and `STATUSES` (labels by key), tagged through the
    relationships `goals`, `targets`, `countries` (in their order) and, where it has them,
    `themes`. Labels and names are in the page's language."""

    KINDS = STATUSES = {}

    @property
    def kind_label(self):
        return self.KINDS.get(self.kind, self.kind)

    @property
    def status_label(self):
        return self.STATUSES.get(self.status, self.status)

    @property
    def goal_numbers(self):
        return sorted(tag.goal for tag in self.goals)

    @property
    def target_keys(self):
        return sorted((tag.target for tag in self.targets), key=sdg.target_sort_key)

    @property
    def theme_keys(self):
        tagged = {tag.theme for tag in self.themes}
        return [key for key in THEMES if key in tagged]

    @property
    def theme_labels(self):
        return [THEMES[key] for key in self.theme_keys]

    @property
    def country_codes(self):
        return [tag.country for tag in self.countries]

    @property
    def country_names(self):
        return [place_names.shown_country(code) for code in self.country_codes]

    @property
    def regions(self):
        """The distinct M49 sub-regions of the record's countries, in their order."""
        found = []
        for code in self.country_codes:
            name = regions.subregion_of(code)
            if name and name not in found:
                found.append(name)
        return found

    @property
    def region_names(self):
        return [place_names.shown_region(name) for name in self.regions]
