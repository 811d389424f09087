"""Copy the official SDG goal names and target texts into the package, one file a language.

Reads open-sdg/sdg-translations (its ``<lang>/global_goals.yml`` and ``global_targets.yml``)
and writes ``platform/nanum/taxonomy/data/sdg-texts/<lang>.json`` holding only what Nanum
shows: each goal's short name and each target's text, keyed by the codes of ``sdg.json``.

    .venv/bin/python scripts/import_sdg_texts.py /work/shared/data/sdg-translations
"""

import json
import shutil
import sys
from pathlib import Path

import yaml

LANGUAGES = ("ar", "es", "fr", "ru", "sw", "zh-Hans")  # English stays in sdg.json
# Slips in the source, set right from the UN's published wording.
CORRECTIONS = {("fr", "8"): "Travail décent et croissance économique"}
PACKAGE = Path(__file__).resolve().parent.parent / "platform" / "nanum" / "taxonomy" / "data"


def _codes():
    goals = json.loads((PACKAGE / "sdg.json").read_text("utf-8"))
    return [g["number"] for g in goals], [t["key"] for g in goals for t in g["targets"]]


def convert(source, language, goal_numbers, target_keys):
    folder = Path(source) / language
    goals = yaml.safe_load((folder / "global_goals.yml").read_text("utf-8"))
    targets = yaml.safe_load((folder / "global_targets.yml").read_text("utf-8"))
    return {
        "language": language,
        "source": "open-sdg/sdg-translations, commit 0cda585 (MIT, LICENSE-sdg-translations)",
        "goals": {str(n): CORRECTIONS.get((language, str(n)), " ".join(goals[f"{n}-short"].split()))
                  for n in goal_numbers},
        "targets": {key: " ".join(targets[f"{key.replace('.', '-')}-title"].split())
                    for key in target_keys},
    }


def main(source):
    goal_numbers, target_keys = _codes()
    out = PACKAGE / "sdg-texts"
    out.mkdir(exist_ok=True)
    for language in LANGUAGES:
        texts = convert(source, language, goal_numbers, target_keys)
        text = json.dumps(texts, ensure_ascii=False, indent=0, sort_keys=False)
        (out / f"{language}.json").write_text(text + "\n", "utf-8")
    shutil.copyfile(Path(source) / "LICENSE", out / "LICENSE-sdg-translations")


if __name__ == "__main__":
    main(sys.argv[1])
