"""The stored normalised name: kept in step with the name however it is written, filled for
organisations older than it, and giving the queue the same duplicates as comparing every pair."""

import random

from flask_migrate import upgrade
from sqlalchemy import select, text

from nanum import create_app
from nanum.extensions import db
from nanum.organisations import merging, names, services
from nanum.organisations.models import Organisation


def stored(organisation_id):
    db.session.expire_all()
    return db.session.scalar(select(Organisation.normalised_name).where(
        Organisation.id == organisation_id))


def test_creating_renaming_and_importing_store_the_normalised_name(app, make):
    admin = make.user()
    created = services.create(admin, name="Municipality of São Paulo", type="LRG",
                              country="BR")
    assert stored(created.id) == "sao paulo"
    services.update(admin, created, name="Prefeitura de Belo Horizonte", type="LRG",
                    country="BR")
    assert stored(created.id) == "prefeitura belo horizonte"
    imported, was_created = services.find_or_create("The Kisumu Water Institute", "NRI", "KE")
    db.session.commit()
    assert was_created and stored(imported.id) == "kisumu water institute"
    made = make.organisation(name="Lake Basin Authority")
    assert stored(made.id) == "lake basin"


def test_merging_keeps_the_survivors_normalised_name(app, make):
    survivor = make.organisation(name="Kisumu Water Institute", country="KE")
    merged = make.organisation(name="Kisumu Water Institute Ltd", country="KE")
    merging.merge(make.user(role="moderator"), merged, survivor, reason="duplicate")
    assert stored(survivor.id) == "kisumu water institute"


def test_the_migration_fills_the_names_of_existing_organisations(config, tmp_path):
    app = create_app({**config, "SQLALCHEMY_DATABASE_URI":
                      f"sqlite:///{tmp_path / 'migrated.sqlite'}"},
                     instance_path=tmp_path / "migrated")
    with app.app_context():
        upgrade(revision="9c4e1d7b2f65")
        db.session.execute(text(
            "INSERT INTO organisations (name, type, country, verified, hidden, trusted, "
            "created_at) VALUES (:name, 'LRG', 'KE', 0, 0, 0, '2026-01-01')"),
            [{"name": "Nairobi City County"}, {"name": "Conseil Régional de Dakar"}])
        db.session.commit()
        upgrade(revision="b7e3a1c5d902")
        rows = db.session.execute(text(
            "SELECT name, normalised_name FROM organisations ORDER BY id")).all()
    assert rows == [("Nairobi City County", "nairobi"),
                    ("Conseil Régional de Dakar", "conseil dakar")]


WORDS = ["kisumu", "water", "institute", "nakuru", "lake", "basin", "health", "nairobi",
         "mombasa", "research", "centre", "county", "city", "of", "the", "ltd", "waters"]


def _names(count, seed):
    """Names made to collide: shared words, typos, reordered words and ties."""
    chance = random.Random(seed)
    found = set()
    while len(found) < count:
        words = chance.sample(WORDS, chance.randint(1, 4))
        name = " ".join(words).title()
        if chance.random() < 0.3:  # a typo
            at = chance.randrange(len(name))
            name = name[:at] + name[at + 1:]
        if name.strip():
            found.add(name.strip())
    # Many names alike, with tied scores: more look-alikes than are shown.
    found.update(f"Lakeside Clinic {number}" for number in range(1, 25))
    return sorted(found)


def test_the_queue_finds_the_same_duplicates_as_comparing_every_pair(app, make):
    organisations = [make.organisation(name=name, country=("KE", "UG")[number % 2])
                     for number, name in enumerate(_names(160, seed=8))]
    found = merging.duplicates_of(organisations)
    checked = 0
    for organisation in organisations:
        alike = sorted(
            ((merging.similarity(names.normalise(organisation.name), names.normalise(other.name)),
              other) for other in organisations
             if other.id != organisation.id and other.country == organisation.country),
            key=lambda pair: (-pair[0], pair[1].name))
        expected = [(other.id, round(score, 6)) for score, other in alike
                    if score >= merging.THRESHOLD][:merging.LIMIT]
        assert [(other.id, round(score, 6)) for other, score in found[organisation.id]] == (
            expected), organisation.name
        checked += bool(expected)
    assert checked > 40  # the corpus really has look-alikes to find
