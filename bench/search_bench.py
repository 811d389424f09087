"""Benchmark Nanum's search: bulk load, rebuild, query mix, freshness, many commits, FTS5.

Run from the repository root:

    .venv/bin/python bench/search_bench.py --docs 2000 --commits 200   # quick check
    .venv/bin/python bench/search_bench.py                              # 20,000 and 100,000
    .venv/bin/python bench/search_bench.py --engine postgres --skip-fts  # on PostgreSQL
    .venv/bin/python bench/search_bench.py --docs 20000 --reuse         # the query mix again,
                                                                         # on the last instance
    .venv/bin/python bench/search_bench.py --engine postgres --reuse    # the same on PostgreSQL
                                                                         # (the cluster is kept
                                                                         # in out/N-postgres)

See bench/README.md for what each figure means.
"""

import argparse
import json
import math
import os
import re
import shutil
import sqlite3
import string
import sys
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from random import Random
from types import SimpleNamespace

from flask import current_app, template_rendered
from sqlalchemy import func, insert, select, text

from nanum import create_app, pgcluster
from nanum.extensions import db
from nanum.organisations import regions
from nanum.organisations.models import Organisation
from nanum.organisations.vocab import ORG_TYPES
from nanum.practices import vocab
from nanum.practices.browse import Filters
from nanum.practices.models import (
    Practice,
    PracticeCountry,
    PracticeGoal,
    PracticeTag,
    PracticeTarget,
    PracticeTheme,
)
from nanum.search import service
from nanum.search.engines.postgres import schema
from nanum.search.models import SearchOutbox
from nanum.taxonomy import sdg
from nanum.timeutil import utcnow

HERE = Path(__file__).resolve().parent
CHUNK = 5000
RARE_WORD = "vetiver"  # in exactly one document per thousand
FRESH_WORD = "quokkafresh"  # only in the document of the freshness test
SECTION_CHARS = 300
SUMMARY_CHARS = 400

# -- the vocabulary ------------------------------------------------------------------------

# Each country's places; accented names test folding ("Bogota" finds "Bogotá").
PLACES = {
    # Asia-Pacific
    "VN": ["Đà Nẵng", "Huế", "Cần Thơ", "Hải Phòng"], "TH": ["Chiang Mai", "Khon Kaen"],
    "KH": ["Siem Reap", "Battambang"], "LA": ["Luang Prabang", "Savannakhet"],
    "MM": ["Mandalay", "Mawlamyine"], "PH": ["Iloilo", "Cebu", "Tacloban", "Naga"],
    "ID": ["Yogyakarta", "Surakarta", "Makassar"], "MY": ["Kuching", "Penang"],
    "BD": ["Khulna", "Sylhet", "Barishal"], "NP": ["Pokhara", "Bharatpur", "Dhulikhel"],
    "LK": ["Galle", "Jaffna", "Batticaloa"], "IN": ["Pune", "Bhubaneswar", "Kochi", "Surat"],
    "MN": ["Darkhan", "Erdenet"], "FJ": ["Lautoka", "Nadi"], "PG": ["Lae", "Goroka"],
    "WS": ["Apia"],
    # Eastern Africa
    "KE": ["Kisumu", "Nakuru", "Mombasa", "Garissa"], "TZ": ["Arusha", "Dodoma", "Mwanza"],
    "UG": ["Gulu", "Jinja", "Mbale"], "RW": ["Huye", "Musanze"],
    "ET": ["Hawassa", "Bahir Dar", "Adama"], "BI": ["Gitega"], "MZ": ["Beira", "Nampula"],
    "MW": ["Zomba", "Mzuzu"], "ZM": ["Ndola", "Kitwe"],
    "MG": ["Antananarivo", "Toamasina", "Fianarantsoa"], "SO": ["Baidoa", "Kismayo"],
    # Latin America
    "CO": ["Bogotá", "Medellín", "Montería", "Cúcuta"], "PE": ["Cusco", "Arequipa", "Chiclayo"],
    "EC": ["Quito", "Cuenca", "Esmeraldas"], "BO": ["Cochabamba", "El Alto", "Potosí"],
    "BR": ["São Paulo", "Belém", "Recife", "Curitiba"], "CL": ["Valparaíso", "Concepción"],
    "AR": ["Rosario", "Córdoba", "Mendoza"], "MX": ["Querétaro", "Mérida", "Oaxaca"],
    "GT": ["Quetzaltenango", "Cobán"], "HN": ["Tegucigalpa", "San Pedro Sula"],
    "PY": ["Asunción", "Encarnación"], "UY": ["Montevideo", "Paysandú"],
    "CR": ["San José", "Limón"],
}
COUNTRIES = list(PLACES)

# Most common first: sampling follows a Zipf-like curve over this order.
TOPICS = [
    "water", "flood", "sanitation", "climate adaptation", "resilience", "waste", "drought",
    "early warning", "housing", "informal settlements", "public transport", "solar",
    "school meals", "clinics", "recycling", "youth employment", "gender equality", "open data",
    "participatory budgeting", "land tenure", "road safety", "cooperative", "fisheries",
    "mangroves", "microgrid", "mobile money", "SMS alerts", "e-governance",
    "disability inclusion", "irrigation", "rainwater harvesting", "groundwater",
    "wastewater treatment", "solid waste collection", "composting", "street lighting",
    "cash transfers", "social protection", "primary health care", "maternal health",
    "vaccination", "nutrition", "food security", "smallholder farming", "agroforestry",
    "reforestation", "watershed management", "coastal erosion", "heatwaves",
    "cyclone shelters", "evacuation drills", "risk mapping", "local development plans",
    "voluntary local reviews", "SDG indicators", "citizen reporting", "budget transparency",
    "property tax", "vocational training", "digital literacy", "community radio",
    "women's groups", "child protection", "school enrolment", "teacher training",
    "rural electrification", "clean cooking", "biogas", "energy efficiency", "air quality",
    "green spaces", "urban gardens", "market vendors", "slum upgrading", "affordable housing",
    "building codes", "bus rapid transit", "cycling lanes", "pedestrian safety", "landslides",
    "storm drainage", "water kiosks", "handwashing stations", "menstrual hygiene",
    "plastic bags", "e-waste", "waste pickers", "sea level rise", "coral reefs",
    "seaweed farming", "beekeeping", "drip irrigation", "seed banks", "post-harvest losses",
    "heritage tourism", "public libraries", "legal aid", "birth registration", "land registry",
    "geospatial data", "drones", "chatbots", "call centres",
]
# The long tail: specialised words, most of them rare.
TAIL = [
    "boreholes", "hand pumps", "check dams", "terracing", "mulching", "bamboo", "cassava",
    "sorghum", "millet", "quinoa", "cocoa", "coffee", "cardamom", "tilapia", "shrimp",
    "sand dams", "fog nets", "biochar", "vermicompost", "gabions", "geotextiles",
    "silvopasture", "hydroponics", "aquaponics", "alpacas", "mussels", "sea cucumbers",
    "ferrocement", "bioswales", "zai pits", "qanats", "cisterns", "rammed earth", "adobe",
    "stilt houses", "floating gardens", "rice terraces", "salt pans", "peatlands", "paramos",
    "glacial lakes", "permafrost", "dzud", "locusts", "armyworm", "cholera", "dengue",
    "malaria", "leptospirosis", "arsenic", "fluoride", "salinity", "turbidity", "chlorination",
]
GROUPS = [
    "residents", "women", "young people", "farmers", "fishers", "street vendors",
    "persons with disabilities", "older people", "informal workers", "households",
    "schoolchildren", "migrant workers", "indigenous communities", "community leaders",
    "small businesses", "community health workers", "the local community", "tenants",
]
ACTORS = [
    "the municipal government", "the city council", "the district office",
    "the provincial government", "a local NGO", "the national ministry", "a university team",
    "the water utility", "community committees", "a youth network", "women's cooperatives",
    "the disaster management office", "the planning department",
    "a national research institute", "the mayor's office", "a regional association of cities",
]
VERBS = [
    "launched", "piloted", "scaled up", "designed", "co-designed", "introduced", "expanded",
    "strengthened", "financed", "mapped", "monitored", "evaluated", "coordinated",
    "institutionalised", "adopted", "revised", "digitised", "integrated",
]
CHALLENGES = [
    "recurrent floods", "an unreliable water supply", "weak coordination between agencies",
    "limited municipal revenue", "poor data on {topic}", "rapid urban growth",
    "insecure land tenure", "long dry seasons", "high youth unemployment",
    "low trust in local government", "fragmented budgets", "gaps in {topic}",
    "frequent power cuts", "overcrowded clinics", "uncollected waste",
]
OUTCOMES = [
    "coverage rose from {pct} to {pct2} percent", "response times fell by {pct} percent",
    "{num} people gained access to {topic}", "losses in the {year} season were roughly halved",
    "attendance improved by {pct} percent", "costs fell by {pct} percent per household",
    "complaints about {topic} dropped sharply", "the share of women on committees doubled",
    "{num} households reported better {topic}",
]
LESSONS = [
    "early engagement of {group}", "clear roles between agencies",
    "simple tools that staff can maintain", "open data on {topic}",
    "a small dedicated budget line", "regular feedback to {group}",
    "peer learning between municipalities", "local ownership", "flexible financing",
    "support from the national ministry", "trust built over several years",
]
POLICIES = ["policy", "policies", "by-laws", "regulations", "plans", "municipal policies"]
FINANCE = [
    "the municipal budget", "a national transfer", "a climate fund", "user fees",
    "a development bank loan", "participatory budgeting rounds", "private sponsors",
]
TOOLS = ["SMS surveys", "a mobile app", "household surveys", "satellite images",
         "community mapping", "open data dashboards", "school records", "clinic registers"]
