"""`nanum sdg suggest | build`."""

import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

sdg = AppGroup("sdg", help="Suggest SDG goals and targets for texts.")
TRAINING = Path("bench/sdg/train.jsonl")
BACKGROUND = Path("bench/sdg_background.jsonl")


@sdg.command("suggest", with_appcontext=False)
def suggest():
    """Read JSON Lines ({"id": ..., "text": ...}) on standard input; write one JSON line each."""
    from nanum.sdg.service import suggest_lines

    for answer in suggest_lines(sys.stdin):
        sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
        sys.stdout.flush()


@sdg.command("build", with_appcontext=False)
@click.option("--training", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=TRAINING, show_default=True, help="Training texts as JSON Lines.")
@click.option("--background", type=click.Path(dir_okay=False, path_type=Path),
              default=BACKGROUND, show_default=True,
              help="Texts about no goal, as JSON Lines (skipped when missing).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the weights (default: the package's data/model.npz).")
def build(training, background, output):
    """Train the suggester's weights (needs the sdg-build extra: scikit-learn)."""
    from nanum.sdg import build as builder

    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise click.ClickException(
            "scikit-learn is missing: pip install -e '.[sdg-build]'") from None
    path = builder.build(training, **({"output": output} if output else {}),
                         background=background if background.exists() else None,
                         log=lambda line: click.echo(line, err=True))
    click.echo(f"Wrote {path}.")