HAZARDS = ["flooding", "drought", "landslides", "cyclones", "heatwaves", "storm surges"]

TITLES = [
    "Community-led {topic} and {topic2} for {group} in {place}",
    "Scaling up {topic} through {topic2} in {place}",
    "Integrating {topic} into local development planning in {place}",
    "{place}: improving {topic} with {group} and {actor}",
    "{Topic} and {topic2}: lessons from {place}",
    "Local action on {topic} for {group} in {place}",
]
SECTIONS = {
    "context": [
        "{place} faces {challenge}, which affects {group} most.",
        "Before {year}, {group} in {place} had limited access to {topic}.",
        "Local {policy} did not address {topic}, and {challenge} made matters worse.",
        "About {num} {group} live in areas exposed to {hazard}.",
        "The community had long asked for better {topic} and {topic2}.",
    ],
    "objectives": [
        "The initiative aimed to improve {topic} for {group} and to reduce {challenge}.",
        "Its objectives were to strengthen {topic}, expand {topic2} and align local "
        "{policy} with SDG {goal}.",
        "{Actor} set out to make {topic} more inclusive of {group}.",
        "A second aim was to build the resilience of {group} to {hazard}.",
    ],
    "implementation": [
        "{Actor} {verb} a programme on {topic} with {actor}.",
        "Teams {verb} {topic} in {num} neighbourhoods, using {topic2} to reach {group}.",
        "The work was financed through {finance} and coordinated by {actor}.",
        "Data from {tool} helped {actor} track {topic}.",
        "Volunteers from the community {verb} {topic} in {place}.",
    ],
    "results": [
        "By {year}, {outcome}.",
        "Monitoring showed that {outcome} within {months} months.",
        "An evaluation found that {group} benefited from better {topic}.",
        "In {place}, {outcome}.",
    ],
    "lessons": [
        "Success depended on {lesson}.",
        "Other municipalities can replicate this with {lesson} and attention to {topic}.",
        "A key lesson is that {topic} works best when combined with {topic2}.",
        "Resilience grew where {group} took part from the start.",
    ],
}
SUMMARY_PARTS = ("context", "implementation", "results", "lessons")

GOAL_WEIGHTS = {number: 1 for number in sdg.GOALS} | {6: 8, 11: 9, 13: 8}
TARGETS_BY_GOAL = {number: [t.key for t in goal.targets] for number, goal in sdg.GOALS.items()}
KIND_WEIGHTS = {"case_study": 4, "policy_practice": 3, "country_experience": 2, "research": 1}
THEME_WEIGHTS = {"drr_resilience": 3, "local_action": 3, "leave_no_one_behind": 2,
                 "digital_governance": 2, "nri_capacity": 1}
ORG_TYPE_WEIGHTS = {kind: {"LRG": 8, "NRI": 3, "CSO": 3, "NGM": 2, "ACADEMIA": 2}.get(kind, 1)
                    for kind in ORG_TYPES}
ORG_NAMES = {
    "LRG": ["{place} City Council", "Municipality of {place}", "{place} District Government"],
    "NRI": ["{country} Institute for Development Studies", "{place} Policy Research Centre"],
    "NGM": ["Ministry of Local Government, {country}", "Ministry of Environment, {country}"],
    "IO": ["Regional Office for {country}", "{country} Resilience Partnership"],
    "CSO": ["{place} Community Alliance", "Friends of {place}", "{place} Youth Forum"],
    "ACADEMIA": ["University of {place}", "{place} Technical College"],
    "OTHER": ["{place} Water Cooperative", "{place} Chamber of Commerce"],
}

PUBLISHED_FROM = datetime(2015, 1, 1)
PUBLISHED_SPAN = (datetime(2026, 6, 30) - PUBLISHED_FROM).total_seconds()


def zipf_weights(count, exponent=1.0):
    """Return cumulative Zipf weights for `count` ranked items."""
    total, cumulative = 0.0, []
    for rank in range(1, count + 1):
        total += 1.0 / rank ** exponent
        cumulative.append(total)
    return cumulative


def template_fields(template):
    """Return the names of the fields a format string uses."""
    return [name for _text, name, _spec, _conv in string.Formatter().parse(template) if name]


# -- the corpus ----------------------------------------------------------------------------

class Writer:
    """Write practices and organisations deterministically from one random generator."""

    def __init__(self, rng):
        self.rng = rng
        self.topic_weights = zipf_weights(len(TOPICS), 1.0)
        self.tail_weights = zipf_weights(len(TAIL), 1.2)
        self.fields = {}
        self.focus = []
        self.places = []
        self.makers = self.slots()

    def pick(self, items, weights=None):
        if weights is None:
            return items[self.rng.randrange(len(items))]
        return self.rng.choices(items, cum_weights=weights)[0]

    def weighted(self, weights):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def topic(self):
        """Return a topic: mostly the document's own, sometimes any, rarely a long-tail one."""
        roll = self.rng.random()
        if roll < 0.8 and self.focus:
            return self.pick(self.focus)
        if roll < 0.96:
            return self.pick(TOPICS, self.topic_weights)
        return self.pick(TAIL, self.tail_weights)

    def slots(self):
        """Return the makers of each template field's text."""
        rng = self.rng
        return {
            "topic": self.topic, "topic2": self.topic,
            "Topic": lambda: capitalise(self.topic()),
            "group": lambda: self.pick(GROUPS), "actor": lambda: self.pick(ACTORS),
            "Actor": lambda: capitalise(self.pick(ACTORS)), "verb": lambda: self.pick(VERBS),
            "place": lambda: self.pick(self.places), "policy": lambda: self.pick(POLICIES),
            "finance": lambda: self.pick(FINANCE), "tool": lambda: self.pick(TOOLS),
            "hazard": lambda: self.pick(HAZARDS), "goal": lambda: self.pick(["6", "11", "13"]),
            "num": lambda: f"{rng.randrange(2, 400) * 25:,}",
            "months": lambda: str(rng.randrange(6, 37)),
            "year": lambda: str(rng.randrange(2008, 2025)),
            "pct": lambda: str(rng.randrange(10, 60)),
            "pct2": lambda: str(rng.randrange(60, 99)),
            "challenge": lambda: self.fill(self.pick(CHALLENGES)),
            "outcome": lambda: self.fill(self.pick(OUTCOMES)),
            "lesson": lambda: self.fill(self.pick(LESSONS)),
        }

    def fill(self, template):
        """Fill a template's fields."""
        names = self.fields.get(template)
        if names is None:
            names = self.fields[template] = template_fields(template)
        return template.format(**{name: self.makers[name]() for name in names})

    def prose(self, templates, chars):
        """Return sentences from the templates, none twice in a row, about `chars` long."""
        sentences, length, previous = [], 0, None
        while length < chars - 20:
            template = self.pick(templates)
            if template is previous:
                continue
            sentence = capitalise(self.fill(template))
            sentences.append(sentence)
            length += len(sentence) + 1
            previous = template
        return " ".join(sentences)

    def organisation(self, number):
        """Return the row of organisation `number`."""
        country = self.pick(COUNTRIES)
        self.places = PLACES[country]
        kind = self.weighted(ORG_TYPE_WEIGHTS)
        name = self.pick(ORG_NAMES[kind]).format(place=self.pick(self.places),
                                                 country=regions.country_name(country))
        self.focus = [self.topic(), self.topic()]
        description = capitalise(self.fill("{Actor} works on {topic} and {topic2} with "
                                           "{group} in {place}."))
        return {
            "id": number, "name": f"{name} ({number})", "type": kind, "country": country,
            "government_level": "municipal" if kind == "LRG" else None, "population": None,
            "website": None, "description": description, "verified": self.rng.random() < 0.5,
            "created_at": PUBLISHED_FROM - timedelta(days=self.rng.randrange(1, 900)),
        }

    def practice(self, number, organisation_id, organisation_country):
        """Return a practice's row and tag rows (without practice_id) as a dict."""
        rng = self.rng
        countries = [organisation_country if rng.random() < 0.7 else self.pick(COUNTRIES)]
        if rng.random() < 0.3:
            countries.append(self.pick(COUNTRIES))
        countries = list(dict.fromkeys(countries))
        self.places = [place for code in countries for place in PLACES[code]]
        self.focus = [self.pick(TOPICS, self.topic_weights) for _ in range(3)]
        targets = self.targets()
        row = self.practice_row(organisation_id)
        if number % 1000 == 137:
            row["implementation"] += (f" Slopes were stabilised with {RARE_WORD} grass "
                                      f"planted by {self.pick(GROUPS)}.")
        themes = {self.weighted(THEME_WEIGHTS) for _ in range(rng.randrange(1, 3))}
        return {
            "practice": row,
            "countries": countries,
            "targets": targets,
            "goals": sorted(sdg.expand_goals(targets)),
            "themes": sorted(themes),
            "tags": sorted({self.focus[0], self.focus[1]})[:rng.randrange(0, 3)],
        }

    def targets(self):
        """Return 1-4 target keys, mostly of goals 6, 11 and 13."""
        keys = set()
        for _ in range(self.rng.randrange(1, 5)):
            goal = self.weighted(GOAL_WEIGHTS)
            keys.add(self.pick(TARGETS_BY_GOAL[goal]))
        return sorted(keys, key=sdg.target_sort_key)

    def practice_row(self, organisation_id):
        """Return the practices-table columns of one published practice."""
        rng = self.rng
        published = PUBLISHED_FROM + timedelta(seconds=rng.random() * PUBLISHED_SPAN)
        start = rng.randrange(2005, 2025)
        end = None if rng.random() < 0.3 else min(2026, start + rng.randrange(0, 7))
        summary = " ".join(self.prose(SECTIONS[part], SUMMARY_CHARS // len(SUMMARY_PARTS))
                           for part in SUMMARY_PARTS)
        row = {
            "title": capitalise(self.fill(self.pick(TITLES)))[:200],
            "summary": summary, "kind": self.weighted(KIND_WEIGHTS), "status": "published",
            "organisation_id": organisation_id, "author_id": None, "language": "en",
            "period_start": start, "period_end": end,
            "evidence_level": self.pick([None, *vocab.EVIDENCE_LEVELS]),
            "stakeholders": "", "enabling_factors": "", "constraints": "", "sustainability": "",
            "budget_amount": None, "budget_currency": None, "budget_year": None,
            "staff_fte": None, "duration_months": None,
            "created_at": published - timedelta(days=rng.randrange(1, 60)),
            "updated_at": published, "published_at": published,
        }
        for section, templates in SECTIONS.items():
            row[section] = self.prose(templates, SECTION_CHARS)
        for name, (_label, choices) in vocab.CONTEXT_FIELDS.items():
            row[name] = self.pick(list(choices)) if rng.random() < 0.8 else None
        return row


def capitalise(text):
    return text[:1].upper() + text[1:]


def tag_rows(practice_id, document):
    """Return {table: rows} of a practice's countries, goals, targets, themes and tags."""
    return {
        PracticeCountry.__table__: [{"practice_id": practice_id, "country": code,
                                     "position": i}
                                    for i, code in enumerate(document["countries"])],
        PracticeGoal.__table__: [{"practice_id": practice_id, "goal": goal}
                                 for goal in document["goals"]],
        PracticeTarget.__table__: [{"practice_id": practice_id, "target": key}
                                   for key in document["targets"]],
        PracticeTheme.__table__: [{"practice_id": practice_id, "theme": theme}
                                  for theme in document["themes"]],
        PracticeTag.__table__: [{"practice_id": practice_id, "tag": tag}
                                for tag in document["tags"]],
    }


def orm_practice(document):
    """Return an unsaved Practice (with its tags) built from a generated document."""
    practice = Practice(**document["practice"])
    practice.countries = [PracticeCountry(country=code, position=i)
                          for i, code in enumerate(document["countries"])]
    practice.goals = [PracticeGoal(goal=goal) for goal in document["goals"]]
    practice.targets = [PracticeTarget(target=key) for key in document["targets"]]
    practice.themes = [PracticeTheme(theme=theme) for theme in document["themes"]]
    practice.tags = [PracticeTag(tag=tag) for tag in document["tags"]]
    return practice


def insert_corpus(writer, count):
    """Bulk-insert `count` practices and count/50 organisations; return timings."""
    generate = insert_time = 0.0
    started = time.perf_counter()
    organisations = [writer.organisation(i) for i in range(1, max(1, count // 50) + 1)]
    generate += time.perf_counter() - started
    started = time.perf_counter()
    db.session.execute(insert(Organisation.__table__), organisations)
    db.session.commit()
    insert_time += time.perf_counter() - started
    text_bytes = 0
    for first in range(1, count + 1, CHUNK):
        started = time.perf_counter()
        rows, tags = [], {}
        for number in range(first, min(first + CHUNK, count + 1)):
            owner = writer.pick(organisations)
            document = writer.practice(number, owner["id"], owner["country"])
            document["practice"]["id"] = number
            rows.append(document["practice"])
            text_bytes += sum(len(document["practice"][name].encode())
                              for name in ("title", "summary", *SECTIONS))
            for table, table_rows in tag_rows(number, document).items():
                tags.setdefault(table, []).extend(table_rows)
        generate += time.perf_counter() - started
        started = time.perf_counter()
        db.session.execute(insert(Practice.__table__), rows)
        for table, table_rows in tags.items():
            if table_rows:
                db.session.execute(insert(table), table_rows)
        db.session.commit()
        insert_time += time.perf_counter() - started
    return {"generate_s": generate, "insert_s": insert_time,
            "organisations": len(organisations), "avg_text_bytes": text_bytes / count}


def clear_outbox():
    """Check that the Core inserts wrote no outbox rows; delete any that appeared."""
    found = db.session.scalar(select(func.count(SearchOutbox.id)))
    if found:
        db.session.execute(SearchOutbox.__table__.delete())
        db.session.commit()
    return found


# -- measuring -----------------------------------------------------------------------------

def percentile(values, fraction):
    """Return the nearest-rank percentile of values."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


def spread(values):
    """Return {p50, p95, max, count} of timings in ms, or {} when there are none."""
    if not values:
        return {}
    return {"p50": percentile(values, 0.5), "p95": percentile(values, 0.95),
            "max": max(values), "count": len(values)}


def spread_text(figures):
    if not figures:
        return "n/a"
    return (f"p50 {figures['p50']:7.1f} ms   p95 {figures['p95']:7.1f} ms   "
            f"max {figures['max']:7.1f} ms   ({figures['count']} calls)")


class Progress:
    """Print a line every tenth of `total` steps."""

    def __init__(self, total, label):
        self.total, self.label = max(1, total), label
        self.done, self.tenth = 0, 1
        self.started = time.perf_counter()

    def __call__(self, step=1):
        self.done += step
        while self.tenth <= 10 and self.done >= self.total * self.tenth / 10:
            elapsed = time.perf_counter() - self.started
            print(f"    {self.label}: {self.tenth * 10:3d}%  {self.done:>7} docs  "
                  f"{elapsed:6.1f} s  {self.done / elapsed if elapsed else 0:6.0f} docs/s",
                  flush=True)
            self.tenth += 1


class Problems:
    """Collect what went wrong without stopping the run."""

    def __init__(self):
        self.items = []

    def add(self, message):
        if message not in self.items:
            self.items.append(message)
            print(f"  !! {message}", flush=True)


PROBLEMS = Problems()


# -- the query mix -------------------------------------------------------------------------

@dataclass
class Query:
    """One search as the search page would run it, and its FTS5 equivalent."""

    label: str
    q: str = ""
    args: dict = field(default_factory=dict)
    sort: str | None = None
    page: int = 1
    common: bool = False  # must find documents and highlight words
    fts: str | None = None  # the FTS5 MATCH text; None when the query has no text
    fts_filters: dict | None = None  # SQL filters for FTS5; the args when None
    fts_skip: str = ""  # why FTS5 cannot express it

    def shown(self):
        extra = "".join(f" {key}={value}" for key, value in self.args.items())
        if self.sort:
            extra += f" sort={self.sort}"
        if self.page != 1:
            extra += f" page={self.page}"
        return (self.q or "(empty)") + (f" |{extra}" if extra else "")


QUERIES = [
    Query("common word", "water", fts="water", common=True),
    Query("common word", "flood", fts="flood", common=True),
    Query("common word", "community", fts="community", common=True),
    Query("two common words", "climate adaptation", fts="climate adaptation", common=True),
    Query("rare word (0.1%)", RARE_WORD, fts=RARE_WORD),
    Query("long-tail word", "ferrocement", fts="ferrocement"),
    Query("accent folded", "Bogota", fts="Bogota"),
    Query("accent folded", "Da Nang", fts="Da Nang"),
    Query("stemmed", "policies", fts="policies"),
    Query("phrase", '"early warning"', fts='"early warning"'),
    Query("phrase", '"participatory budgeting"', fts='"participatory budgeting"'),
    Query("boolean AND", "flood AND drought", fts="flood AND drought"),
    Query("boolean OR", "solar OR microgrid", fts="solar OR microgrid"),
    Query("boolean NOT", "water NOT sanitation", fts="water NOT sanitation"),
    Query("minus", "flood -drought", fts="flood NOT drought"),
    Query("prefix", "irrig*", fts="irrig*"),
    Query("field sdg target", "sdg:11.5", fts_filters={"target": "11.5"}),
    Query("field sdg+country", "sdg:6 country:KE", fts_filters={"goal": "6", "country": "KE"}),
    Query("field region", 'region:"Eastern Africa" flood', fts="flood",
          fts_filters={"region": "Eastern Africa"}),
    Query("field type", "type:LRG waste", fts="waste", fts_filters={"org_type": "LRG"}),
    Query("field year range", "year:2019..2023 water", fts="water",
          fts_filters={"years": (2019, 2023)}),
    Query("field theme", "theme:drr flood", fts="flood",
          fts_filters={"theme": "drr_resilience"}),
    Query("field kind", "kind:case_study", fts_filters={"kind": "case_study"}),
    Query("facet goal", "housing", args={"goal": "11"}, fts="housing"),
    Query("facet goal+country", "water", args={"goal": "6", "country": "KE"}, fts="water"),
    Query("facet region+theme", "waste", args={"region": "South America",
                                               "theme": "local_action"}, fts="waste"),
    Query("facet target", "flood", args={"target": "13.1"}, fts="flood"),
    Query("browse goal", "", args={"goal": "13"}),
    Query("browse country+kind", "", args={"country": "PE", "kind": "case_study"}),
    Query("browse everything", ""),
    Query("sort newest", "water", sort="newest", fts="water", common=True),
    Query("sort relevance", "resilience", sort="relevance", fts="resilience"),
    Query("page 3", "water", page=3, fts="water"),
    Query("natural language", "youth employment in informal settlements",
          fts="youth employment informal settlements"),
    Query("mixed case", "mobile money SMS", fts="mobile money SMS"),
    Query("hyphenated", "e-governance open data", fts='"e governance" open data'),
    Query("two topics", "school meals nutrition", fts="school meals nutrition"),
    Query("two topics", "mangroves fisheries", fts="mangroves fisheries"),
    Query("misspelt (did you mean)", "sanitaton", fts_skip="no spelling suggestion"),
    Query("malformed", '"unclosed flood (', fts='"unclosed flood"'),
    Query("malformed wildcard", "*ater*", fts_skip="no wildcard inside a word"),
]


@dataclass
class Record:
    """What one query returned and how long it took in each phase."""

    query: Query
    times: dict = field(default_factory=dict)  # phase -> [ms]
    total: int | None = None
    practices: int | None = None
    suggestion: str | None = None
    notes: list = field(default_factory=list)
    fts_total: int | None = None


def practice_count(results):
    return dict(results.facets.get("content", [])).get("practice", 0)


# What a timed search is: "page", the search page's whole request (the view's searches with
# their boxes, the facet panel and the rendered template) through the app's test client, the
# page cache off; "service", `service.search` alone (`--measure service`).
MEASURE = {"what": "page"}
_RENDERED = []
LAST_CPU_MS = [0.0]  # the CPU time of the last search (this process), less swayed by load


def _keep_results(_app, template, context, **_extra):
    if "results" in context:
        _RENDERED.append(context["results"])


template_rendered.connect(_keep_results, weak=False)


def page_args(query):
    """Return the search page's query string for a query."""
    args = {"q": query.q, **query.args}
    if query.sort:
        args["sort"] = query.sort
    if query.page != 1:
        args["page"] = query.page
    return args


def run_search(query):
    """Run one search; return (ms, results), or (None, None) when it raised. Its CPU time
    is left in LAST_CPU_MS."""
    cpu = time.process_time()
    try:
        return _run_search(query)
    finally:
        LAST_CPU_MS[0] = (time.process_time() - cpu) * 1000


def _run_search(query):
    if MEASURE["what"] == "page":
        return run_page(query)
    started = time.perf_counter()
    try:
        results = service.search(query.q, Filters.from_args(query.args), page=query.page,
                                 sort=query.sort)
    except Exception:
        db.session.rollback()
        PROBLEMS.add(f"service.search({query.shown()!r}) raised:\n{traceback.format_exc()}")
        return None, None
    return (time.perf_counter() - started) * 1000, results


def run_page(query):
    """Request the search page; return (ms, the results it showed), or (None, None)."""
    client = current_app.extensions.get("bench.client")
    if client is None:
        client = current_app.extensions["bench.client"] = current_app.test_client()
    _RENDERED.clear()
    started = time.perf_counter()
    response = client.get("/search", query_string=page_args(query))
    ms = (time.perf_counter() - started) * 1000
    if response.status_code != 200 or not _RENDERED:
        PROBLEMS.add(f"/search {query.shown()!r} answered {response.status_code}")
        return None, None
    return ms, _RENDERED[-1]


def check_results(query, results):
    """Record a problem when a query with words finds documents but marks no word."""
    marked = any("<mark" in hit.snippet for hit in results.hits)
    if query.common and not results.hits:
        PROBLEMS.add(f"{query.shown()!r}: a common word found no hits")
    elif results.hits and results.words and not marked:
        PROBLEMS.add(f"{query.shown()!r}: {len(results.hits)} hits but no snippet has <mark>")


def run_mix(records, phase):
    """Run every query once, adding its time to `phase`."""
    for record in records:
        ms, results = run_search(record.query)
        if results is None:
            continue
        record.times.setdefault(phase, []).append(ms)
        record.times.setdefault(phase + " cpu", []).append(LAST_CPU_MS[0])
        record.total, record.practices = results.total, practice_count(results)
        record.suggestion, record.notes = results.suggestion, results.notes
        check_results(record.query, results)


def measure_mix(records, repeat, prefix=""):
    """Run the mix once cold, then `repeat` times warm; return both spreads."""
    run_mix(records, prefix + "cold")
    for _ in range(repeat):
        run_mix(records, prefix + "warm")
    return phase_spread(records, prefix + "cold"), phase_spread(records, prefix + "warm")


def phase_spread(records, phase, only=None):
    values = [ms for record in records if only is None or record in only
              for ms in record.times.get(phase, [])]
    return spread(values)


def median_of(record, phase):
    values = record.times.get(phase)
    return percentile(values, 0.5) if values else None


def print_query_table(records):
    """Print each query's hit counts and times."""
    print(f"  {'#':>2} {'label':<24} {'query':<44} {'total':>6} {'pract':>6} {'fts5':>6} "
          f"{'cold':>7} {'warm50':>7} {'after50':>7} {'fts50':>6}  note")
    for number, record in enumerate(records, 1):
        query = record.query
        fts_total = "skip" if query.fts_skip else (
            "-" if record.fts_total is None else str(record.fts_total))
        note = f"did you mean {record.suggestion!r}" if record.suggestion else ""
        if record.fts_total is not None and record.practices != record.fts_total:
            note = ("≠ " + note).strip()
        if record.notes:
            note = f"{note} note: {record.notes[0][:60]}".strip()
        print(f"  {number:>2} {query.label[:24]:<24} {query.shown()[:44]:<44} "
              f"{fmt(record.total, 'd'):>6} {fmt(record.practices, 'd'):>6} {fts_total:>6} "
              f"{fmt(median_of(record, 'cold'), '.1f'):>7} "
              f"{fmt(median_of(record, 'warm'), '.1f'):>7} "
              f"{fmt(median_of(record, 'after_warm'), '.1f'):>7} "
              f"{fmt(median_of(record, 'fts'), '.1f'):>6}  {note}")


def fmt(value, spec):
    return "-" if value is None else format(value, spec)


def slowest(records, phase, count=5):
    """Return the `count` queries with the highest median time in a phase."""
    timed = [(median_of(record, phase), record) for record in records
             if record.times.get(phase)]
    timed.sort(key=lambda pair: pair[0], reverse=True)
    return [{"query": record.query.shown(), "median_ms": ms,
             "max_ms": max(record.times[phase])} for ms, record in timed[:count]]


# -- the index -----------------------------------------------------------------------------

def rebuild_index(expected):
    """Rebuild the index from the database; return its figures."""
    count, seconds = service.rebuild(progress=Progress(expected, "rebuild"))
    stats = service.engine().stats()
    return {"documents": count, "seconds": seconds, "docs_per_s": count / seconds,
            "index_mb": stats["bytes"] / 1e6, "segments": stats["segments"],
            "index_documents": stats["documents"],
            "procs": current_app.config.get("SEARCH_REBUILD_PROCS", 1)}


def measure_freshness(writer, organisation):
    """Commit one new practice, play the indexer, and time until it is searchable."""
    document = writer.practice(999_999, organisation.id, organisation.country)
    document["practice"]["title"] = f"{FRESH_WORD.capitalize()} pilot: " + \
        document["practice"]["title"]
    practice = orm_practice(document)
    db.session.add(practice)
    db.session.flush()
    key = f"practice:{practice.id}"
    db.session.commit()
    committed = time.perf_counter()
    waiting = service.pending()
    if not waiting and not in_transaction_engine():
        PROBLEMS.add("freshness: the commit wrote no search_outbox row")
    polls = applied = 0
    while time.perf_counter() - committed < 30:
        applied += service.apply_outbox()
        polls += 1
        results = service.search(FRESH_WORD, Filters())
        if any(hit.key == key for hit in results.hits):
            ms = (time.perf_counter() - committed) * 1000
            return {"ms": ms, "polls": polls, "outbox_rows": waiting, "applied": applied}
    PROBLEMS.add(f"freshness: {key} was not searchable 30 s after its commit")
    return {"ms": None, "polls": polls, "outbox_rows": waiting, "applied": applied}


def retitle(title, number):
    """Return the title with a changed revision mark at its end."""
    return re.sub(r" \(rev \d+\)$", "", title)[:180] + f" (rev {number})"


def commit_one(writer, number, practice_ids, organisations):
    """Update (four times in five) or add one practice through the ORM, and commit."""
    if number % 5:
        practice = db.session.get(Practice, writer.pick(practice_ids))
        practice.title = retitle(practice.title, number)
        practice.updated_at = utcnow()
    else:
        owner = writer.pick(organisations)
        practice = orm_practice(writer.practice(1_000_000 + number, owner.id, owner.country))
        db.session.add(practice)
    db.session.commit()


def in_transaction_engine():
    """Tell whether the engine writes its index in each change's own transaction (the
    PostgreSQL engine): then the outbox is always empty after a commit."""
    return current_app.config["SEARCH_ENGINE"] == "postgres"


def advance_sequences():
    """On PostgreSQL, move each id sequence past the ids the bulk insert gave."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.autoincrement is not False:
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false) "
                f"WHERE pg_get_serial_sequence('{table.name}', 'id') IS NOT NULL"))
    db.session.commit()


def many_commits(writer, count):
    """Make `count` single-document commits, each applied to the index at once."""
    practice_ids = db.session.scalars(select(Practice.id)).all()
    organisations = db.session.scalars(select(Organisation)).all()
    started = time.perf_counter()
    applying = 0.0
    for number in range(1, count + 1):
        commit_one(writer, number, practice_ids, organisations)
        before = time.perf_counter()
        if service.apply_outbox() != (0 if in_transaction_engine() else 1):
            PROBLEMS.add("many commits: apply_outbox() did not apply exactly one change")
        applying += time.perf_counter() - before
        if number % 500 == 0 or number == count:
            elapsed = time.perf_counter() - started
            print(f"    {number:>6} commits  {elapsed:6.1f} s  {number / elapsed:6.1f}/s  "
                  f"segments {service.engine().stats()['segments']}", flush=True)
    seconds = time.perf_counter() - started
    stats = service.engine().stats()
    return {"commits": count, "seconds": seconds, "commits_per_s": count / seconds,
            "apply_s": applying, "segments": stats["segments"],
            "index_mb": stats["bytes"] / 1e6}


# -- the SQLite FTS5 reference ---------------------------------------------------------------

FTS_BODY = " || char(10) || ".join(
    ["coalesce(p.summary, '')"]
    + [f"coalesce(p.{section}, '')" for section in vocab.SECTIONS]
    + ["coalesce((SELECT group_concat(tag, ' ') FROM practice_tags t "
       "WHERE t.practice_id = p.id), '')"])

# CROSS JOIN keeps the matches the outer loop: without statistics on temp.m, SQLite would
# scan each whole tag table instead.
FTS_FACETS = {
    "goal": "SELECT g.goal, count(*) FROM temp.m CROSS JOIN practice_goals g "
            "ON g.practice_id = m.id GROUP BY g.goal",
    "target": "SELECT g.target, count(*) FROM temp.m CROSS JOIN practice_targets g "
              "ON g.practice_id = m.id GROUP BY g.target",
    "country": "SELECT c.country, count(*) FROM temp.m CROSS JOIN practice_countries c "
               "ON c.practice_id = m.id GROUP BY c.country",
    "theme": "SELECT t.theme, count(*) FROM temp.m CROSS JOIN practice_themes t "
             "ON t.practice_id = m.id GROUP BY t.theme",
    "kind": "SELECT p.kind, count(*) FROM temp.m CROSS JOIN practices p ON p.id = m.id "
            "GROUP BY p.kind",
    "org_type": "SELECT o.type, count(*) FROM temp.m CROSS JOIN practices p ON p.id = m.id "
                "JOIN organisations o ON o.id = p.organisation_id GROUP BY o.type",
}


def build_fts(path):
    """Create and fill the FTS5 table in the app's SQLite file; return (connection, s)."""
    connection = sqlite3.connect(path, isolation_level=None, timeout=15)
    started = time.perf_counter()
    connection.execute("DROP TABLE IF EXISTS fts")
    connection.execute("CREATE VIRTUAL TABLE fts USING fts5(title, body, "
                       "tokenize='porter unicode61 remove_diacritics 2')")
    connection.execute("BEGIN")
    connection.execute(f"INSERT INTO fts (rowid, title, body) SELECT p.id, p.title, {FTS_BODY} "
                       "FROM practices p WHERE p.status = 'published'")
    connection.execute("COMMIT")
    connection.execute("INSERT INTO fts (fts) VALUES ('optimize')")
    seconds = time.perf_counter() - started
    connection.execute("CREATE TEMP TABLE m (id INTEGER PRIMARY KEY)")
    return connection, seconds


def fts_conditions(filters):
    """Return (SQL condition on practices p, parameters) for FTS5 filters."""
    conditions, params = ["p.status = 'published'"], []

    def tagged(table, column, value):
        conditions.append(f"EXISTS (SELECT 1 FROM {table} x WHERE x.practice_id = p.id "
                          f"AND x.{column} = ?)")
        params.append(value)

    if filters.get("target"):
        tagged("practice_targets", "target", filters["target"])
    elif filters.get("goal"):
        tagged("practice_goals", "goal", int(filters["goal"]))
    if filters.get("country"):
        tagged("practice_countries", "country", filters["country"])
    if filters.get("region"):
        codes = sorted(regions.countries_in(filters["region"]))
        conditions.append("EXISTS (SELECT 1 FROM practice_countries x WHERE x.practice_id = "
                          f"p.id AND x.country IN ({', '.join('?' * len(codes))}))")
        params += codes
    if filters.get("theme"):
        tagged("practice_themes", "theme", filters["theme"])
    if filters.get("org_type"):
        conditions.append("EXISTS (SELECT 1 FROM organisations o WHERE o.id = "
                          "p.organisation_id AND o.type = ?)")
        params.append(filters["org_type"])
    if filters.get("kind"):
        conditions.append("p.kind = ?")
        params.append(filters["kind"])
    if filters.get("years"):
        low, high = filters["years"]
        conditions.append("p.period_start IS NOT NULL AND p.period_start <= ? AND "
                          "coalesce(p.period_end, max(p.period_start, ?)) >= ?")
        params += [high, datetime.now().year, low]
    return " AND ".join(conditions), params


def fts_top(connection, query):
    """Return one page of (id, title, snippet) in the query's order."""
    offset = (query.page - 1) * 20
    if query.fts is None:
        return connection.execute(
            "SELECT p.id, p.title, '' FROM temp.m CROSS JOIN practices p ON p.id = m.id "
            "ORDER BY p.published_at DESC, p.id DESC LIMIT 20 OFFSET ?", [offset]).fetchall()
    if query.sort == "newest":
        ids = [row[0] for row in connection.execute(
            "SELECT p.id FROM temp.m CROSS JOIN practices p ON p.id = m.id "
            "ORDER BY p.published_at DESC, p.id DESC LIMIT 20 OFFSET ?", [offset])]
    else:
        ids = [row[0] for row in connection.execute(
            "SELECT fts.rowid FROM fts CROSS JOIN temp.m ON m.id = fts.rowid "
            "WHERE fts MATCH ? ORDER BY bm25(fts, 2.0, 1.0) LIMIT 20 OFFSET ?",
            [query.fts, offset])]
    # Snippets only for the page: SQLite would otherwise make one for every match.
    rows = connection.execute(
        "SELECT fts.rowid, p.title, snippet(fts, 1, '<mark>', '</mark>', ' … ', 24) "
        "FROM fts JOIN practices p ON p.id = fts.rowid "
        f"WHERE fts MATCH ? AND fts.rowid IN ({', '.join('?' * len(ids))})",
        [query.fts, *ids]).fetchall()
    by_id = {row[0]: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def fts_search(connection, query):
    """Do the search page's work in FTS5: count, top 20 with snippets, facet counts."""
    where, params = fts_conditions(query.args if query.fts_filters is None
                                   else query.fts_filters)
    connection.execute("DELETE FROM temp.m")
    if query.fts is None:
        connection.execute(f"INSERT INTO temp.m SELECT p.id FROM practices p WHERE {where}",
                           params)
    else:
        # CROSS JOIN keeps fts the outer loop: SQLite would otherwise run the MATCH once
        # per practice.
        connection.execute("INSERT INTO temp.m SELECT p.id FROM fts CROSS JOIN practices p "
                           f"ON p.id = fts.rowid WHERE fts MATCH ? AND {where}",
                           [query.fts, *params])
    total = connection.execute("SELECT count(*) FROM temp.m").fetchone()[0]
    top = fts_top(connection, query)
    facets = {name: connection.execute(sql).fetchall() for name, sql in FTS_FACETS.items()}
    return total, top, facets


def run_fts_mix(connection, records, repeat):
    """Run the expressible queries once to warm up, then `repeat` times timed."""
    runnable = [record for record in records if not record.query.fts_skip]
    for number in range(repeat + 1):
        for record in runnable:
            started = time.perf_counter()
            try:
                total, top, _facets = fts_search(connection, record.query)
            except sqlite3.Error as error:
                PROBLEMS.add(f"FTS5 {record.query.fts!r}: {error}")
                continue
            ms = (time.perf_counter() - started) * 1000
            record.fts_total = total
            if number:
                record.times.setdefault("fts", []).append(ms)
            if record.query.common and not any("<mark>" in row[2] for row in top):
                PROBLEMS.add(f"FTS5 {record.query.fts!r}: no snippet with <mark>")
    return runnable


def fts_reference(path, records, repeat):
    """Build the FTS5 table and time the query mix on it; return its figures."""
    db.session.commit()
    connection, seconds = build_fts(path)
    print(f"  FTS5 table built in {seconds:.1f} s")
    runnable = run_fts_mix(connection, records, repeat)
    connection.close()
    fts = phase_spread(records, "fts")
    whoosh = phase_spread(records, "warm", only=runnable)
    figures = {"build_s": seconds, "fts5": fts, "whoosh_same_queries": whoosh,
               "skipped": [f"{r.query.shown()} ({r.query.fts_skip})"
                           for r in records if r.query.fts_skip]}
    if fts and whoosh:
        figures["ratio_p50"] = whoosh["p50"] / fts["p50"]
        figures["ratio_p95"] = whoosh["p95"] / fts["p95"]
    return figures


# -- one corpus size -----------------------------------------------------------------------

def instance_app(folder, options=None):
    """Return the app of the instance in `folder`: its SQLite file and index folder, or the
    PostgreSQL database `options` names when its engine is postgres."""
    settings = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
        "SEARCH_INDEX_DIR": str(folder / "index"),
        "SECRET_KEY": "bench",
        "SEARCH_APPLY": "indexer",
        "PAGECACHE_SECONDS": 0,  # time the page's work, as for a signed-in member
    }
    if getattr(options, "engine", "whoosh") == "postgres":
        settings.update(SQLALCHEMY_DATABASE_URI=options.database_url, SEARCH_ENGINE="postgres")
    return create_app(settings, instance_path=folder)


@contextmanager
def kept_postgres_app(out, count):
    """Start the cluster a `--engine postgres` run kept (stopped) beside the instance of
    `count` practices in `out`, yield that instance's app, and stop the cluster after,
    unless another run had started it."""
    folder, cluster = out / str(count), out / f"{count}-postgres"
    if not cluster.exists():
        raise SystemExit(f"No cluster in {cluster}: run search_bench.py --engine postgres.")
    running = pgcluster._running_port(cluster.resolve() / "data")
    url = pgcluster.start(cluster, durable=False)
    try:
        yield instance_app(folder, SimpleNamespace(engine="postgres", database_url=url))
    finally:
        if not running:  # a cluster another run started is left to it
            pgcluster.stop(cluster)


def make_app(folder, options=None):
    """Return an app on a fresh instance folder (and a fresh database), its tables created;
    on the Whoosh engine unless `options.engine` says otherwise."""
    engine = getattr(options, "engine", "whoosh")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    app = instance_app(folder, options)
    with app.app_context():
        if engine == "postgres":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        db.create_all()
    return app


def bench_size(count, options, with_commits):
    """Run every step for a corpus of `count` practices; return the figures."""
    folder = options.out / str(count)
    print(f"\n=== N = {count:,} practices  ({folder}) ===", flush=True)
    app = make_app(folder, options)
    writer = Writer(Random(options.seed))
    figures = {"n": count, "engine": options.engine}
    with app.app_context():
        figures["corpus"] = corpus = insert_corpus(writer, count)
        advance_sequences()
        figures["outbox_rows_after_insert"] = clear_outbox()
        print(f"  generated in {corpus['generate_s']:.1f} s, inserted in "
              f"{corpus['insert_s']:.1f} s ({count / corpus['insert_s']:,.0f} rows/s), "
              f"{corpus['organisations']} organisations, "
              f"~{corpus['avg_text_bytes']:,.0f} bytes of text per practice; "
              f"outbox rows after insert: {figures['outbox_rows_after_insert']}")
        figures["rebuild"] = rebuild = rebuild_index(count + corpus["organisations"])
        print(f"  rebuilt {rebuild['documents']:,} documents in {rebuild['seconds']:.1f} s "
              f"({rebuild['docs_per_s']:,.0f} docs/s, {rebuild['procs']} process(es)); "
              f"index {rebuild['index_mb']:.1f} MB, {rebuild['segments']} segment(s)")
        records = [Record(query) for query in QUERIES]
        bench_queries(records, options, figures)
        from search_parts import similarity_costs  # beside this script
        similarity_costs(max(3, options.queries_repeat))
        figures["freshness"] = fresh = measure_freshness(writer, db.session.get(
            Organisation, 1))
        print(f"  freshness: searchable {fmt(fresh['ms'], '.0f')} ms after the commit "
              f"({fresh['polls']} poll(s))")
        if with_commits:
            bench_commits(records, options, figures)
        if not options.skip_fts:
            run_mix(records, "final")  # hit counts of the same state the FTS5 table holds
            figures["fts"] = fts_reference(folder / "bench.sqlite", records,
                                           options.queries_repeat)
        print_query_table(records)
        figures["queries"] = [query_figures(record) for record in records]
        db.session.remove()
        db.engine.dispose()
    return figures


def reuse_size(count, options):
    """Time the query mix, cold then warm, on the instance left in the work folder, in a
    fresh process (so with empty caches), beside a reference run (`search_parts.py`)."""
    from search_parts import reference_ms  # beside this script
    folder = options.out / str(count)
    postgres = options.engine == "postgres"
    if not postgres and not (folder / "bench.sqlite").exists():
        raise SystemExit(f"No instance in {folder}: run without --reuse first.")
    print(f"\n=== N = {count:,} practices, reused ({folder}) ===", flush=True)
    app = instance_app(folder, options)
    figures = {"n": count, "engine": options.engine, "load_average": os.getloadavg()}
    with app.app_context():
        if postgres:  # an instance made before the schema gained an index gets it now
            with db.engine.begin() as connection:
                schema.create(connection)
        records = [Record(query) for query in QUERIES]
        bench_queries(records, options, figures)
        figures["reference_ms"] = reference = reference_ms()
        for phase in ("cold", "warm"):
            print(f"  {phase} p50 / p95 as a ratio to the reference ({reference:.0f} ms): "
                  f"{figures[phase]['p50'] / reference:.3f} / "
                  f"{figures[phase]['p95'] / reference:.3f}")
        print(f"  load average: {' '.join(f'{value:.1f}' for value in os.getloadavg())}")
        print_query_table(records)
        figures["queries"] = [query_figures(record) for record in records]
        db.session.remove()
        db.engine.dispose()
    return figures


def bench_queries(records, options, figures):
    """Time the query mix cold and warm and print the slowest queries.

    First the process warms up as a gunicorn worker does before it takes requests
    (`service.warm()`: facet bitsets, field lengths and orderings); the term caches stay
    empty, so the first run still reads every word's postings from the index.
    """
    started = time.perf_counter()
    service.warm()
    figures["warm_up_s"] = time.perf_counter() - started
    print(f"  worker warm-up (service.warm): {figures['warm_up_s']:.2f} s")
    cold, warm = measure_mix(records, options.queries_repeat)
    figures["cold"], figures["warm"] = cold, warm
    figures["slowest"] = slowest(records, "warm")
    print(f"  first run (cold caches): {spread_text(cold)}")
    print(f"  measured ({options.queries_repeat}x):       {spread_text(warm)}")
    figures["cold_cpu"] = phase_spread(records, "cold cpu")
    figures["warm_cpu"] = phase_spread(records, "warm cpu")
    print(f"  CPU time, first run:     {spread_text(figures['cold_cpu'])}")
    print(f"  CPU time, measured:      {spread_text(figures['warm_cpu'])}")
    print("  slowest queries (median of the measured runs):")
    for entry in figures["slowest"]:
        print(f"    {entry['median_ms']:7.1f} ms (max {entry['max_ms']:7.1f})  "
              f"{entry['query']}")
    figures["slowest_cold"] = slowest(records, "cold")
    print("  slowest queries of the first run:")
    for entry in figures["slowest_cold"]:
        print(f"    {entry['median_ms']:7.1f} ms  {entry['query']}")


def bench_commits(records, options, figures):
    """Make many single-document commits, then time the query mix again."""
    print(f"  {options.commits:,} single-document commits:", flush=True)
    commits = many_commits(Writer(Random(options.seed + 1)), options.commits)
    cold, warm = measure_mix(records, options.queries_repeat, prefix="after_")
    commits.update(cold=cold, warm=warm)
    if warm and figures["warm"]:
        commits["p95_ratio"] = warm["p95"] / figures["warm"]["p95"]
        commits["p50_ratio"] = warm["p50"] / figures["warm"]["p50"]
    figures["commits"] = commits
    print(f"  {commits['commits']:,} commits in {commits['seconds']:.1f} s "
          f"({commits['commits_per_s']:.1f} index commits/s, of which applying "
          f"{commits['apply_s']:.1f} s); {commits['segments']} segment(s), "
          f"{commits['index_mb']:.1f} MB")
    print(f"  after commits, first run: {spread_text(cold)}")
    print(f"  after commits, measured:  {spread_text(warm)}")
    if "p95_ratio" in commits:
        verdict = "ok" if commits["p95_ratio"] <= 1.25 else "ABOVE the 1.25 target"
        print(f"  p95 after/fresh = {commits['p95_ratio']:.2f} ({verdict}); "
              f"p50 after/fresh = {commits['p50_ratio']:.2f}")


def query_figures(record):
    return {"label": record.query.label, "query": record.query.shown(),
            "total": record.total, "practices": record.practices,
            "fts5_total": record.fts_total, "suggestion": record.suggestion,
            "notes": record.notes,
            "median_ms": {phase: percentile(values, 0.5)
                          for phase, values in record.times.items()}}


# -- the summary ---------------------------------------------------------------------------

def summary_lines(figures):
    """Return the summary block of one corpus size."""
    rebuild, corpus = figures["rebuild"], figures["corpus"]
    lines = [
        f"N                    {figures['n']:,}  ({figures['engine']} engine)",
        f"insert               {corpus['insert_s']:.1f} s (+ {corpus['generate_s']:.1f} s "
        f"generating)",
        f"rebuild              {rebuild['seconds']:.1f} s, {rebuild['docs_per_s']:,.0f} docs/s "
        f"({rebuild['procs']} process(es))",
        f"index                {rebuild['index_mb']:.1f} MB, {rebuild['segments']} segment(s)",
        f"cold (first run)     {spread_text(figures['cold'])}",
        f"warm                 {spread_text(figures['warm'])}",
        f"freshness            {fmt(figures['freshness']['ms'], '.0f')} ms commit -> "
        f"searchable",
    ]
    commits = figures.get("commits")
    if commits:
        lines += [f"after {commits['commits']:,} commits   {spread_text(commits['warm'])}",
                  f"  after/fresh        p95 x{fmt(commits.get('p95_ratio'), '.2f')} "
                  f"(target <= 1.25), p50 x{fmt(commits.get('p50_ratio'), '.2f')}",
                  f"  commits            {commits['seconds']:.1f} s, "
                  f"{commits['commits_per_s']:.1f} index commits/s, "
                  f"{commits['segments']} segment(s) after"]
    fts = figures.get("fts")
    if fts:
        lines += [f"FTS5 build           {fts['build_s']:.1f} s",
                  f"FTS5                 {spread_text(fts['fts5'])}",
                  f"Whoosh, same queries {spread_text(fts['whoosh_same_queries'])}",
                  f"  Whoosh/FTS5        p50 x{fmt(fts.get('ratio_p50'), '.1f')}, "
                  f"p95 x{fmt(fts.get('ratio_p95'), '.1f')}",
                  f"  FTS5 skipped       {'; '.join(fts['skipped']) or 'none'}"]
    return lines


def machine():
    return {"cpu_count": os.cpu_count(), "python": sys.version.split()[0],
            "sqlite": sqlite3.sqlite_version, "platform": sys.platform}


def print_summary(results):
    about = machine()
    print("\n" + "=" * 78)
    print(f"SUMMARY  cpus {about['cpu_count']}, python {about['python']}, "
          f"sqlite {about['sqlite']}, {about['platform']}")
    for figures in results:
        print("-" * 78)
        for line in summary_lines(figures):
            print("  " + line)
    print("-" * 78)
    if PROBLEMS.items:
        print(f"PROBLEMS ({len(PROBLEMS.items)}):")
        for problem in PROBLEMS.items:
            print("  - " + problem.strip().replace("\n", "\n    "))
    else:
        print("No problems seen.")
    print("=" * 78)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Benchmark Nanum's search.")
    parser.add_argument("--docs", type=int, nargs="+", default=[20000, 100000],
                        help="corpus sizes (default: 20000 100000)")
    parser.add_argument("--out", type=Path, default=HERE / "out",
                        help="work folder, one sub-folder per size (default: bench/out)")
    parser.add_argument("--queries-repeat", type=int, default=3,
                        help="measured runs of the query mix after the warm-up")
    parser.add_argument("--commits", type=int, default=5000,
                        help="single-document commits, for the smallest size only")
    parser.add_argument("--skip-commits", action="store_true")
    parser.add_argument("--skip-fts", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--engine", choices=["whoosh", "postgres"], default="whoosh",
                        help="postgres: Nanum and its search on a throw-away PostgreSQL "
                             "cluster (implies --skip-fts)")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--reuse", action="store_true",
                        help="time the query mix alone, on the instance an earlier run left "
                             "in the work folder (no loading, rebuilding or commits)")
    parser.add_argument("--measure", choices=["page", "service"], default="page",
                        help="page: time the search page's whole request (default); "
                             "service: service.search alone")
    options = parser.parse_args(argv)
    options.out = options.out.resolve()
    if options.engine == "postgres":
        options.skip_fts = True  # FTS5 reads the SQLite file
    return options


def main(argv=None):
    options = parse_args(argv)
    MEASURE["what"] = options.measure
    smallest = min(options.docs)
    results = []
    postgres = options.engine == "postgres"
    for count in options.docs:
        if postgres:  # one cluster per size, kept (stopped) beside its folder for --reuse
            cluster = options.out / f"{count}-postgres"
            if not options.reuse:
                pgcluster.remove(cluster)
            elif not cluster.exists():
                raise SystemExit(f"No cluster in {cluster}: run without --reuse first.")
            options.database_url = pgcluster.start(cluster, durable=False)
        try:
            if options.reuse:
                results.append(reuse_size(count, options))
                continue
            with_commits = (count == smallest and not options.skip_commits
                            and options.commits > 0)
            results.append(bench_size(count, options, with_commits))
        finally:
            if postgres:
                pgcluster.stop(cluster)
    if options.reuse:
        print("Problems: " + ("; ".join(PROBLEMS.items) if PROBLEMS.items else "none seen."))
    else:
        print_summary(results)
    if options.json:
        options.json.write_text(json.dumps({"machine": machine(), "sizes": results,
                                            "problems": PROBLEMS.items},
                                           indent=2, default=str))
        print(f"Figures written to {options.json}")
    return 1 if PROBLEMS.items else 0


if __name__ == "__main__":
    sys.exit(main())
